import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { PayrollTransferred, RosterReconciled, StateEnrolled } from '@imb/contracts';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';
import { TestEventSource } from './support/events';

/**
 * One state's whole transfer through the HTTP API of a real transfer process: Jalisco, which
 * declined, restarts at DIAGNOSIS and walks every gate to OPERATION. Each gate refuses to open
 * while items are missing and names exactly those; people close the manual items with evidence;
 * HR's and procurement's events, sent to Kafka as the real services would, close the others.
 * Along the way: a new stage-definition version that leaves the running transfer alone, access
 * by role and state, and finally the audit trail.
 */
const JALISCO = '14';

// Version 1's gates (the migration's seed), as the API must list them: stage → item ids.
const GATES_V1: Record<string, { manual: string[]; event: string[] }> = {
  DIAGNOSIS: { manual: ['transition-tables', 'units-inventory', 'staff-inventory', 'equipment-inventory'], event: [] },
  AGREEMENT: { manual: ['agreement-signed'], event: [] },
  PUBLICATION: { manual: ['agreement-published'], event: [] },
  ANNEXES: { manual: ['annex-units', 'annex-posts', 'annex-amounts'], event: [] },
  HANDOVER: { manual: ['handover-actas', 'clues-re-registered'], event: ['roster-reconciled'] },
  PAYROLL: { manual: [], event: ['payroll-federalized'] },
  OPERATION: { manual: [], event: ['consolidated-purchase-enrollment'] },
};
const ALL_ITEMS_V1 = Object.values(GATES_V1).flatMap((g) => [...g.manual, ...g.event]);

