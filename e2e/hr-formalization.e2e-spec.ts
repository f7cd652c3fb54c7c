import { randomUUID } from 'node:crypto';
import * as ExcelJS from 'exceljs';
import type { Consumer } from 'kafkajs';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { StageChanged, Topics, UnitInventoried, UnitStatusChanged } from '@imb/contracts';
import { createKafka, ensureTopics } from '@imb/messaging';
import { RunningService, ServiceStack, uniqueName, waitFor, waitForJob } from '@imb/testing';
import { TestEventSource } from './support/events';
import { generatedCurp, ROSTER_HEADER } from './support/roster';

/**
 * Formalization (basificación) on a real hr process, PostgreSQL, Redis and Kafka: a Nayarit roster
 * of eventual staff with people planted to fail each criterion, the campaign's reference lists,
 * the eligibility job, the steps one by one and in bulk, and a bulk appointment whose service is
 * killed with SIGKILL mid-run and restarted: everyone eligible is appointed exactly once, with one
 * worker-formalized event each on Kafka. An HR officer of Nayarit (18) cannot see Hidalgo's (13).
 */
const PEOPLE = 1000;
const UNITS = 20;
const CUTOFF = '2026-01-31';
const nt = (k: number) => `NTIMB${String(k + 1).padStart(6, '0')}`;
const hg = (k: number) => `HGIMB${String(k + 1).padStart(6, '0')}`;

/** Person i of the Nayarit roster, and which criteria they were built to fail. */
const person = (i: number) => {
  const type = i % 10 === 3 ? 'HONORARIOS' : i % 10 === 7 ? 'BASE' : i % 2 === 0 ? 'EVENTUAL' : 'TEMPORAL';
  const f = {
    curp: generatedCurp(i, 'NT'),
    type,
    start: i % 25 === 1 ? '2025-12-01' : '2022-06-15',
    unit: i % UNITS,
    profession: i % 30 === 11 ? 'LICENCIADA EN ENFERMERIA' : 'MEDICO CIRUJANO',
    permanentPost: i % 50 === 5,
    barred: i % 50 === 9,
    evaluation: i % 40 === 13 ? null : i % 40 === 17 ? [50, 40] : [85, 40],
  };
  const fails = [
    type === 'HONORARIOS' && 'contract-type',
    f.unit === 0 && 'transferable-unit',
    f.start > '2025-07-31' && 'seniority',
    f.profession !== 'MEDICO CIRUJANO' && 'profile',
    (f.evaluation === null || f.evaluation[0] < 70) && 'performance-training',
    f.permanentPost && 'no-permanent-post',
    f.barred && 'not-barred',
  ].filter((x): x is string => Boolean(x));
  return { ...f, candidate: type !== 'BASE', fails };
};

const rosterLine = (curp: string, n: number, plaza: string, clues: string, profession: string, type: string, start: string) =>
  `${plaza},M01006,${clues},SI,OCUPADA,${curp},${curp.slice(0, 10)}AB1,PERSONA ${n},${profession},${1000000 + n},${type},${start},,ESTATAL`;

