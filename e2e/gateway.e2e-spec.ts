import { randomUUID } from 'node:crypto';
import { request } from 'node:http';
import { gzipSync } from 'node:zlib';
import {
  AllocationComputed,
  createEvent,
  DeliveryReceived,
  EventDefinition,
  eventKey,
  FundsDisbursed,
  HiringProgressUpdated,
  ProjectCompleted,
  STATES,
  SupplyOrderIssued,
  WorkerFormalized,
} from '@imb/contracts';
import { createKafka, EventProducer, eventHeaders, OutgoingMessage } from '@imb/messaging';
import { freePort, RunningService, ServiceStack, waitFor } from '@imb/testing';
import { generatedCurp } from './support/roster';

/**
 * The gateway as the one public entry, on real processes, Kafka and PostgreSQL: transfer behind
 * it (hr, procurement and dignification are left down on purpose), the caller's identity and
 * correlation id forwarded, size limits, the merged OpenAPI document, and the national overview
 * kept from events, converging to the figures of their sources after a burst of 10,000 events
 * during which the gateway is killed with SIGKILL and restarted.
 */
describe('gateway: one front door, and the national overview from events', () => {
  const stack = new ServiceStack('e2e-gateway');
  let gateway: RunningService;

  beforeAll(async () => {
    // Ports picked up front so both services start at once; nothing listens on the last three:
    // the services behind them are down.
    const [transferPort, ...downPorts] = [
      await freePort(),
      await freePort(),
      await freePort(),
      await freePort(),
    ];
    [, gateway] = await Promise.all([
      stack.start('transfer', {
        PORT: String(transferPort),
        DOCUMENT_MAX_BYTES: String(60 * 1024 * 1024),
        PROGRESS_INTERVAL_MS: '300',
        AUDIT_ANCHOR_INTERVAL_MS: '1000',
      }),
      stack.start('gateway', {
        TRANSFER_URL: `http://127.0.0.1:${transferPort}`,
        HR_URL: `http://127.0.0.1:${downPorts[0]}`,
        PROCUREMENT_URL: `http://127.0.0.1:${downPorts[1]}`,
        DIGNIFICATION_URL: `http://127.0.0.1:${downPorts[2]}`,
        // The test polls a lot from one address; the limit itself is the throttler's job.
        THROTTLE_LIMIT: '100000',
        SSE_MAX_PER_IDENTITY: '3',
      }),
    ]);
  });

  afterAll(() => stack.stop());

  async function token(sub: string, roles: string[], states: string[] = []): Promise<string> {
    const res = await fetch(`${gateway.url}/api/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub, roles, states }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function call(
    method: string,
    path: string,
    bearer?: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ) {
    const res = await fetch(`${gateway.url}/api/${path}`, {
      method,
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(body !== undefined && !(body instanceof FormData) ? { 'content-type': 'application/json' } : {}),
        ...headers,
      },
      body:
        body === undefined
          ? undefined
          : body instanceof FormData
            ? body
            : typeof body === 'string'
              ? body
              : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  }

  /** Reads a server-sent events stream until `done` says it has seen enough; returns the events. */
  async function readEvents(
    path: string,
    bearer: string,
    done: (events: { event: string; data: any }[]) => boolean,
    onOpen?: () => Promise<void>,
  ) {
    const controller = new AbortController();
    const res = await fetch(`${gateway.url}/api/${path}`, {
      headers: { authorization: `Bearer ${bearer}` },
      signal: controller.signal,
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events: { event: string; data: any }[] = [];
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const opened = onOpen?.();
    try {
      while (!done(events)) {
        const { value, done: ended } = await reader.read();
        if (ended) break;
        buffer += decoder.decode(value, { stream: true });
        let cut: number;
        while ((cut = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, cut);
          buffer = buffer.slice(cut + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
        }
      }
    } finally {
      controller.abort();
      await opened;
    }
    return events;
  }

  it('forwards the caller’s identity and correlation id, and refuses junk before it reaches a service', async () => {
    expect((await call('GET', 'transfers')).status).toBe(401);
    expect((await call('GET', 'transfers', 'not-a-token')).status).toBe(401);
    const ana = await token('ana', ['state-coordinator'], ['13']);
    expect((await call('GET', 'me', ana)).body).toEqual({
      sub: 'ana',
      roles: ['state-coordinator'],
      states: ['13'],
    });

    const listed = await call('GET', 'transfers', ana, undefined, { 'x-correlation-id': 'e2e-gw-list' });
    expect(listed.status).toBe(200);
    expect(listed.body).toHaveLength(32);
    expect(listed.headers.get('x-correlation-id')).toBe('e2e-gw-list');
    expect(listed.headers.get('x-content-type-options')).toBe('nosniff');
    expect((await call('GET', 'transfers/13', ana)).headers.get('x-correlation-id')).toMatch(
      /^[0-9a-f-]{36}$/,
    );

    // Another state's write: the service itself refuses it, and the refusal comes back unchanged.
    const foreign = await call('POST', 'transfers/14/advance', ana, {
      toStage: 'PAYROLL',
      reason: 'not mine',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body.message).toMatch(/state 14/);
    const invalid = await call('POST', 'transfers/13/advance', ana, { toStage: 'NOWHERE' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/toStage/);
    // A gzip-encoded JSON body is inflated by the gateway and reaches the service as plain JSON.
    const gzipped = await fetch(`${gateway.url}/api/transfers/13/advance`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ana}`, 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body: gzipSync(JSON.stringify({ toStage: 'NOWHERE' })),
    });
    expect(gzipped.status).toBe(400);
    expect(((await gzipped.json()) as { message: string }).message).toMatch(/toStage/);

    // A real write carries the caller and the correlation id into the service's audit log.
    const moved = await call(
      'POST',
      'transfers/13/advance',
      ana,
      { toStage: 'PAYROLL', reason: 'payroll still with the state' },
      { 'x-correlation-id': 'e2e-gw-advance' },
    );
    expect(moved.status).toBe(200);
    expect(moved.headers.get('x-correlation-id')).toBe('e2e-gw-advance');
    const audit = await call(
      'GET',
      'audit?service=transfer&stateCode=13&pageSize=1',
      await token('aud', ['auditor']),
    );
    expect(audit.body.items[0]).toMatchObject({
      service: 'transfer',
      actor: 'ana',
      correlationId: 'e2e-gw-advance',
    });
  });

  it('holds at most SSE_MAX_PER_IDENTITY streams per user and ends a stream when its token expires', async () => {
    const [olga, otto] = [await token('olga.streams', ['auditor']), await token('otto.streams', ['auditor'])];
    const open = (bearer: string) => {
      const controller = new AbortController();
      return fetch(`${gateway.url}/api/overview/stream`, { headers: { authorization: `Bearer ${bearer}` }, signal: controller.signal }).then((res) => ({ res, stop: () => controller.abort() }));
    };
    const held = [await open(olga), await open(olga), await open(olga)];
    expect(held.map((h) => h.res.status)).toEqual([200, 200, 200]);
    const refused = await open(olga);
    expect(refused.res.status).toBe(429);
    expect(((await refused.res.json()) as { message: string }).message).toMatch(/at most 3 per user/);
    const other = await open(otto);
    expect(other.res.status).toBe(200);
    // Closing one frees its place.
    held[0].stop();
    await waitFor(async () => {
      const again = await open(olga);
      again.stop();
      return again.res.status === 200;
    }, { timeoutMs: 10_000, what: 'a closed stream to free its place' });
    for (const h of [...held, other]) h.stop();

    const res = await fetch(`${gateway.url}/api/auth/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sub: 'short.lived', roles: ['auditor'], states: [], ttlSeconds: 2 }),
    });
    const shortLived = ((await res.json()) as { accessToken: string }).accessToken;
    const events = await readEvents('overview/stream', shortLived, (seen) => seen.some((e) => e.event === 'expired'));
    expect(events.at(-1)).toMatchObject({ event: 'expired', data: { message: expect.stringMatching(/expired/) } });
  });

  it('limits bodies: 413 for JSON over 1 MB and uploads over 50 MB, while a 45 MB upload streams through', async () => {
    const fede = await token('fede', ['federal-coordinator']);
    const big = await call(
      'POST',
      'transfers/13/advance',
      fede,
      JSON.stringify({ toStage: 'PAYROLL', reason: 'x'.repeat(1_100_000) }),
    );
    expect(big.status).toBe(413);
    expect(big.body.message).toMatch(/larger than the limit/);

    // A declared 60 MB body is refused before a byte of it is read.
    const declared = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = request(`${gateway.url}/api/transfers/documents`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${fede}`,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(60 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on('error', reject);
      req.flushHeaders();
    });
    expect(declared.status).toBe(413);
    expect(declared.body).toMatch(/upload limit of 50mb/);

    const pdf = Buffer.concat([
      Buffer.from('%PDF-1.7\n% acta de entrega\n'),
      Buffer.alloc(45 * 1024 * 1024, 'x'),
      Buffer.from('\n%%EOF\n'),
    ]);
    const form = new FormData();
    form.append('stateCode', '13');
    form.append('title', 'Acta de entrega-recepción');
    form.append('reference', 'ACTA-HGO-2026-01');
    form.append('date', '2026-01-15');
    form.append('file', new Blob([pdf], { type: 'application/pdf' }), 'acta.pdf');
    const uploaded = await call('POST', 'transfers/documents', fede, form);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body.size).toBe(pdf.length);
  });

  it('names a service that is down instead of hanging, and documents the whole API in one OpenAPI document', async () => {
    const fede = await token('fede', ['federal-coordinator']);
    const down = await call('GET', 'hr/states', fede);
    expect(down.status).toBe(503);
    expect(down.body.message).toMatch(/hr service is unavailable/);
    const job = await call('GET', `jobs/procurement-${randomUUID()}`, fede);
    expect(job.status).toBe(503);
    expect(job.body.message).toMatch(/procurement service/);
    const verify = await call('GET', 'audit/verify', await token('aud', ['auditor']));
    expect(verify.body.services).toEqual([expect.objectContaining({ service: 'transfer', valid: true })]);
    expect(verify.body.unavailable.map((u: { service: string }) => u.service)).toEqual([
      'hr',
      'procurement',
      'dignification',
    ]);

    const doc = (await (await fetch(`${gateway.url}/api/docs-json`)).json()) as {
      paths: Record<string, unknown>;
      info: { description: string };
      'x-missing-services': string[];
    };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/overview',
        '/api/me',
        '/api/jobs',
        '/api/transfers',
        '/api/transfers/{stateCode}/advance',
      ]),
    );
    expect(Object.keys(doc.paths).some((p) => p.includes('*'))).toBe(false);
    expect(doc['x-missing-services']).toEqual(['hr', 'procurement', 'dignification']);
    expect(doc.info.description).toMatch(/- hr: The hr service is unavailable/);
    const ui = await fetch(`${gateway.url}/api/docs`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });

  it('shows a stage change made through the gateway in the overview, its stream and the state’s timeline', async () => {
    const ana = await token('ana', ['state-coordinator'], ['13']);
    await waitFor(async () => (await call('GET', 'overview', ana)).body.states[12].stage === 'PAYROLL', {
      what: 'the first change in the overview',
    });

    let changed = false;
    const events = await readEvents(
      'overview/stream',
      ana,
      // Once the change is made, the next event is about Hidalgo (or about several states at once).
      (seen) => changed && seen.some((e) => e.data.stateCode === '13' || e.data.stateCode === undefined),
      async () => {
        const back = await call('POST', 'transfers/13/advance', ana, {
          toStage: 'HANDOVER',
          reason: 'actas pending review',
        });
        expect(back.status).toBe(200);
        changed = true;
      },
    );
    expect(events.every((e) => e.event === 'overview')).toBe(true);
    await waitFor(async () => (await call('GET', 'overview', ana)).body.states[12].stage === 'HANDOVER', {
      what: 'the change back in the overview',
    });
    const read = await call('GET', 'overview', ana);
    const overview = read.body;
    expect(overview.states).toHaveLength(32);
    // Served as built: JSON with its entity tag, and 304 to a client that holds that version
    // (asked again until no event changed the overview between the two reads).
    expect(read.headers.get('content-type')).toBe('application/json; charset=utf-8');
    await waitFor(
      async () => {
        const etag = (await call('GET', 'overview', ana)).headers.get('etag')!;
        // Without a cache-control of its own, fetch adds `no-cache` to a conditional request, which forbids a 304.
        const headers = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
        return (await call('GET', 'overview', ana, undefined, headers)).status === 304;
      },
      { what: '304 Not Modified for the version the client holds' },
    );
    expect(overview.states[12]).toMatchObject({
      stateCode: '13',
      stateName: 'Hidalgo',
      stage: 'HANDOVER',
      daysInStage: 0,
    });
    expect(Date.parse(overview.asOf.transfer)).toBeGreaterThan(Date.now() - 60_000);
    expect(overview.asOf.hr).toBeNull();

    const timeline = (await call('GET', 'overview/states/13/timeline?pageSize=20', ana)).body;
    const times = timeline.items.map((i: { at: string }) => Date.parse(i.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(timeline.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          kind: 'event',
          type: 'transfer.stage-changed.v1',
          summary: 'Stage PAYROLL → HANDOVER: actas pending review',
          actor: 'ana',
        }),
        expect.objectContaining({ kind: 'audit', service: 'transfer', actor: 'ana' }),
      ]),
    );
    // Page 2 of 10 continues where items 1–10 of the same listing end (read again if a new event slipped in).
    await waitFor(
      async () => {
        const first = (await call('GET', 'overview/states/13/timeline?pageSize=20', ana)).body;
        const second = (await call('GET', 'overview/states/13/timeline?pageSize=10&page=2', ana)).body;
        return (
          first.total === second.total &&
          JSON.stringify(second.items) === JSON.stringify(first.items.slice(10, 20))
        );
      },
      { what: 'a stable second page of the timeline' },
    );
  });

  it('converges to the services’ figures after 10,000 events, with the gateway SIGKILLed and restarted mid-burst', async () => {
    const fede = await token('fede', ['federal-coordinator']);

    // 3,000 of the events are transfer's own, from a units import started through the gateway.
    const csv = [
      'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD',
      ...Array.from(
        { length: 3000 },
        (_, i) => `HGSSA${String(i + 1).padStart(6, '0')},13,CENTRO DE SALUD ${i + 1}`,
      ),
    ];
    const form = new FormData();
    form.append('file', new Blob([csv.join('\n')]), 'hidalgo.csv');
    const imported = await call('POST', 'transfers/13/units/imports?dryRun=false', fede, form);
    expect(imported.status).toBe(202);
    const jobId = imported.body.jobId as string;

    // 7,000 come from the other services (played here): dignification pays 1,200 allocations of
    // four yearly programmes in three tranches and completes half of them; hr reports hiring
    // progress and formalizes 968 workers; procurement issues 400 supply orders delivered in two
    // parts; 600 of those events are delivered twice. The overview shows the current programme
    // (2027, programmes[3]) only, allocated as its allocation-computed event says per state.
    const programmes = Array.from({ length: 4 }, () => randomUUID());
    const current = programmes[3];
    const expected = new Map(
      STATES.map((s) => [
        s.code as string,
        {
          allocated: 0,
          disbursed: 0,
          units: 0,
          completed: 0,
          formalized: 0,
          ordered: 0,
          delivered: 0,
          specialists: 0,
        },
      ]),
    );
    const message = <T extends object>(def: EventDefinition<T>, data: T): OutgoingMessage => {
      const event = createEvent(def, data, { actor: `system:${def.source}` });
      return {
        topic: `${stack.namespace}.${def.topic}`,
        key: eventKey(def, event.data),
        value: JSON.stringify(event),
        headers: eventHeaders(event),
      };
    };
    const unique: OutgoingMessage[] = [];
    for (let i = 0; i < 1200; i++) {
      const state = STATES[i % 32];
      const allocated = 400_000 + (i % 5) * 200_000;
      const programmeId = programmes[Math.floor(i / 32) % 4];
      const base = {
        programmeId,
        allocationId: randomUUID(),
        clues: `${state.abbr}IMB${String(i).padStart(6, '0')}`,
        stateCode: state.code,
      };
      for (let t = 1; t <= 3; t++) {
        unique.push(
          message(FundsDisbursed, {
            ...base,
            disbursementId: randomUUID(),
            amount: allocated / 4,
            disbursedTotal: (t * allocated) / 4,
            allocated,
            disbursedAt: new Date().toISOString(),
          }),
        );
      }
      // Older programmes' payments are sent too, but only the current programme's are expected.
      const figures = programmeId === current ? expected.get(state.code)! : { ...expected.get(state.code)! };
      figures.allocated += allocated;
      figures.disbursed += (3 * allocated) / 4;
      figures.units += 1;
      if (i % 2 === 0) {
        unique.push(
          message(ProjectCompleted, {
            ...base,
            spent: (3 * allocated) / 4,
            disbursed: (3 * allocated) / 4,
            verifiedBy: 'vero',
            completedAt: new Date().toISOString(),
          }),
        );
        figures.completed += 1;
      }
    }
    STATES.forEach((state, i) => {
      const filled = 50 + i;
      expected.get(state.code)!.specialists = Math.round((filled / 100) * 1000) / 10;
      const categories = [
        { category: 'specialist', target: 100, filled, percent: filled },
        { category: 'nursing', target: 0, filled: 0, percent: null },
      ];
      unique.push(
        message(HiringProgressUpdated, {
          stateCode: state.code,
          categories,
          computedAt: new Date().toISOString(),
        }),
      );
    });
    for (let i = 0; i < 968; i++) {
      const state = STATES[i % 32];
      unique.push(
        message(WorkerFormalized, {
          workerId: randomUUID(),
          curp: generatedCurp(i, state.abbr),
          stateCode: state.code,
          campaignId: programmes[0],
          contractId: randomUUID(),
          postId: randomUUID(),
          postNumber: `P${i}`,
          postCode: 'M01006',
          category: 'general-practitioner',
          clues: `${state.abbr}IMB${String(i).padStart(6, '0')}`,
          previousContractType: 'eventual',
          appointedAt: new Date().toISOString(),
        }),
      );
      expected.get(state.code)!.formalized += 1;
    }
    for (let i = 0; i < 400; i++) {
      const state = STATES[i % 32];
      const order = {
        orderId: randomUUID(),
        contractId: randomUUID(),
        exerciseCode: '2027-2028',
        clave: '010.000.0104.00',
        supplierRfc: 'ABC010101AB1',
        stateCode: state.code,
      };
      const quantity = 1000 + i;
      const first = Math.floor(quantity / 2);
      const final = i % 3 === 0 ? first : quantity - (i % 7);
      unique.push(
        message(SupplyOrderIssued, {
          ...order,
          quantity,
          unitPrice: 10,
          dueDate: '2027-03-01',
          contractOrdered: quantity,
          issuedAt: new Date().toISOString(),
        }),
      );
      const delivery = { ...order, deliveredOn: '2027-03-01', daysLate: 0, orderQuantity: quantity };
      unique.push(
        message(DeliveryReceived, {
          ...delivery,
          deliveryId: randomUUID(),
          deliveryKey: `R-${i}-1`,
          quantity: first,
          orderDelivered: first,
        }),
      );
      unique.push(
        message(DeliveryReceived, {
          ...delivery,
          deliveryId: randomUUID(),
          deliveryKey: `R-${i}-2`,
          quantity: Math.max(1, final - first),
          orderDelivered: Math.max(first, final),
        }),
      );
      expected.get(state.code)!.ordered += quantity;
      expected.get(state.code)!.delivered += Math.max(first, final);
    }
    // Each programme's allocation, national events with the figures per state: the current one
    // also funds two units per state never paid; a stale computation of it, delivered late, and
    // the older programmes must not count.
    for (const figures of expected.values()) {
      figures.units += 2;
      figures.allocated += 2 * 300_000;
    }
    const computed = (
      programmeId: string,
      year: number,
      computedAt: string,
      perState: (code: string) => { units: number; amount: number },
    ) => {
      const byState = STATES.map((s) => ({ stateCode: s.code, ...perState(s.code) }));
      const total = byState.reduce((n, s) => n + s.amount, 0);
      return message(AllocationComputed, {
        programmeId,
        year,
        envelope: total,
        units: byState.reduce((n, s) => n + s.units, 0),
        total,
        leftOut: 0,
        byTier: {},
        inputHash: randomUUID(),
        computedAt,
        byState,
      });
    };
    const national = [
      ...programmes
        .slice(0, 3)
        .map((p, y) =>
          computed(p, 2024 + y, '2026-01-01T00:00:00Z', () => ({ units: 99, amount: 99_000_000 })),
        ),
      computed(current, 2027, '2027-01-15T00:00:00Z', (code) => ({
        units: expected.get(code)!.units,
        amount: expected.get(code)!.allocated,
      })),
      computed(current, 2027, '2027-01-10T00:00:00Z', () => ({ units: 1, amount: 1 })),
    ];
    const burst = [...unique, ...unique.slice(0, 600)];
    expect(burst.length + csv.length - 1).toBe(10_000);

    const producer = new EventProducer(createKafka({ clientId: 'e2e-gateway-burst' }));
    const send = async (messages: OutgoingMessage[]) => {
      for (let i = 0; i < messages.length; i += 500) await producer.send(messages.slice(i, i + 500));
    };
    try {
      await send(national);
      await send(burst.slice(0, 3500));
      // Kill the gateway once it is applying the burst, then deliver the rest while it is down.
      await waitFor(async () => (await call('GET', 'overview', fede)).body.asOf.dignification !== null, {
        what: 'the burst to reach the gateway',
      });
      await gateway.stop('SIGKILL');
      await send(burst.slice(3500));
    } finally {
      await producer.disconnect();
    }
    gateway = await stack.restart('gateway');

    // The import's job, through the merged listing and the progress stream.
    const progress = await readEvents(`jobs/${jobId}/stream`, fede, (seen) =>
      ['completed', 'failed'].includes(seen[seen.length - 1]?.data.status),
    );
    expect(progress[progress.length - 1].data).toMatchObject({
      id: jobId,
      status: 'completed',
      progress: { done: 3000, percent: 100 },
    });
    const jobs = (await call('GET', 'jobs?pageSize=5', fede)).body;
    expect(jobs.items[0]).toMatchObject({ id: jobId, kind: 'units.import' });
    expect(jobs.unavailable).toHaveLength(3);

    const canonical = (o: Record<string, number>) =>
      JSON.stringify(
        Object.keys(o)
          .sort()
          .map((k) => [k, o[k]]),
      );
    const sameFigures = async () => {
      const overview = (await call('GET', 'overview', fede)).body as { states: any[] };
      const stages = new Map(
        (
          (await call('GET', 'transfers', fede)).body as {
            stateCode: string;
            stage: string;
            stageSince: string;
          }[]
        ).map((t) => [t.stateCode, t]),
      );
      const units = new Map(
        (
          (await call('GET', 'transfers/progress', fede)).body.states as {
            stateCode: string;
            unitsTotal: number;
            unitsByStatus: Record<string, number>;
            handedOverPercent: number;
          }[]
        ).map((p) => [p.stateCode, p]),
      );
      return overview.states.every((s) => {
        const want = expected.get(s.stateCode)!;
        const stage = stages.get(s.stateCode)!;
        const unit = units.get(s.stateCode)!;
        return (
          s.stage === stage.stage &&
          s.stageSince === new Date(stage.stageSince).toISOString() &&
          s.units.total === unit.unitsTotal &&
          s.units.handedOverPercent === unit.handedOverPercent &&
          canonical(s.units.byStatus) === canonical(unit.unitsByStatus) &&
          s.dignification.allocated === want.allocated &&
          s.dignification.disbursed === want.disbursed &&
          s.dignification.fundsDeliveredPercent ===
            Math.floor((1000 * want.disbursed) / want.allocated) / 10 &&
          s.dignification.projectsCompleted === want.completed &&
          s.dignification.projectsCompletedPercent ===
            Math.floor((1000 * want.completed) / want.units) / 10 &&
          s.formalized === want.formalized &&
          s.hiring.specialists === want.specialists &&
          s.hiring.nursing === null &&
          s.fillRate === Math.floor((1000 * want.delivered) / want.ordered) / 10
        );
      });
    };
    await waitFor(sameFigures, {
      timeoutMs: 90000,
      intervalMs: 250,
      what: 'the overview to match transfer and the events sent',
    });
    expect((await call('GET', 'overview', fede)).body.states[12].units.total).toBe(3000);

    // Exactly once in effect: one inbox row and one timeline line per distinct event. The figures
    // can match before the last events are applied (later events repeat earlier figures), so wait
    // until the consumer has caught up with everything sent, then check nothing counted twice.
    const db = await stack.connect('gateway');
    const applied = async () =>
      (
        await db.query(
          `SELECT count(*)::int AS n FROM inbox WHERE event_type ~ '^(dignification|hr|procurement)\\.'`,
        )
      ).rows[0].n as number;
    await waitFor(async () => (await applied()) >= unique.length + national.length || undefined, {
      timeoutMs: 90000,
      intervalMs: 250,
      what: 'the gateway to apply every event of the burst',
    });
    const [inbox] = (
      await db.query(
        `SELECT count(*)::int AS n FROM inbox WHERE event_type ~ '^(dignification|hr|procurement)\\.'`,
      )
    ).rows;
    const [lines] = (
      await db.query(`SELECT count(*)::int AS n FROM overview_event WHERE service <> 'transfer'`)
    ).rows;
    const [units] = (
      await db.query(
        `SELECT count(*)::int AS n FROM overview_event WHERE type = 'transfer.unit-inventoried.v1'`,
      )
    ).rows;
    expect(inbox.n).toBe(unique.length + national.length);
    expect(lines.n).toBe(unique.length);
    expect(units.n).toBe(3000);
  });

  // Last: it cuts records off transfer's audit chain.
  it("keeps each chain's published head, so verify catches records cut off the end of a service's chain", async () => {
    const auditor = await token('aud.verify', ['auditor']);
    // The head the gateway keeps is the chain's newest record (transfer may still be applying the burst's events).
    const head = await waitFor(
      async () => {
        const [newest] = await stack.query<{ seq: string; hash: string }>(
          'transfer',
          `SELECT seq::text, hash FROM audit_log ORDER BY audit_log.seq DESC LIMIT 1`,
        );
        const kept = await stack.query('gateway', `SELECT 1 FROM audit_anchor WHERE service = 'transfer' AND seq = $1 AND hash = $2`, [
          newest.seq,
          newest.hash,
        ]);
        return kept.length ? newest : undefined;
      },
      { timeoutMs: 60000, intervalMs: 250, what: "the gateway to keep transfer's audit chain head" },
    );
    const intact = await call('GET', 'audit/verify?service=transfer', auditor);
    expect(intact.status).toBe(200);
    expect(intact.body).toMatchObject({ valid: true });
    expect(intact.body.anchorsChecked).toBeGreaterThanOrEqual(1);

    // As a superuser past the append-only trigger would: the newest record goes, the chain left is consistent.
    const db = await stack.connect('transfer');
    await db.query(`SET session_replication_role = replica`);
    await db.query(`DELETE FROM audit_log WHERE seq = $1`, [head.seq]);
    await db.query(`SET session_replication_role = DEFAULT`);

    const cut = await call('GET', 'audit/verify?service=transfer', auditor);
    expect(cut.status).toBe(200);
    expect(cut.body).toMatchObject({ valid: false, firstBrokenAt: { seq: head.seq } });
    expect(cut.body.firstBrokenAt.reason).toMatch(/records were removed from its end/);
  });
});