describe('a state’s transfer from DIAGNOSIS to OPERATION, gate by gate', () => {
  const stack = new ServiceStack('e2e-journey');
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  let transfer: RunningService;
  const storageDir = stack.storageDir('transfer');
  let source: TestEventSource;
  let federal: string;
  let jalisco: string;

  const token = (sub: string, roles: string[], states: string[] = []) => issuer.sign({ sub, roles, states });

  async function call(method: 'GET' | 'POST', path: string, bearer: string, body?: unknown) {
    const res = await fetch(`${transfer.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  }
  const state = async (code = JALISCO) => (await call('GET', `transfers/${code}`, federal)).body;
  const advance = (toStage: string, bearer = jalisco, reason?: string) =>
    call('POST', `transfers/${JALISCO}/advance`, bearer, { toStage, ...(reason ? { reason } : {}) });
  const close = (itemId: string, bearer = jalisco, evidence: unknown = { reference: `JAL/${itemId}/2026`, date: '2026-03-02' }) =>
    call('POST', `transfers/${JALISCO}/checklist/${itemId}`, bearer, { evidence });
  const auditOfJalisco = async () => (await call('GET', `audit?stateCode=${JALISCO}&pageSize=1000`, federal)).body.items as any[];

  async function waitForItemDone(itemId: string) {
    return waitFor(
      async () => (await state()).checklist.find((i: { id: string; done: boolean }) => i.id === itemId && i.done),
      { timeoutMs: 30000, what: `the event item ${itemId} to close` },
    );
  }

  /** Advancing is refused with GATE_OPEN naming exactly `open`, in definition order. */
  async function expectGateOpen(toStage: string, open: string[]) {
    const refused = await advance(toStage);
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('GATE_OPEN');
    expect(refused.body.missing).toEqual(open);
    const count = open.length === 1 ? '1 checklist item is' : `${open.length} checklist items are`;
    expect(refused.body.message).toMatch(new RegExp(`^${count} still open: `));
  }

  /** Passes a gate of manual items only: before each item is closed, advancing names exactly the rest. */
  async function passGate(from: string, to: string) {
    const { manual } = GATES_V1[from];
    expect((await state()).checklist.map((i: { id: string }) => i.id)).toEqual(manual);
    for (const [n, itemId] of manual.entries()) {
      await expectGateOpen(to, manual.slice(n));
      const closed = await close(itemId);
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ id: itemId, done: true, doneBy: 'jorge', source: 'manual', evidence: { reference: `JAL/${itemId}/2026` } });
    }
    const moved = await advance(to);
    expect(moved.status).toBe(200);
    expect(moved.body.stage).toBe(to);
  }

  // A catalogue upload left by a crash before its import job was queued (two days ago): the service sweeps it at start.
  const orphanedUpload = join(storageDir, 'imports', `${randomUUID()}.csv`);

  beforeAll(async () => {
    await mkdir(join(storageDir, 'imports'), { recursive: true });
    await writeFile(orphanedUpload, 'CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD\n');
    const twoDaysAgo = new Date(Date.now() - 48 * 3600_000);
    await utimes(orphanedUpload, twoDaysAgo, twoDaysAgo);
    transfer = await stack.start('transfer');
    source = new TestEventSource(stack.namespace);
    federal = await token('fede', ['federal-coordinator']);
    jalisco = await token('jorge', ['state-coordinator'], [JALISCO]);
  });

  afterAll(async () => {
    await source?.close();
    await stack.stop();
  });

  it('restarts Jalisco, which declined, at DIAGNOSIS only with a reason, on definition version 1', async () => {
    const declined = await state();
    expect(declined).toMatchObject({ stage: 'DECLINED', definitionVersion: 1, checklist: [] });

    const noReason = await advance('DIAGNOSIS');
    expect(noReason.status).toBe(400);
    expect(noReason.body.code).toBe('REASON_REQUIRED');

    const restarted = await advance('DIAGNOSIS', jalisco, 'the state signed a letter of intent to join');
    expect(restarted.status).toBe(200);
    expect(restarted.body).toMatchObject({ stage: 'DIAGNOSIS', definitionVersion: 1 });
    expect(restarted.body.checklist).toEqual(
      GATES_V1.DIAGNOSIS.manual.map((id) => expect.objectContaining({ id, done: false, doneBy: null, evidence: null, source: 'manual' })),
    );
  });

  it('refuses callers outside their role or state, and auditors on every write', async () => {
    const hidalgo = await token('ana', ['state-coordinator'], ['13']);
    const auditor = await token('aud', ['auditor']);
    const hr = await token('hugo', ['hr-officer'], [JALISCO]);
    const evidence = { evidence: { reference: 'X-1', date: '2026-03-02' } };
    expect((await call('POST', 'transfers/18/advance', hidalgo, { toStage: 'SUSPENDED', reason: 'not my state at all' })).status).toBe(403);
    expect((await call('POST', 'transfers/18/checklist/consolidated-purchase-enrollment', hidalgo, evidence)).status).toBe(403);
    expect((await call('POST', `transfers/${JALISCO}/checklist/transition-tables`, hr, evidence)).status).toBe(403);
    for (const [path, body] of [
      [`transfers/${JALISCO}/advance`, { toStage: 'AGREEMENT' }],
      [`transfers/${JALISCO}/checklist/transition-tables`, evidence],
      ['transfers/stage-definitions', { stages: [] }],
    ] as const) {
      const res = await call('POST', path, auditor, body);
      expect(res.status).toBe(403);
      expect(res.body.message).toMatch(/Auditors are read-only/);
    }
    expect((await call('POST', 'transfers/stage-definitions', jalisco, { stages: [] })).status).toBe(403);
    // Reading is open to every role, auditors included.
    expect((await call('GET', `transfers/${JALISCO}`, auditor)).status).toBe(200);
    expect((await call('GET', 'transfers/stage-definitions', auditor)).status).toBe(200);
    expect((await state()).checklist.every((i: { done: boolean }) => !i.done)).toBe(true);
  });

  it('rejects malformed or misplaced checklist closures and changes nothing', async () => {
    const before = (await auditOfJalisco()).length;
    const malformed = [
      {},
      { evidence: { reference: 'R-1' } },
      { evidence: { reference: 'R-1', date: '02/03/2026' } },
      { evidence: { reference: 'R-1', date: '2026-02-30' } },
      { evidence: { reference: '', date: '2026-03-02' } },
      { evidence: { reference: 'R-1', date: '2026-03-02', documentSha256: 'abc' } },
      { evidence: { reference: 'R-1', date: '2026-03-02' }, unexpected: true },
    ];
    for (const body of malformed) {
      const res = await call('POST', `transfers/${JALISCO}/checklist/transition-tables`, jalisco, body);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/evidence|reference|date|documentSha256|unexpected/);
    }
    const unknownDocument = await close('transition-tables', jalisco, { reference: 'R-1', date: '2026-03-02', documentSha256: 'a'.repeat(64) });
    expect(unknownDocument.status).toBe(400);
    expect(unknownDocument.body).toMatchObject({ code: 'DOCUMENT_NOT_FOUND' });
    expect(unknownDocument.body.message).toMatch(/^evidence.documentSha256: document a{64} not found: upload the document first/);

    const laterGate = await close('agreement-signed');
    expect(laterGate.status).toBe(409);
    expect(laterGate.body.code).toBe('ITEM_NOT_IN_CURRENT_STAGE');
    const noSuchItem = await close('no-such-item');
    expect(noSuchItem.status).toBe(404);
    expect(noSuchItem.body.message).toMatch(/transition-tables, units-inventory, staff-inventory, equipment-inventory/);
    expect(await advance('PUBLICATION')).toMatchObject({ status: 409, body: { code: 'STAGE_SKIPPED' } });
    expect((await auditOfJalisco()).length).toBe(before);
  });

  it('passes DIAGNOSIS and AGREEMENT only once their gates are closed; an item closes once; evidence can be an uploaded document', async () => {
    await passGate('DIAGNOSIS', 'AGREEMENT');
    const again = await call('POST', `transfers/${JALISCO}/advance`, jalisco, { toStage: 'DIAGNOSIS', reason: 'the agreement draft needs another inventory' });
    expect(again.status).toBe(200);
    // Going back reopens nothing: the DIAGNOSIS gate is still closed, its items closed once.
    expect(again.body.checklist.every((i: { done: boolean }) => i.done)).toBe(true);
    const twice = await close('units-inventory');
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('ITEM_ALREADY_DONE');
    expect((await advance('AGREEMENT')).status).toBe(200);

    // The signed agreement is uploaded as a document and referred to by its SHA-256.
    await expectGateOpen('PUBLICATION', ['agreement-signed']);
    const form = new FormData();
    form.append('stateCode', JALISCO);
    form.append('title', 'Convenio de coordinación IMSS-BIENESTAR – Jalisco');
    form.append('reference', 'CONV-JAL-2026');
    form.append('date', '2026-03-20');
    form.append('file', new Blob(['%PDF-1.4\n% signed agreement\n%%EOF\n'], { type: 'application/pdf' }), 'convenio-jalisco.pdf');
    const upload = await fetch(`${transfer.url}/api/transfers/documents`, { method: 'POST', headers: { authorization: `Bearer ${jalisco}` }, body: form });
    expect(upload.status).toBe(201);
    const { sha256 } = (await upload.json()) as { sha256: string };
    const signed = await close('agreement-signed', jalisco, { reference: 'CONV-JAL-2026', date: '2026-03-20', documentSha256: sha256 });
    expect(signed.status).toBe(200);
    expect(signed.body.evidence).toEqual({ reference: 'CONV-JAL-2026', date: '2026-03-20', documentSha256: sha256 });
    expect((await advance('PUBLICATION')).body.stage).toBe('PUBLICATION');
  });

  it('keeps a running transfer on its version when a new one is created; a transfer started later uses it', async () => {
    const v1 = await call('GET', 'transfers/stage-definitions/1', federal);
    expect(v1.status).toBe(200);
    const stages = v1.body.definition.stages.map((s: any) =>
      s.stage === 'DIAGNOSIS' ? { ...s, gate: [...s.gate, { id: 'health-census', title: 'Census of the population without social security', source: 'manual' }] } : s,
    );
    const invalid = await call('POST', 'transfers/stage-definitions', federal, {
      stages: stages.map((s: any) => (s.stage === 'PAYROLL' ? { ...s, gate: [{ id: 'payroll', title: 'Payroll', source: 'event', eventType: 'hr.unknown.v1' }] } : s)),
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.message).toMatch(/PAYROLL\/payroll: an event item needs eventType/);

    const created = await call('POST', 'transfers/stage-definitions', federal, { stages, note: 'the census is part of the diagnosis' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ version: 2, createdBy: 'fede', note: 'the census is part of the diagnosis' });
    const versions = await call('GET', 'transfers/stage-definitions', federal);
    expect(versions.body.map((d: { version: number }) => d.version)).toEqual([1, 2]);
    expect((await call('GET', 'transfers/stage-definitions/3', federal)).status).toBe(404);

    // Jalisco started on version 1 and stays there.
    const running = await state();
    expect(running).toMatchObject({ stage: 'PUBLICATION', definitionVersion: 1 });
    expect(running.checklist.map((i: { id: string }) => i.id)).toEqual(GATES_V1.PUBLICATION.manual);

    // Guanajuato, which also declined, starts after version 2 exists and runs on it.
    const guanajuato = await call('POST', 'transfers/11/advance', federal, { toStage: 'DIAGNOSIS', reason: 'the state asked to join' });
    expect(guanajuato.status).toBe(200);
    expect(guanajuato.body.definitionVersion).toBe(2);
    expect(guanajuato.body.checklist.map((i: { id: string }) => i.id)).toEqual([...GATES_V1.DIAGNOSIS.manual, 'health-census']);

    // Suspended and restarted on the same version, it starts over: the census is open again, and
    // the restart's audit record keeps the closure it undid.
    const census = { evidence: { reference: 'CENSO-GTO-2026', date: '2026-03-05' } };
    expect((await call('POST', 'transfers/11/checklist/health-census', federal, census)).status).toBe(200);
    expect((await call('POST', 'transfers/11/advance', federal, { toStage: 'SUSPENDED', reason: 'state elections' })).status).toBe(200);
    const resumed = await call('POST', 'transfers/11/advance', federal, { toStage: 'DIAGNOSIS', reason: 'elections are over' });
    expect(resumed.body).toMatchObject({ stage: 'DIAGNOSIS', definitionVersion: 2 });
    expect(resumed.body.checklist.find((i: { id: string }) => i.id === 'health-census')).toMatchObject({ done: false, evidence: null });
    const [restart] = (await call('GET', 'audit?stateCode=11&pageSize=1', federal)).body.items;
    expect(restart).toMatchObject({ action: 'transfer.checklist-started', before: { reopened: [{ id: 'health-census', doneBy: 'fede' }] } });
  });

  it('passes PUBLICATION, ANNEXES and HANDOVER, where HR’s roster event closes its item', async () => {
    await passGate('PUBLICATION', 'ANNEXES');
    await passGate('ANNEXES', 'HANDOVER');

    // The event item cannot be closed by hand; it stays open until HR's event arrives.
    const byHand = await close('roster-reconciled');
    expect(byHand.status).toBe(409);
    expect(byHand.body.code).toBe('ITEM_CLOSED_BY_EVENT');
    for (const itemId of GATES_V1.HANDOVER.manual) expect((await close(itemId)).status).toBe(200);
    await expectGateOpen('PAYROLL', ['roster-reconciled']);

    await source.send(RosterReconciled, { stateCode: JALISCO, workers: 48210, jobId: 'roster-jal-1', reconciledAt: new Date().toISOString() });
    const item = await waitForItemDone('roster-reconciled');
    expect(item).toMatchObject({ doneBy: RosterReconciled.type, source: 'event', eventType: RosterReconciled.type });
    expect((await advance('PAYROLL')).body.stage).toBe('PAYROLL');
  });

  it('hands units over only with an acta that names a stored document, one by one and in bulk', async () => {
    const uploadDocument = async (text: string, stateCode = JALISCO, bearer = jalisco) => {
      const form = new FormData();
      form.append('stateCode', stateCode);
      form.append('title', 'Acta de entrega-recepción');
      form.append('reference', 'ER-JAL-2026');
      form.append('date', '2026-04-10');
      form.append('file', new Blob([`%PDF-1.4\n% ${text}\n%%EOF\n`], { type: 'application/pdf' }), 'acta.pdf');
      const res = await fetch(`${transfer.url}/api/transfers/documents`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
      expect(res.status).toBe(201);
      return ((await res.json()) as { sha256: string }).sha256;
    };
    const runJob = (jobId: string) => waitForJob<any>(transfer, jobId, federal);
    const keys = ['JCSSA000011', 'JCSSA000022', 'JCSSA000033'];
    const csv = ['CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD', ...keys.map((k, i) => `${k},14,CENTRO DE SALUD ${i + 1}`)].join('\n');
    const form = new FormData();
    form.append('file', new Blob([csv]), 'clues-jalisco.csv');
    const imported = await fetch(`${transfer.url}/api/transfers/${JALISCO}/units/imports`, { method: 'POST', headers: { authorization: `Bearer ${jalisco}` }, body: form });
    expect(imported.status).toBe(202);
    expect(await runJob(((await imported.json()) as { jobId: string }).jobId)).toMatchObject({ status: 'completed', result: { inserted: 3 } });
    const include = await call('POST', `transfers/${JALISCO}/units/bulk-status`, jalisco, { toStatus: 'INCLUDED', units: keys.map((clues) => ({ clues })) });
    expect(await runJob(include.body.jobId)).toMatchObject({ status: 'completed', result: { ok: 3 } });

    const acta = await uploadDocument('acta ER-JAL-2026-0001');
    const unknown = 'b'.repeat(64);
    const move = (clues: string, documentSha256: string) =>
      call('POST', `transfers/${JALISCO}/units/${clues}/status`, jalisco, { toStatus: 'HANDED_OVER', acta: { number: 'ER-JAL-2026-0001', date: '2026-04-10', documentSha256 } });
    const unitAudit = async () => (await auditOfJalisco()).filter((r) => r.entity === 'Unit').length;
    const auditBefore = await unitAudit();
    const refused = await move(keys[0], unknown);
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 'DOCUMENT_NOT_FOUND', field: 'acta.documentSha256' });
    expect(refused.body.message).toMatch(/^acta.documentSha256: document b{64} not found: upload the document first/);
    // Another state's document is no acta of Jalisco's, even for a federal coordinator.
    const hidalgos = await uploadDocument('acta de Hidalgo', '13', federal);
    const foreign = await call('POST', `transfers/${JALISCO}/units/${keys[0]}/status`, federal, {
      toStatus: 'HANDED_OVER',
      acta: { number: 'ER-JAL-2026-0001', date: '2026-04-10', documentSha256: hidalgos },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.body).toMatchObject({ code: 'DOCUMENT_OF_ANOTHER_STATE', field: 'acta.documentSha256' });
    expect(foreign.body.message).toMatch(/was not uploaded for state 14/);
    expect((await call('GET', `transfers/${JALISCO}/units/${keys[0]}`, jalisco)).body).toMatchObject({ status: 'INCLUDED', acta: null });
    expect(await unitAudit()).toBe(auditBefore);

    const handed = await move(keys[0], acta);
    expect(handed.status).toBe(200);
    expect(handed.body).toMatchObject({ status: 'HANDED_OVER', acta: { number: 'ER-JAL-2026-0001', documentSha256: acta } });

    // In bulk, an acta naming no stored document refuses that unit only.
    const bulk = await call('POST', `transfers/${JALISCO}/units/bulk-status`, jalisco, {
      toStatus: 'HANDED_OVER',
      units: [
        { clues: keys[1], acta: { number: 'ER-JAL-2026-0002', date: '2026-04-10', documentSha256: unknown } },
        { clues: keys[2], acta: { number: 'ER-JAL-2026-0003', date: '2026-04-10', documentSha256: acta } },
      ],
    });
    expect(bulk.status).toBe(202);
    const job = await runJob(bulk.body.jobId);
    expect(job.result).toMatchObject({ ok: 1, failed: 1 });
    expect(job.result.outcomes[0]).toMatchObject({ clues: keys[1], outcome: 'error', message: expect.stringMatching(/document b{64} not found/) });
    expect(job.result.outcomes[1]).toMatchObject({ clues: keys[2], outcome: 'ok', status: 'HANDED_OVER' });
    expect((await call('GET', `transfers/${JALISCO}/units/${keys[1]}`, jalisco)).body.status).toBe('INCLUDED');

    // The catalogue upload a crash had orphaned before its job was queued was swept when the service started.
    expect(existsSync(orphanedUpload)).toBe(false);
  });

  it('passes PAYROLL when HR’s payroll event arrives; a repeated event changes nothing', async () => {
    await expectGateOpen('OPERATION', ['payroll-federalized']);
    // Same topic and key as the payroll event, so it is consumed first: once the payroll item
    // closes, the repeated roster event has been handled, and it must have done nothing.
    await source.send(RosterReconciled, { stateCode: JALISCO, workers: 48211, reconciledAt: new Date().toISOString() });
    await source.send(PayrollTransferred, { stateCode: JALISCO, workers: 48211, effectiveDate: '2026-07-01' });
    const item = await waitForItemDone('payroll-federalized');
    expect(item.doneBy).toBe(PayrollTransferred.type);
    const rosterClosures = (await auditOfJalisco()).filter((r) => r.entityId === `${JALISCO}/roster-reconciled` && r.action === 'transfer.checklist-item-completed');
    expect(rosterClosures).toHaveLength(1);

    const operating = await advance('OPERATION');
    expect(operating.status).toBe(200);
    expect(operating.body.stage).toBe('OPERATION');
  });

  it('reaches OPERATION: state-operational is emitted, and the enrollment item shows open until procurement’s event', async () => {
    const rows = await stack.query('transfer', `SELECT key FROM outbox WHERE type = 'transfer.state-operational.v1' AND key = $1`, [JALISCO]);
    expect(rows).toHaveLength(1);

    const operating = await state();
    expect(operating.checklist).toEqual([expect.objectContaining({ id: 'consolidated-purchase-enrollment', done: false, source: 'event' })]);
    const list = (await call('GET', 'transfers', federal)).body;
    expect(list.find((t: { stateCode: string }) => t.stateCode === JALISCO).progress.openGateItems).toBe(1);

    await source.send(StateEnrolled, { stateCode: JALISCO, exerciseCode: '2027-2028', enrolledAt: new Date().toISOString() });
    expect((await waitForItemDone('consolidated-purchase-enrollment')).doneBy).toBe(StateEnrolled.type);
  });

  it('leaves a valid audit trail with every transition and every item', async () => {
    const verify = await call('GET', 'audit/verify', await token('aud', ['auditor']));
    expect(verify.body.valid).toBe(true);

    const records = (await auditOfJalisco()).reverse();
    const transitions = records
      .filter((r) => r.action === 'transfer.stage-changed')
      .map((r) => `${r.before?.stage ?? '∅'}→${r.after.stage}`);
    expect(transitions).toEqual([
      '∅→DECLINED',
      'DECLINED→DIAGNOSIS',
      'DIAGNOSIS→AGREEMENT',
      'AGREEMENT→DIAGNOSIS',
      'DIAGNOSIS→AGREEMENT',
      'AGREEMENT→PUBLICATION',
      'PUBLICATION→ANNEXES',
      'ANNEXES→HANDOVER',
      'HANDOVER→PAYROLL',
      'PAYROLL→OPERATION',
    ]);
    const items = records.filter((r) => r.action === 'transfer.checklist-item-completed');
    expect(items.map((r) => r.entityId.split('/')[1]).sort()).toEqual([...ALL_ITEMS_V1].sort());
    for (const r of items) expect(r.after).toMatchObject({ done: true, definitionVersion: 1 });
    expect(records.find((r) => r.entityId === `${JALISCO}/agreement-signed`).after.evidence.documentSha256).toMatch(/^[a-f0-9]{64}$/);
    expect(records.find((r) => r.entityId === `${JALISCO}/annex-posts`)).toMatchObject({
      actor: 'jorge',
      after: { evidence: { reference: 'JAL/annex-posts/2026', date: '2026-03-02' } },
    });
  });
});
