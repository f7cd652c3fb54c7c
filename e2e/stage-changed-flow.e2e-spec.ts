import { RosterReconciled } from '@imb/contracts';
import { RunningService, ServiceStack, waitFor, withLogs } from '@imb/testing';
import { TestEventSource } from './support/events';

/**
 * The first cross-service flow, on real processes, Kafka, PostgreSQL and Redis: transfer seeds
 * the 32 states, a coordinator changes a stage, and hr, procurement, dignification and the
 * gateway each keep it in their own `state` read model. Yucatán, seeded in HANDOVER, first closes
 * its HANDOVER gate: two items by hand and one by HR's roster-reconciled event.
 */
const CONSUMERS = [
  { name: 'hr', path: 'hr/states' },
  { name: 'procurement', path: 'procurement/states' },
  { name: 'dignification', path: 'dignification/states' },
  { name: 'gateway', path: 'overview/states' },
];

describe('stage-changed: transfer → hr, procurement, dignification, gateway', () => {
  const stack = new ServiceStack('e2e');
  const services: Record<string, RunningService> = {};

  async function token(sub: string, roles: string[], states: string[] = []): Promise<string> {
    const res = await fetch(`${services.gateway.url}/api/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, roles, states }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  const post = (path: string, body: unknown, bearer?: string, headers: Record<string, string> = {}) =>
    fetch(`${services.transfer.url}/api/transfers/31/${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const advance = (body: unknown, bearer?: string, headers: Record<string, string> = {}) =>
    post('advance', body, bearer, headers);

  const getJson = async (svc: string, path: string, bearer: string) => {
    const res = await fetch(`${services[svc].url}/api/${path}`, {
      headers: { authorization: `Bearer ${bearer}` },
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  beforeAll(async () => {
    await Promise.all(
      ['transfer', ...CONSUMERS.map((c) => c.name)].map(async (name) => {
        services[name] = await stack.start(name, { LOG_LEVEL: name === 'hr' ? 'debug' : 'warn' });
      }),
    );
  });

  afterAll(() => stack.stop());

  it('propagates the seeded stages and a stage change to every consumer, with auth, validation and audit', async () => {
    const federal = await token('fede', ['federal-coordinator']);
    // Seeded joining history reaches every read model.
    for (const c of CONSUMERS) {
      await withLogs(
        services[c.name],
        waitFor(async () => (await getJson(c.name, c.path, federal)).body.length === 32, {
          timeoutMs: 60000,
          what: `${c.name} to know the 32 states`,
        }),
      );
    }
    const transfers = await getJson('transfer', 'transfers', federal);
    expect(transfers.body.find((t: any) => t.stateCode === '31').stage).toBe('HANDOVER');
    expect(transfers.body.filter((t: any) => t.stage === 'OPERATION')).toHaveLength(23);

    // Who may act: 401 without a token, 403 for the wrong role, another state, or an auditor.
    expect((await advance({ toStage: 'PAYROLL' })).status).toBe(401);
    expect((await advance({ toStage: 'PAYROLL' }, 'not-a-token')).status).toBe(401);
    expect((await advance({ toStage: 'PAYROLL' }, await token('hugo', ['hr-officer'], ['31']))).status).toBe(
      403,
    );
    expect(
      (await advance({ toStage: 'PAYROLL' }, await token('ana', ['state-coordinator'], ['13']))).status,
    ).toBe(403);
    expect((await advance({ toStage: 'PAYROLL' }, await token('aud', ['auditor']))).status).toBe(403);

    // Malformed bodies: 400 with a clear message, nothing written.
    // Counted for Yucatán only: other states' records may arrive meanwhile (e.g. procurement enrolling operating states).
    const yucatanAudit = async () =>
      (await getJson('transfer', 'audit?stateCode=31&pageSize=1', federal)).body.total as number;
    const auditBefore = await yucatanAudit();
    const yuc = await token('yolanda', ['state-coordinator'], ['31']);
    const bad = await advance({ toStage: 'NOWHERE', extra: 'field' }, yuc);
    expect(bad.status).toBe(400);
    const badBody = (await bad.json()) as { message: string };
    expect(badBody.message).toMatch(/toStage/);
    expect(badBody.message).toMatch(/extra/);
    expect((await advance({ toStage: 'AGREEMENT' }, yuc)).status).toBe(400); // going back needs a reason
    expect(await yucatanAudit()).toBe(auditBefore);
    expect((await getJson('transfer', 'transfers/31', federal)).body.stage).toBe('HANDOVER');

    // The HANDOVER gate: open until the actas, the CLUES re-registration and HR's roster are done.
    const gate = await advance({ toStage: 'PAYROLL' }, yuc);
    expect(gate.status).toBe(409);
    expect(await gate.json()).toMatchObject({
      code: 'GATE_OPEN',
      missing: ['handover-actas', 'clues-re-registered', 'roster-reconciled'],
    });
    for (const itemId of ['handover-actas', 'clues-re-registered']) {
      const closed = await post(
        `checklist/${itemId}`,
        { evidence: { reference: `YUC-${itemId}`, date: '2026-02-01' } },
        yuc,
      );
      expect(closed.status).toBe(200);
    }
    const hr = new TestEventSource(stack.namespace);
    await hr.send(RosterReconciled, {
      stateCode: '31',
      workers: 10000,
      reconciledAt: new Date().toISOString(),
    });
    await hr.close();
    await waitFor(
      async () =>
        (await getJson('transfer', 'transfers/31', federal)).body.checklist.every(
          (i: { done: boolean }) => i.done,
        ),
      { timeoutMs: 30000, what: 'the roster-reconciled event to close its item' },
    );

    // The change, with a correlation id carried from the request to the consumer's logs.
    const ok = await advance({ toStage: 'PAYROLL' }, yuc, { 'x-correlation-id': 'e2e-corr-31' });
    expect(ok.status).toBe(200);
    expect(((await ok.json()) as { stage: string }).stage).toBe('PAYROLL');
    for (const c of CONSUMERS) {
      await waitFor(async () => (await getJson(c.name, `${c.path}/31`, federal)).body.stage === 'PAYROLL', {
        timeoutMs: 30000,
        what: `${c.name} to see Yucatán in PAYROLL`,
      });
    }
    await waitFor(
      () => services.hr.logs.some((l) => l.includes('e2e-corr-31') && l.includes('event applied')),
      {
        what: 'the correlation id in hr logs',
      },
    );

    const [row] = await stack.query(
      'transfer',
      `SELECT event::json->>'correlationid' AS c, event::json->>'actor' AS a FROM outbox WHERE type = 'transfer.stage-changed.v1' ORDER BY seq DESC LIMIT 1`,
    );
    expect(row).toEqual({ c: 'e2e-corr-31', a: 'yolanda' });

    const history = (await getJson('transfer', 'transfers/31', federal)).body.history;
    expect(history[0]).toMatchObject({ fromStage: 'HANDOVER', toStage: 'PAYROLL', actor: 'yolanda' });
    const verify = await getJson('transfer', 'audit/verify', await token('aud', ['auditor']));
    expect(verify.body.valid).toBe(true);
    // Three items closed and one stage change since the count was taken.
    expect(await yucatanAudit()).toBe(auditBefore + 4);
  });
});