describe('hr: formalization campaign, eligibility, steps and appointments surviving a SIGKILL', () => {
  const stack = new ServiceStack('e2e-hr-formalization');
  let hr: RunningService;
  let db: Client;
  let source: TestEventSource;
  let consumer: Consumer;
  const received: { key: string; id: string; type: string }[] = [];
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let federal: string;
  let nayarit: string;
  let auditor: string;
  const units = Array.from({ length: UNITS }, () => randomUUID());
  const hidalgoUnits = [randomUUID(), randomUUID()];
  const people = Array.from({ length: PEOPLE }, (_, i) => person(i));
  const eligible = people.filter((p) => p.candidate && !p.fails.length);
  let campaign: string;
  let hidalgoCampaign: string;

  beforeAll(async () => {
    hr = await stack.start('hr', {
      // Small chunks, so the appointment job is still running when it is killed.
      FORMALIZATION_STEP_CHUNK: '50',
      // A job killed with its worker resumes within seconds: its claim lapses after 15 s and
      // lapsed claims are looked for every 5 s.
      JOBS_LOCK_DURATION_MS: '15000',
      JOBS_STALLED_INTERVAL_MS: '5000',
    });
    db = await stack.connect('hr');
    source = new TestEventSource(stack.namespace);
    [federal, nayarit, auditor] = await Promise.all([
      issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] }),
      issuer.sign({ sub: 'nadia', roles: ['hr-officer'], states: ['18'] }),
      issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] }),
    ]);
    const kafka = createKafka({ clientId: 'e2e-hr-formalization' });
    const topic = `${stack.namespace}.${Topics.HrWorker}`;
    await ensureTopics(kafka, [topic]);
    consumer = kafka.consumer({ groupId: uniqueName('e2e-hr-formalization') });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const event = JSON.parse(message.value!.toString()) as { id: string; type: string };
        received.push({ key: message.key!.toString(), id: event.id, type: event.type });
      },
    });
  });

  afterAll(async () => {
    await consumer?.disconnect();
    await source?.close();
    await stack.stop();
  });

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${hr.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const upload = async (path: string, content: Buffer | string, name: string, bearer = nayarit) => {
    const form = new FormData();
    form.append('file', new Blob([content]), name);
    const res = await fetch(`${hr.url}/api/${path}`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };
  const finished = (jobId: string, bearer = federal) => waitForJob<any>(hr, jobId, bearer, 150000);
  const count = async (sql: string, params: unknown[] = []) => Number((await db.query(sql, params)).rows[0].n);
  /** Uploads a campaign's three reference lists (the barred one as .xlsx, with a title row above the header). */
  const lists = async (id: string, l: { permanent: string[]; barred: string[]; evaluations: [string, number, number][] }, bearer = nayarit) => {
    const csv = (header: string, lines: string[]) => [header, ...lines].join('\n');
    const base = `hr/formalization/campaigns/${id}/lists`;
    expect((await upload(`${base}/permanent-posts`, csv('CURP,INSTITUCION', l.permanent.map((c) => `${c},IMSS`)), 'plazas.csv', bearer)).status).toBe(201);
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('sancionados');
    sheet.addRow(['PADRÓN DE SERVIDORES PÚBLICOS SANCIONADOS']);
    sheet.addRow(['CURP', 'SANCIÓN']);
    l.barred.forEach((c) => sheet.addRow([c, 'INHABILITACION 5 AÑOS']));
    expect((await upload(`${base}/barred`, Buffer.from(await workbook.xlsx.writeBuffer()), 'sancionados.xlsx', bearer)).status).toBe(201);
    const evaluations = csv('CURP,CALIFICACION,HORAS_CAPACITACION', l.evaluations.map((e) => e.join(',')));
    expect((await upload(`${base}/evaluations`, evaluations, 'evaluaciones.csv', bearer)).status).toBe(201);
  };

  it('learns the states and units from transfer events and imports the rosters', async () => {
    const at = new Date().toISOString();
    await source.send(StageChanged, { stateCode: '18', fromStage: null, toStage: 'HANDOVER', definitionVersion: 1, changedAt: at });
    await source.send(StageChanged, { stateCode: '13', fromStage: null, toStage: 'OPERATION', definitionVersion: 1, changedAt: at });
    for (let k = 0; k < UNITS; k++) {
      await source.send(UnitInventoried, { unitId: units[k], clues: nt(k), stateCode: '18', name: `CENTRO DE SALUD ${k}`, institution: 'IMB', inventoriedAt: at });
    }
    for (let k = 0; k < 2; k++) {
      await source.send(UnitInventoried, { unitId: hidalgoUnits[k], clues: hg(k), stateCode: '13', name: `HOSPITAL ${k}`, institution: 'IMB', inventoriedAt: at });
    }
    await source.send(UnitStatusChanged, { unitId: units[0], clues: nt(0), stateCode: '18', fromStatus: 'INVENTORIED', toStatus: 'EXCLUDED', reason: 'inmueble particular', changedAt: at });
    await waitFor(
      async () =>
        (await count(`SELECT count(*) AS n FROM hr_unit`)) === UNITS + 2 &&
        (await count(`SELECT count(*) AS n FROM formalization_unit_status`)) === 1 &&
        (await count(`SELECT count(*) AS n FROM state`)) === 2,
      { timeoutMs: 60000, intervalMs: 200, what: 'units, unit status and states to arrive' },
    );

    const roster18 = [ROSTER_HEADER, ...people.map((p, i) => rosterLine(p.curp, i, `P${String(i).padStart(6, '0')}`, nt(p.unit), p.profession, p.type, p.start))].join('\n');
    const roster13 = [ROSTER_HEADER, ...Array.from({ length: 30 }, (_, i) => rosterLine(generatedCurp(i, 'HG'), i, `H${i}`, hg(i % 2), 'MEDICO CIRUJANO', 'EVENTUAL', '2022-01-10'))].join('\n');
    for (const [state, csv] of [['18', roster18], ['13', roster13]]) {
      const res = await upload(`hr/rosters/imports?stateCode=${state}`, csv, `plantilla-${state}.csv`, federal);
      expect(res.status).toBe(202);
      expect((await finished(res.body.jobId)).result).toMatchObject({ errors: 0 });
    }
    // A reconciled roster re-emits the state's hiring progress for the national overview.
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM outbox WHERE type = 'hr.hiring-progress-updated.v1' AND key = '18'`)) >= 1, {
      timeoutMs: 60000,
      intervalMs: 200,
      what: 'hiring progress of Nayarit after its roster',
    });
    // New targets are emitted too; the same targets again are no change and emit nothing.
    const progressEvents = () => count(`SELECT count(*) AS n FROM outbox WHERE type = 'hr.hiring-progress-updated.v1' AND key = '18'`);
    const before = await progressEvents();
    const targets = { targets: [{ category: 'general-practitioner', target: 1200 }] };
    expect((await api('PUT', 'hr/states/18/targets', nayarit, targets)).status).toBe(200);
    expect(await progressEvents()).toBe(before + 1);
    expect((await api('PUT', 'hr/states/18/targets', nayarit, targets)).status).toBe(200);
    expect(await progressEvents()).toBe(before + 1);
  });

  it('creates the campaign and takes its reference lists, refusing a bad file whole', async () => {
    const body = { name: 'Basificación Nayarit 2026', states: ['18'], cutoffDate: CUTOFF, rules: { minSeniorityMonths: 6 } };
    expect((await api('POST', 'hr/formalization/campaigns', nayarit, { ...body, states: ['18', '13'] })).status).toBe(403);
    expect((await api('POST', 'hr/formalization/campaigns', nayarit, { ...body, cutoffDate: '31/01/2026' })).status).toBe(400);
    expect((await api('POST', 'hr/formalization/campaigns', auditor, body)).status).toBe(403);
    const created = await api('POST', 'hr/formalization/campaigns', nayarit, body);
    expect(created).toMatchObject({ status: 201, body: { name: body.name, states: ['18'], cutoffDate: CUTOFF, rules: { minSeniorityMonths: 6, minPerformanceScore: 70, minTrainingHours: 20 }, lists: [] } });
    campaign = created.body.id;
    expect((await api('POST', 'hr/formalization/campaigns', nayarit, body)).status).toBe(409);

    const missing = await api('POST', `hr/formalization/campaigns/${campaign}/eligibility`, nayarit);
    expect(missing).toMatchObject({ status: 409, body: { code: 'LISTS_MISSING', missing: ['permanent-posts', 'barred', 'evaluations'] } });

    const good = people[0].curp;
    const badDigit = good.slice(0, 17) + String((Number(good[17]) + 1) % 10);
    const bad = await upload(`hr/formalization/campaigns/${campaign}/lists/barred`, `CURP\n${good}\n${badDigit}\nXXXX\n`, 'sancionados.csv');
    expect(bad).toMatchObject({ status: 400, body: { code: 'INVALID_LIST', errorCount: 2, errors: [{ row: 3, field: 'CURP' }, { row: 4, field: 'CURP' }] } });
    expect(bad.body.errors[0].message).toMatch(/check digit/i);
    expect((await upload(`hr/formalization/campaigns/${campaign}/lists/barred`, 'NOMBRE\nX\n', 'x.csv')).body.code).toBe('UNREADABLE_FILE');
    expect((await upload(`hr/formalization/campaigns/${campaign}/lists/barred`, 'CURP\n', 'x.pdf')).status).toBe(415);
    expect(await count(`SELECT count(*) AS n FROM formalization_list`)).toBe(0);
    expect(await count(`SELECT count(*) AS n FROM formalization_list_entry`)).toBe(0);

    await lists(campaign, {
      permanent: people.filter((p) => p.permanentPost).map((p) => p.curp),
      barred: people.filter((p) => p.barred).map((p) => p.curp),
      evaluations: people.flatMap((p) => (p.evaluation ? [[p.curp, p.evaluation[0], p.evaluation[1]] as [string, number, number]] : [])),
    });
    const view = (await api('GET', `hr/formalization/campaigns/${campaign}`, auditor)).body;
    expect(view.lists.map((l: any) => [l.kind, l.entries])).toEqual([
      ['barred', people.filter((p) => p.barred).length],
      ['evaluations', people.filter((p) => p.evaluation).length],
      ['permanent-posts', people.filter((p) => p.permanentPost).length],
    ]);
  });

  it('evaluates every candidate against the 7 criteria, idempotently', async () => {
    const started = await api('POST', `hr/formalization/campaigns/${campaign}/eligibility`, nayarit);
    expect(started.status).toBe(202);
    const job = await finished(started.body.jobId);
    const candidates = people.filter((p) => p.candidate);
    expect(job).toMatchObject({ status: 'completed', progress: { percent: 100, done: candidates.length } });
    expect(job.result).toMatchObject({ candidates: candidates.length, eligible: eligible.length, ineligible: candidates.length - eligible.length, changed: candidates.length });

    // Every person's stored outcome is the one they were built for, criterion by criterion.
    const { rows } = await db.query(`SELECT curp, eligible, failed FROM formalization_candidate WHERE campaign_id = $1`, [campaign]);
    const stored = new Map(rows.map((r) => [r.curp, r]));
    expect(stored.size).toBe(candidates.length);
    const mismatches = candidates.filter((p) => JSON.stringify(stored.get(p.curp)?.failed) !== JSON.stringify(p.fails));
    expect(mismatches).toEqual([]);

    const honorarios = people.find((p) => p.type === 'HONORARIOS')!;
    const one = await api('GET', `hr/formalization/campaigns/${campaign}/candidates/${honorarios.curp}`, nayarit);
    expect(one.body).toMatchObject({ curp: honorarios.curp, stateCode: '18', eligible: false, step: 'evaluated' });
    expect(one.body.criteria[0]).toEqual({ criterion: 'contract-type', label: 'Eventual or temporary contract', pass: false, reason: 'honorarios contract: only eventual or temporary (temporal) contracts qualify' });
    const seniority = await api('GET', `hr/formalization/campaigns/${campaign}/candidates?criterion=seniority&pageSize=5`, auditor);
    expect(seniority.body).toMatchObject({ total: candidates.filter((p) => p.fails.includes('seniority')).length, page: 1, pageSize: 5 });
    const counts = (await api('GET', `hr/formalization/campaigns/${campaign}/counts`, nayarit)).body;
    expect(counts.states).toEqual([
      expect.objectContaining({ stateCode: '18', candidates: candidates.length, eligible: eligible.length, steps: expect.objectContaining({ evaluated: candidates.length }) }),
    ]);
    expect(counts.states[0].failedBy['not-barred']).toBe(candidates.filter((p) => p.barred).length);

    const again = await finished((await api('POST', `hr/formalization/campaigns/${campaign}/eligibility`, federal)).body.jobId);
    expect(again.result).toMatchObject({ candidates: candidates.length, eligible: eligible.length, changed: 0, added: 0, removed: 0 });
  });

  it('moves people through the steps one by one and in bulk, refusing invalid moves with 409', async () => {
    const path = (curp: string) => `hr/formalization/campaigns/${campaign}/candidates/${curp}/steps`;
    const [first] = eligible;
    const ineligible = people.find((p) => p.candidate && p.fails.length)!;
    expect(await api('POST', path(first.curp), nayarit, { toStep: 'medical' })).toMatchObject({
      status: 409,
      body: { code: 'STEP_OUT_OF_ORDER', message: `CURP ${first.curp} is at step evaluated (no step yet): the next step is file (expediente), not medical exam` },
    });
    expect((await api('POST', path(ineligible.curp), nayarit, { toStep: 'file' })).body).toMatchObject({ statusCode: 409, code: 'NOT_ELIGIBLE' });
    expect((await api('POST', path(first.curp), auditor, { toStep: 'file' })).status).toBe(403);
    expect((await api('POST', path(first.curp), nayarit, { toStep: 'hired' })).status).toBe(400);
    expect((await api('POST', path(first.curp), nayarit, { toStep: 'file' })).body).toMatchObject({ step: 'file' });
    expect((await api('POST', path(first.curp), nayarit, { toStep: 'file' })).status).toBe(409);

    const rest = eligible.slice(1).map((p) => p.curp);
    const bulk = async (toStep: string, curps: string[]) => finished((await api('POST', `hr/formalization/campaigns/${campaign}/steps`, nayarit, { toStep, curps })).body.jobId, nayarit);
    const files = await bulk('file', [...rest, ineligible.curp, rest[0], people.find((p) => !p.candidate)!.curp]);
    expect(files.result).toMatchObject({ total: rest.length + 3, ok: rest.length, failed: 3 });
    expect(files.result.outcomes.slice(-3)).toEqual([
      { curp: ineligible.curp, outcome: 'error', message: expect.stringMatching(/is not eligible: fails/) },
      { curp: rest[0], outcome: 'error', message: expect.stringMatching(/listed twice \(first at position 1\)/) },
      { curp: expect.any(String), outcome: 'error', message: expect.stringMatching(/is not a candidate of campaign/) },
    ]);
    expect(files.errors.map((e: any) => e.row)).toEqual([rest.length + 1, rest.length + 2, rest.length + 3]);
    const all = eligible.map((p) => p.curp);
    expect((await bulk('psychometric', all)).result).toMatchObject({ ok: all.length, failed: 0 });
    expect((await bulk('medical', all)).result).toMatchObject({ ok: all.length, failed: 0 });
    expect((await api('POST', `hr/formalization/campaigns/${campaign}/steps`, nayarit, { toStep: 'appointed', curps: ['NOTACURP'] })).status).toBe(400);

    // One person is appointed alone: contract base, post permanent, one event.
    const appointed = await api('POST', path(first.curp), nayarit, { toStep: 'appointed' });
    expect(appointed.body).toMatchObject({ step: 'appointed', contractType: 'base', appointedAt: expect.any(String) });
    expect((await api('POST', path(first.curp), nayarit, { toStep: 'appointed' })).body.code).toBe('ALREADY_APPOINTED');
  });

  it('appoints everyone eligible exactly once although the service is killed mid-job', async () => {
    const curps = eligible.slice(1).map((p) => p.curp);
    const started = await api('POST', `hr/formalization/campaigns/${campaign}/steps`, nayarit, { toStep: 'appointed', curps });
    expect(started.status).toBe(202);
    await waitFor(async () => (await count(`SELECT count(*) AS n FROM formalization_appointment`)) >= 100, { timeoutMs: 60000, intervalMs: 10, what: 'appointments to be under way' });
    await hr.stop('SIGKILL');
    const atCrash = await count(`SELECT count(*) AS n FROM formalization_appointment`);
    expect(atCrash).toBeLessThan(eligible.length);

    hr = await stack.restart('hr');
    const job = await finished(started.body.jobId, nayarit);
    expect(job).toMatchObject({ status: 'completed', attempts: 2, result: { total: curps.length, ok: curps.length, failed: 0 } });

    const { rows } = await db.query(
      `SELECT count(*)::int AS appointments, count(DISTINCT a.worker_id)::int AS workers, count(DISTINCT a.contract_id)::int AS contracts,
              count(*) FILTER (WHERE k.type = 'base' AND k.ends_on IS NULL AND p.permanent AND c.step = 'appointed')::int AS formalized,
              (SELECT count(*)::int FROM outbox WHERE type = 'hr.worker-formalized.v1') AS events,
              (SELECT count(DISTINCT key)::int FROM outbox WHERE type = 'hr.worker-formalized.v1') AS event_keys,
              (SELECT count(*)::int FROM audit_log WHERE action = 'worker.formalized') AS audits
         FROM formalization_appointment a JOIN contract k ON k.id = a.contract_id JOIN post p ON p.id = a.post_id
         JOIN formalization_candidate c ON c.id = a.candidate_id`,
    );
    const n = eligible.length;
    expect(rows[0]).toEqual({ appointments: n, workers: n, contracts: n, formalized: n, events: n, event_keys: n, audits: n });
    expect(await count(`SELECT count(*) AS n FROM contract WHERE type = 'base'`)).toBe(n + people.filter((p) => p.type === 'BASE').length);

    // On Kafka: one worker-formalized event per person (the relay may deliver one twice; never two events for one person).
    const ids = new Set((await db.query(`SELECT event_id FROM outbox WHERE type = 'hr.worker-formalized.v1'`)).rows.map((r) => r.event_id as string));
    await waitFor(() => new Set(received.filter((r) => ids.has(r.id)).map((r) => r.id)).size === ids.size, {
      timeoutMs: 60000,
      intervalMs: 200,
      what: 'every worker-formalized event on Kafka',
    });
    const idsByKey = new Map<string, Set<string>>();
    for (const r of received.filter((x) => x.type === 'hr.worker-formalized.v1')) idsByKey.set(r.key, (idsByKey.get(r.key) ?? new Set()).add(r.id));
    expect(idsByKey.size).toBe(n);
    expect([...idsByKey.values()].filter((s) => s.size !== 1)).toEqual([]);

    const counts = (await api('GET', `hr/formalization/campaigns/${campaign}/counts`, federal)).body;
    expect(counts.states[0].steps).toMatchObject({ appointed: n, medical: 0 });
    expect((await api('GET', 'audit/verify', auditor)).body).toMatchObject({ valid: true });
  });

  it("refuses an HR officer of Nayarit (18) Hidalgo's (13) campaign data with 403", async () => {
    const created = await api('POST', 'hr/formalization/campaigns', federal, { name: 'Basificación Hidalgo 2026', states: ['13'], cutoffDate: CUTOFF });
    expect(created.status).toBe(201);
    hidalgoCampaign = created.body.id;
    await lists(hidalgoCampaign, { permanent: [], barred: [], evaluations: Array.from({ length: 30 }, (_, i) => [generatedCurp(i, 'HG'), 90, 40] as [string, number, number]) }, federal);
    expect((await finished((await api('POST', `hr/formalization/campaigns/${hidalgoCampaign}/eligibility`, federal)).body.jobId)).result).toMatchObject({ candidates: 30 });
    const base = `hr/formalization/campaigns/${hidalgoCampaign}`;
    const hgCurp = generatedCurp(1, 'HG');
    const refused = [
      await api('GET', base, nayarit),
      await api('GET', `${base}/candidates`, nayarit),
      await api('GET', `${base}/candidates/${hgCurp}`, nayarit),
      await api('GET', `${base}/counts`, nayarit),
      await api('POST', `${base}/eligibility`, nayarit),
      await api('POST', `${base}/candidates/${hgCurp}/steps`, nayarit, { toStep: 'file' }),
      await api('POST', `${base}/steps`, nayarit, { toStep: 'file', curps: [hgCurp] }),
      await upload(`${base}/lists/barred`, `CURP\n${hgCurp}\n`, 'x.csv'),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403, 403, 403, 403, 403]);
    expect(refused[0].body.message).toMatch(/covers the states \[13\] and your token grants \[18\]/);
    expect((await api('GET', `hr/formalization/campaigns/${campaign}/candidates?stateCode=13`, nayarit)).status).toBe(400);
    const listed = (await api('GET', 'hr/formalization/campaigns', nayarit)).body;
    expect(listed.items.map((c: any) => c.id)).toEqual([campaign]);
    // Federal coordinators and auditors read every state.
    expect((await api('GET', `${base}/counts`, auditor)).body.states[0]).toMatchObject({ stateCode: '13', candidates: 30, eligible: 30 });
    expect((await api('GET', 'hr/formalization/campaigns', federal)).body.total).toBe(2);
    expect(refused[0].body.message).not.toContain('Basificación Hidalgo');
  });

  it('answers a candidate of another state of a shared campaign exactly like no candidate (no CURP oracle)', async () => {
    const created = await api('POST', 'hr/formalization/campaigns', federal, { name: 'Basificación regional 2026', states: ['13', '18'], cutoffDate: CUTOFF });
    expect(created.status).toBe(201);
    const base = `hr/formalization/campaigns/${created.body.id}`;
    await lists(created.body.id, { permanent: [], barred: [], evaluations: [] }, federal);
    await finished((await api('POST', `${base}/eligibility`, federal)).body.jobId);
    const hgCurp = generatedCurp(1, 'HG');
    expect((await api('GET', `${base}/candidates/${hgCurp}`, federal)).status).toBe(200);
    const nobody = generatedCurp(99_999, 'HG');
    const elsewhere = [await api('GET', `${base}/candidates/${hgCurp}`, nayarit), await api('POST', `${base}/candidates/${hgCurp}/steps`, nayarit, { toStep: 'file' })];
    const absent = [await api('GET', `${base}/candidates/${nobody}`, nayarit), await api('POST', `${base}/candidates/${nobody}/steps`, nayarit, { toStep: 'file' })];
    expect(elsewhere.map((r) => r.status)).toEqual([404, 404]);
    expect(absent.map((r) => r.status)).toEqual([404, 404]);
    expect(elsewhere.map((r) => r.body.message.replace(hgCurp, 'X'))).toEqual(absent.map((r) => r.body.message.replace(nobody, 'X')));
  });
});
