import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { PayrollTransferred, RosterReconciled } from '@imb/contracts';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';
import { generateRoster } from './support/roster';

/**
 * HR's events close transfer's gates, with both real services on Kafka, PostgreSQL and Redis and
 * nobody playing either one. Yucatán, seeded in HANDOVER, waits for HR's roster-reconciled; its
 * PAYROLL gate waits for payroll-transferred. Transfer imports a small CLUES catalogue, HR learns
 * the units from transfer's events, imports a roster naming them and federalizes the payroll;
 * transfer's gates close with the events' references, and Yucatán advances to OPERATION.
 */
const YUCATAN = '31';
const CLUES = ['YNSSA000001', 'YNSSA000002', 'YNSSA000003', 'YNSSA000004'];
const ROWS = 24; // fewer than 100: no planted faults; row 13 is a vacant post
const OCCUPIED = ROWS - 1;

describe('HR’s roster-reconciled and payroll-transferred close transfer’s gates, end to end', () => {
  const stack = new ServiceStack('e2e-hr-gate');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let transfer: RunningService;
  let hr: RunningService;
  let federal: string;
  let yucatan: string;
  let hrOfficer: string;

  async function call(
    service: RunningService,
    method: 'GET' | 'POST',
    path: string,
    bearer: string,
    body?: unknown,
  ) {
    const res = await fetch(`${service.url}/api/${path}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const upload = async (
    service: RunningService,
    path: string,
    bearer: string,
    name: string,
    text: string,
  ) => {
    const form = new FormData();
    form.append('file', new Blob([text]), name);
    const res = await fetch(`${service.url}/api/${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${bearer}` },
      body: form,
    });
    expect(res.status).toBe(202);
    return ((await res.json()) as { jobId: string }).jobId;
  };
  const advance = (toStage: string) =>
    call(transfer, 'POST', `transfers/${YUCATAN}/advance`, yucatan, { toStage });
  const checklistItem = async (itemId: string) =>
    (await call(transfer, 'GET', `transfers/${YUCATAN}`, federal)).body.checklist.find(
      (i: { id: string }) => i.id === itemId,
    );
  /** The id of the one event of this type in HR's outbox. */
  const hrEventId = async (type: string) => {
    const rows = await stack.query<{ id: string }>(
      'hr',
      `SELECT event::json->>'id' AS id FROM outbox WHERE type = $1`,
      [type],
    );
    expect(rows).toHaveLength(1);
    return rows[0].id;
  };

  async function expectGateOpen(toStage: string, missing: string[]) {
    const refused = await advance(toStage);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'GATE_OPEN', missing });
  }

  /** Waits until the item is closed by HR's event `eventId` and checks how it was closed. */
  async function expectClosedByEvent(itemId: string, type: string, eventId: string) {
    const item = await waitFor(
      async () => {
        const i = await checklistItem(itemId);
        return i?.done ? i : undefined;
      },
      { timeoutMs: 30000, what: `${itemId} to close` },
    );
    expect(item).toMatchObject({
      source: 'event',
      eventType: type,
      doneBy: type,
      evidence: { reference: `event ${eventId}`, date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
  }

  beforeAll(async () => {
    [transfer, hr] = await Promise.all([stack.start('transfer'), stack.start('hr')]);
    federal = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    yucatan = await issuer.sign({ sub: 'yolanda', roles: ['state-coordinator'], states: [YUCATAN] });
    hrOfficer = await issuer.sign({ sub: 'hilda', roles: ['hr-officer'], states: [YUCATAN] });
  });

  afterAll(() => stack.stop());

  it('keeps Yucatán’s HANDOVER gate open on HR’s roster once the manual items are closed', async () => {
    expect((await call(transfer, 'GET', `transfers/${YUCATAN}`, federal)).body).toMatchObject({
      stage: 'HANDOVER',
      definitionVersion: 1,
    });
    await expectGateOpen('PAYROLL', ['handover-actas', 'clues-re-registered', 'roster-reconciled']);
    for (const itemId of ['handover-actas', 'clues-re-registered']) {
      const closed = await call(transfer, 'POST', `transfers/${YUCATAN}/checklist/${itemId}`, yucatan, {
        evidence: { reference: `YUC/${itemId}/2026`, date: '2026-02-27' },
      });
      expect(closed.status).toBe(200);
    }
    await expectGateOpen('PAYROLL', ['roster-reconciled']);
  });

  it('closes roster-reconciled when HR imports a roster of the units transfer inventoried', async () => {
    const catalogue = [
      'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD',
      ...CLUES.map((c, i) => `${c},31,CENTRO DE SALUD ${i + 1}`),
    ];
    const unitsJob = await upload(
      transfer,
      `transfers/${YUCATAN}/units/imports`,
      yucatan,
      'clues-yucatan.csv',
      catalogue.join('\n'),
    );
    expect(await waitForJob(transfer, unitsJob, federal)).toMatchObject({
      status: 'completed',
      result: { inserted: CLUES.length },
    });
    // HR learns the units from transfer's unit-inventoried events.
    await waitFor(
      async () => {
        const [{ n }] = await stack.query<{ n: number }>(
          'hr',
          `SELECT count(*)::int AS n FROM hr_unit WHERE state_code = $1`,
          [YUCATAN],
        );
        return n === CLUES.length;
      },
      { timeoutMs: 30000, what: 'HR to know Yucatán’s units' },
    );

    const roster = generateRoster({ rows: ROWS, abbr: 'YN', clues: CLUES });
    const rosterJob = await upload(
      hr,
      `hr/rosters/imports?stateCode=${YUCATAN}`,
      hrOfficer,
      'plantilla-31.csv',
      roster,
    );
    expect(await waitForJob(hr, rosterJob, hrOfficer)).toMatchObject({
      status: 'completed',
      result: { rows: ROWS, valid: ROWS, errors: 0, workers: OCCUPIED },
    });

    await expectClosedByEvent(
      'roster-reconciled',
      RosterReconciled.type,
      await hrEventId(RosterReconciled.type),
    );
    const moved = await advance('PAYROLL');
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('PAYROLL');
  });

  it('closes payroll-federalized when HR federalizes Yucatán’s payroll, and Yucatán reaches OPERATION', async () => {
    await expectGateOpen('OPERATION', ['payroll-federalized']);
    const federalized = await call(hr, 'POST', `hr/states/${YUCATAN}/payroll-transfer`, hrOfficer, {
      effectiveDate: '2026-07-01',
    });
    expect(federalized).toMatchObject({
      status: 200,
      body: { stateCode: YUCATAN, workers: OCCUPIED, effectiveDate: '2026-07-01' },
    });

    await expectClosedByEvent(
      'payroll-federalized',
      PayrollTransferred.type,
      await hrEventId(PayrollTransferred.type),
    );
    const moved = await advance('OPERATION');
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe('OPERATION');
  });

  it('audits both closures in a chain that verifies, in transfer and in HR', async () => {
    const auditor = await issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] });
    for (const service of [transfer, hr]) {
      expect((await call(service, 'GET', 'audit/verify', auditor)).body.valid).toBe(true);
    }
    const records = (await call(transfer, 'GET', `audit?stateCode=${YUCATAN}&pageSize=1000`, auditor)).body
      .items as any[];
    for (const [itemId, type] of [
      ['roster-reconciled', RosterReconciled.type],
      ['payroll-federalized', PayrollTransferred.type],
    ]) {
      const closures = records.filter(
        (r) => r.entityId === `${YUCATAN}/${itemId}` && r.action === 'transfer.checklist-item-completed',
      );
      expect(closures).toHaveLength(1);
      expect(closures[0].after).toMatchObject({
        done: true,
        doneBy: type,
        evidence: { reference: `event ${await hrEventId(type)}` },
      });
    }
    const transitions = records
      .filter((r) => r.action === 'transfer.stage-changed')
      .map((r) => `${r.before?.stage}→${r.after.stage}`);
    expect(transitions.slice(0, 2)).toEqual(['PAYROLL→OPERATION', 'HANDOVER→PAYROLL']);
  });
});
