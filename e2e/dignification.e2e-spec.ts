import { createHash, randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { Client } from 'pg';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { createEvent, EventDefinition, eventKey, StageChanged, UnitInventoried, UnitInventoriedV1, UnitReRegistered, UnitStatusChanged } from '@imb/contracts';
import { createKafka, EventProducer, eventHeaders } from '@imb/messaging';
import { RunningService, ServiceStack, waitFor, waitForJob } from '@imb/testing';
import { jpegPhoto, PhotoFacts, pngPhoto } from './support/photos';

/**
 * Dignification on a real process, Kafka, PostgreSQL and Redis, with the real government file:
 * the 512 units of Hidalgo's IMSS-BIENESTAR CLUES catalogue arrive as transfer's
 * `unit-inventoried` events, get their size tiers, and are funded by an annual programme.
 */
const IMB = join(__dirname, '..', '..', 'shared', 'data', 'clues-hidalgo-202501-imb.xlsx');

interface RawRow {
  clues: string;
  name: string;
  establishmentType: string;
  typology: string;
  careLevel: string;
  stratum: string;
  municipality: number;
  locality: number;
  localityName: string;
  latitude: number | null;
  longitude: number | null;
}

/** A cell as text: the catalogue holds plain strings and numbers only. */
const cellText = (x: unknown): string => (typeof x === 'string' || typeof x === 'number' ? String(x).trim() : '');

async function readCatalogue(): Promise<RawRow[]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(IMB);
  const ws = wb.worksheets[0];
  const header = (ws.getRow(1).values as unknown[]).map(cellText);
  const col = (name: string) => header.indexOf(name);
  const rows: RawRow[] = [];
  for (let r = 2; r <= ws.rowCount; r++) {
    const v = ws.getRow(r).values as unknown[];
    const text = (name: string) => cellText(v[col(name)]);
    const num = (name: string) => (text(name) === '' ? null : Number(text(name)));
    if (!text('CLUES')) continue;
    rows.push({
      clues: text('CLUES'),
      name: text('NOMBRE DE LA UNIDAD'),
      establishmentType: text('NOMBRE TIPO ESTABLECIMIENTO'),
      typology: text('NOMBRE DE TIPOLOGIA'),
      careLevel: text('NIVEL ATENCION'),
      stratum: text('ESTRATO UNIDAD'),
      municipality: Number(num('CLAVE DEL MUNICIPIO')),
      locality: Number(num('CLAVE DE LA LOCALIDAD')),
      localityName: text('LOCALIDAD'),
      latitude: num('LATITUD'),
      longitude: num('LONGITUD'),
    });
  }
  return rows;
}

/** The draft rule, by hand from the tipología's words: what each row should get (null = excluded). */
function handAmount(typology: string): { amount: number; nucleos: number } | { excluded: string } {
  if (typology.includes('MÓVIL')) return { excluded: 'MOBILE_UNIT' };
  if (typology.includes('ESPECIALIDADES')) return { excluded: 'SPECIALTY_UNIT' };
  if (typology.includes('HOSPITALIZACIÓN')) return { excluded: 'HOSPITAL_UNIT' };
  const nucleos = Number(typology.split(' DE ')[1].split(' ')[0]);
  const amount = nucleos === 1 ? 400_000 : nucleos === 2 ? 600_000 : nucleos <= 5 ? 800_000 : 1_000_000;
  return { amount, nucleos };
}

describe('dignification: eligible units, allocation and disbursements from real Hidalgo units', () => {
  const stack = new ServiceStack('e2e-dignif');
  let service: RunningService;
  let db: Client;
  let producer: EventProducer;
  const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));
  const token = (sub: string, roles: string[], states: string[] = []) => issuer.sign({ sub, roles, states });
  let federal: string;
  let rows: RawRow[];
  const evidence = join(stack.storageDir('dignification'), 'evidence');
  const storedPhotos = () =>
    existsSync(evidence)
      ? readdirSync(evidence, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.parentPath.includes('.tmp'))
      : [];
  const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  const api = async (method: string, path: string, bearer: string, body?: unknown) => {
    const res = await fetch(`${service.url}/api/${path}`, {
      method,
      headers: { authorization: `Bearer ${bearer}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const outboxCount = async (type: string) => Number((await db.query(`SELECT count(*) AS n FROM outbox WHERE type = $1`, [type])).rows[0].n);
  async function runJob(path: string): Promise<any> {
    const { status, body } = await api('POST', path, federal);
    expect(status).toBe(202);
    const job = await waitForJob<any>(service, body.jobId, federal);
    if (job.status === 'failed') throw new Error(`job failed: ${job.failureReason}`);
    return job;
  }

  beforeAll(async () => {
    service = await stack.start('dignification', { EVIDENCE_MAX_BYTES: String(1024 * 1024) });
    db = await stack.connect('dignification');
    federal = await token('fede', ['federal-coordinator']);
    producer = new EventProducer(createKafka({ clientId: 'e2e-dignification' }));
    rows = await readCatalogue();
  });

  afterAll(async () => {
    await producer?.disconnect();
    await stack.stop();
  });

  /** Posts a photo (multipart) with form fields, as the field app does. */
  const postPhoto = async (allocationId: string, bearer: string, photo: Buffer | null, fields: Record<string, string | number>, name = 'foto.jpg') => {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, String(v));
    if (photo) form.append('file', new Blob([photo]), name);
    const res = await fetch(`${service.url}/api/dignification/allocations/${allocationId}/evidence`, { method: 'POST', headers: { authorization: `Bearer ${bearer}` }, body: form });
    return { status: res.status, body: (await res.json()) as any };
  };

  it('keeps the 512 units from transfer events, with tiers, and mobile and specialty units excluded with a reason', async () => {
    expect(rows).toHaveLength(512);
    // Transfer says Hidalgo has joined (in operation since 2023).
    const stage = createEvent(StageChanged, {
      stateCode: '13',
      fromStage: 'PAYROLL',
      toStage: 'OPERATION',
      definitionVersion: 1,
      changedAt: '2023-12-01T00:00:00.000Z',
    });
    const events = rows.map((r) =>
      createEvent(
        UnitInventoried,
        {
          unitId: randomUUID(),
          clues: r.clues,
          stateCode: '13',
          name: r.name,
          institution: 'IMB',
          establishmentType: r.establishmentType,
          typology: r.typology,
          careLevel: r.careLevel,
          stratum: r.stratum,
          municipalityCode: `13${String(r.municipality).padStart(3, '0')}`,
          localityCode: `13${String(r.municipality).padStart(3, '0')}${String(r.locality).padStart(4, '0')}`,
          locality: r.localityName,
          ...(r.latitude !== null && r.longitude !== null ? { latitude: r.latitude, longitude: r.longitude } : {}),
          inventoriedAt: '2024-07-18T00:00:00.000Z',
        } satisfies UnitInventoriedV1,
        { actor: 'system:transfer' },
      ),
    );
    await producer.send([
      { topic: `${stack.namespace}.${StageChanged.topic}`, key: '13', value: JSON.stringify(stage), headers: eventHeaders(stage) },
    ]);
    await producer.send(
      events.map((e) => ({ topic: `${stack.namespace}.${UnitInventoried.topic}`, key: eventKey(UnitInventoried, e.data), value: JSON.stringify(e), headers: eventHeaders(e) })),
    );
    const hidalgo = await token('hilda', ['dignification-officer'], ['13']);
    await waitFor(async () => (await api('GET', 'dignification/units?stateCode=13&pageSize=1', hidalgo)).body.total === 512, {
      timeoutMs: 60000,
      what: 'the 512 units in the read model',
    });
    await waitFor(async () => (await api('GET', 'dignification/states/13', hidalgo)).body.stage === 'OPERATION', { timeoutMs: 30000, what: 'Hidalgo joined' });

    const excluded = (await api('GET', 'dignification/units?stateCode=13&eligible=false&pageSize=1000', hidalgo)).body.items as any[];
    const expectedExcluded = rows.filter((r) => 'excluded' in handAmount(r.typology));
    expect(excluded.map((u) => [u.clues, u.exclusion.reason]).sort()).toEqual(
      expectedExcluded.map((r) => [r.clues, (handAmount(r.typology) as { excluded: string }).excluded]).sort(),
    );
    expect(excluded.filter((u) => u.exclusion.reason === 'MOBILE_UNIT')).toHaveLength(20);
    expect(excluded.filter((u) => u.exclusion.reason === 'SPECIALTY_UNIT')).toHaveLength(8);
    expect(excluded.every((u) => u.exclusion.message.length > 10 && u.tier === null)).toBe(true);

    const eligible = (await api('GET', 'dignification/units?stateCode=13&eligible=true&pageSize=1000', hidalgo)).body.items as any[];
    expect(eligible).toHaveLength(512 - expectedExcluded.length);
    const byClues = new Map(rows.map((r) => [r.clues, r]));
    for (const u of eligible) expect(u.amount).toBe((handAmount(byClues.get(u.clues)!.typology) as { amount: number }).amount);

    // Access: another state's officer cannot read Hidalgo; a state officer must name a state.
    expect((await api('GET', 'dignification/units?stateCode=13', await token('x', ['dignification-officer'], ['14']))).status).toBe(403);
    expect((await api('GET', 'dignification/units', hidalgo)).status).toBe(403);
    expect((await api('GET', 'dignification/units?stateCode=99', hidalgo)).status).toBe(400);
  });

  it('allocates the whole catalogue by tier, equal to the hand computation, and re-running changes nothing', async () => {
    const created = await api('POST', 'dignification/programmes', federal, { year: 2027, envelope: 1_000_000_000 });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect((await api('POST', 'dignification/programmes', federal, { year: 2027, envelope: 5 })).status).toBe(409);
    expect((await api('POST', 'dignification/programmes', federal, { year: 2027, envelope: -5, extra: 1 })).status).toBe(400);
    expect((await api('POST', 'dignification/programmes', await token('aud', ['auditor']), { year: 2030, envelope: 5 })).status).toBe(403);
    const listed = await api('GET', 'dignification/programmes?year=2027', federal);
    expect(listed.body).toMatchObject({ items: [{ id, year: 2027, envelope: 1_000_000_000 }], total: 1, page: 1 });
    expect((await api('GET', 'dignification/programmes?year=20x7', federal)).status).toBe(400);

    const job = await runJob(`dignification/programmes/${id}/allocate`);
    expect(job.result).toMatchObject({ changed: true, units: 483 });

    const hand = new Map<string, { units: number; amount: number }>();
    const tierOf = (n: number) => (n === 1 ? 'T1' : n === 2 ? 'T2' : n <= 5 ? 'T3' : 'T4');
    for (const r of rows) {
      const h = handAmount(r.typology);
      if ('excluded' in h) continue;
      const t = hand.get(tierOf(h.nucleos)) ?? { units: 0, amount: 0 };
      hand.set(tierOf(h.nucleos), { units: t.units + 1, amount: t.amount + h.amount });
    }
    const handTotal = [...hand.values()].reduce((s, t) => s + t.amount, 0);
    expect(handTotal).toBe(239_400_000);

    const result = (await api('GET', `dignification/programmes/${id}/allocations?stateCode=13`, federal)).body;
    expect(result.total).toBe(handTotal);
    expect(result.units).toBe(483);
    expect(result.byTier).toEqual([...hand.entries()].sort().map(([tier, t]) => ({ tier, ...t })));
    expect(result.leftOut).toHaveLength(29);
    expect(new Set(result.leftOut.map((l: any) => l.reason))).toEqual(new Set(['MOBILE_UNIT', 'SPECIALTY_UNIT', 'HOSPITAL_UNIT']));
    expect(await outboxCount('dignification.allocation-computed.v1')).toBe(1);
    // The event says what each state was allocated (the gateway's overview shows it); only Hidalgo has units here.
    const [computed] = (await db.query(`SELECT event FROM outbox WHERE type = 'dignification.allocation-computed.v1'`)).rows;
    expect(JSON.parse(computed.event).data.byState).toEqual([{ stateCode: '13', units: 483, amount: handTotal }]);

    const again = await runJob(`dignification/programmes/${id}/allocate`);
    expect(again.result).toMatchObject({ changed: false, units: 483, total: handTotal });
    expect(await outboxCount('dignification.allocation-computed.v1')).toBe(1);
    expect(Number((await db.query(`SELECT count(*) AS n FROM allocation WHERE programme_id = $1`, [id])).rows[0].n)).toBe(483);
    expect((await api('GET', `dignification/programmes/${id}/allocations`, federal)).body.total).toBe(handTotal);
  });

  it('with a short envelope funds rural units first, then fewer núcleos, and lists who is left out and why', async () => {
    const envelope = 150_000_000;
    const { body } = await api('POST', 'dignification/programmes', federal, { year: 2028, envelope });
    await runJob(`dignification/programmes/${body.id}/allocate`);

    // By hand: rural before urban, fewer núcleos first, CLUES to break ties; fund until one does not fit.
    const queue = rows
      .map((r) => ({ r, h: handAmount(r.typology) }))
      .filter((x): x is { r: RawRow; h: { amount: number; nucleos: number } } => !('excluded' in x.h))
      .sort((a, b) => Number(b.r.stratum === 'RURAL') - Number(a.r.stratum === 'RURAL') || a.h.nucleos - b.h.nucleos || (a.r.clues < b.r.clues ? -1 : 1));
    let left = envelope;
    const funded: string[] = [];
    for (const x of queue) {
      if (x.h.amount > left) break;
      left -= x.h.amount;
      funded.push(x.r.clues);
    }
    const result = (await api('GET', `dignification/programmes/${body.id}/allocations`, federal)).body;
    expect(result.total).toBe(envelope - left);
    expect(result.units).toBe(funded.length);
    const exhausted = result.leftOut.filter((l: any) => l.reason === 'ENVELOPE_EXHAUSTED');
    expect(exhausted).toHaveLength(queue.length - funded.length);
    expect(exhausted.every((l: any) => /envelope exhausted/.test(l.message) && l.amount > 0)).toBe(true);
    const items = (await api('GET', `dignification/programmes/${body.id}/allocations/items?pageSize=1000`, federal)).body.items as any[];
    expect(items.map((i) => i.clues)).toEqual(funded);
    expect(items.filter((i) => byStratum(i.clues) === 'RURAL').length).toBeGreaterThan(0);

    function byStratum(clues: string) {
      return rows.find((r) => r.clues === clues)!.stratum;
    }
  });

  it('pays an allocation in tranches: overspend refused with nothing written, a repeated request pays once', async () => {
    const programmes = await db.query(`SELECT id FROM programme WHERE year = 2027`);
    const page = (await api('GET', `dignification/programmes/${programmes.rows[0].id}/allocations/items?pageSize=1`, federal)).body;
    const allocation = page.items[0];
    expect(allocation.amount).toBe(400_000);
    const officer = await token('olga', ['dignification-officer'], ['13']);
    const pay = (amount: number, key: string, bearer = officer) =>
      api('POST', `dignification/allocations/${allocation.id}/disbursements`, bearer, { amount, reference: `SPEI-${key}`, idempotencyKey: key });

    const first = await pay(300_000, 'tranche-0001');
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ amount: 300_000, disbursedTotal: 300_000 });
    const repeated = await pay(300_000, 'tranche-0001');
    expect(repeated.status).toBe(200);
    expect(repeated.body.id).toBe(first.body.id);

    const auditBefore = Number((await db.query(`SELECT count(*) AS n FROM audit_log`)).rows[0].n);
    const over = await pay(100_000.01, 'tranche-0002');
    expect(over.status).toBe(409);
    expect(over.body.message).toMatch(/exceed the allocation/);
    expect(Number((await db.query(`SELECT count(*) AS n FROM audit_log`)).rows[0].n)).toBe(auditBefore);

    expect((await pay(100_000, 'tranche-0003', await token('x', ['dignification-officer'], ['14']))).status).toBe(403);
    expect((await pay(100_000, 'tranche-0003', await token('aud', ['auditor']))).status).toBe(403);
    expect((await pay(100_000, 'tranche-0003')).status).toBe(201);

    const list = (await api('GET', `dignification/allocations/${allocation.id}/disbursements`, officer)).body;
    expect(list).toMatchObject({ allocated: 400_000, disbursed: 400_000 });
    expect(list.items).toHaveLength(2);
    expect(await outboxCount('dignification.funds-disbursed.v1')).toBe(2);

    // Concurrent duplicates of one request still pay once.
    const second = (await api('GET', `dignification/programmes/${programmes.rows[0].id}/allocations/items?page=2&pageSize=1`, federal)).body.items[0];
    const results = await Promise.all(
      [1, 2, 3, 4].map(() =>
        api('POST', `dignification/allocations/${second.id}/disbursements`, officer, { amount: 1000, reference: 'SPEI-X', idempotencyKey: 'same-key-123' }),
      ),
    );
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    expect((await api('GET', `dignification/allocations/${second.id}/disbursements`, officer)).body.disbursed).toBe(1000);

    // Re-running a paid programme with unchanged inputs is harmless: only 2028's event was added since.
    const { body } = await api('POST', `dignification/programmes/${programmes.rows[0].id}/allocate`, federal);
    await waitForJob(service, body.jobId, federal, 30000);
    expect(await outboxCount('dignification.allocation-computed.v1')).toBe(2);
  });

  it('elects a unit’s COSABI: 5 members, the card as its last 4 digits only, every change audited', async () => {
    const officer = await token('olga', ['dignification-officer'], ['13']);
    const clues = rows.find((r) => r.typology === 'RURAL DE 01 NÚCLEO BÁSICO')!.clues;
    const members = ['PRESIDENTE', 'SECRETARIO', 'TESORERO', 'VOCAL', 'VOCAL'].map((role, i) => ({ name: `INTEGRANTE ${i + 1} DEL COMITÉ`, role }));
    const elect = (body: unknown, bearer = officer) => api('PUT', `dignification/units/${clues}/committee`, bearer, body);
    const valid = { assemblyDate: '2027-02-14', actaReference: 'ACTA-HG-2027-0001', members, cardLast4: '4821' };

    expect((await elect({ ...valid, members: members.slice(0, 4) })).body.message).toMatch(/exactly 5 members/);
    const fullCard = await elect({ ...valid, cardLast4: '4152313412344821' });
    expect(fullCard.status).toBe(400);
    expect((await elect({ ...valid, cardNumber: '4152313412344821' })).status).toBe(400);
    expect((await elect({ ...valid, members: members.map((m) => ({ ...m, role: 'VOCAL' })) })).status).toBe(400);
    expect((await elect(valid, await token('x', ['dignification-officer'], ['14']))).status).toBe(403);
    expect((await elect(valid, await token('aud', ['auditor']))).status).toBe(403);

    const elected = await elect(valid);
    expect(elected.status).toBe(200);
    expect(elected.body).toMatchObject({ clues, cardLast4: '4821', version: 1 });
    const changed = await elect({ ...valid, assemblyDate: '2027-06-01', actaReference: 'ACTA-HG-2027-0099', cardLast4: '0007' });
    expect(changed.body).toMatchObject({ version: 2, cardLast4: '0007' });
    expect((await api('GET', `dignification/units/${clues}/committee`, await token('aud', ['auditor']))).body.actaReference).toBe('ACTA-HG-2027-0099');

    const audit = (await db.query(`SELECT action, before, after FROM audit_log WHERE entity = 'Committee' ORDER BY seq`)).rows;
    expect(audit.map((a) => a.action)).toEqual(['committee.elected', 'committee.changed']);
    expect(audit[1].before).toMatchObject({ cardLast4: '4821' });
    expect(JSON.stringify(audit)).not.toMatch(/4152313412344821/);
  });

  it('stores before/after photos by their SHA-256, reads time and place from EXIF, and flags one taken 50 km from its unit', async () => {
    const officer = await token('olga', ['dignification-officer'], ['13']);
    const programmes = await db.query(`SELECT id FROM programme WHERE year = 2027`);
    const items = (await api('GET', `dignification/programmes/${programmes.rows[0].id}/allocations/items?pageSize=1000`, federal)).body.items as any[];
    const allocation = items.find((i) => rows.find((r) => r.clues === i.clues)!.latitude !== null)!;
    const unit = rows.find((r) => r.clues === allocation.clues)!;
    const near = { latitude: unit.latitude! + 0.001, longitude: unit.longitude! };

    // Refused, and nothing stored: not a photo, no photo, not multipart, too large, no time or place, a bad kind.
    const pdf = await postPhoto(allocation.id, officer, Buffer.from('%PDF-1.4\n%%EOF\n'), { kind: 'BEFORE', ...near, capturedAt: '2027-03-01T10:00:00-06:00' }, 'foto.jpg');
    expect(pdf.status).toBe(415);
    expect(pdf.body.message).toMatch(/"foto.jpg" is a PDF document: send a photo \(JPEG, PNG, WebP or HEIC\)/);
    expect((await postPhoto(allocation.id, officer, null, { kind: 'BEFORE' })).body).toMatchObject({ statusCode: 400, code: 'PHOTO_MISSING' });
    const json = await api('POST', `dignification/allocations/${allocation.id}/evidence`, officer, { kind: 'BEFORE', sha256: 'a'.repeat(64), ...near, capturedAt: '2027-03-01T10:00:00Z' });
    expect(json.status).toBe(415);
    expect(json.body.message).toMatch(/multipart\/form-data/);
    const huge = Buffer.concat([jpegPhoto(), Buffer.alloc(1024 * 1024 + 1)]);
    const tooLarge = await postPhoto(allocation.id, officer, huge, { kind: 'BEFORE', ...near, capturedAt: '2027-03-01T10:00:00-06:00' });
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.body.message).toMatch(/larger than the limit of 1 MB/);
    const bare = jpegPhoto({ seed: 'no exif' });
    expect((await postPhoto(allocation.id, officer, bare, { kind: 'BEFORE', ...near })).body).toMatchObject({ statusCode: 400, code: 'CAPTURE_TIME_REQUIRED' });
    expect((await postPhoto(allocation.id, officer, bare, { kind: 'BEFORE', capturedAt: '2027-03-01T10:00:00-06:00' })).body).toMatchObject({ statusCode: 400, code: 'LOCATION_REQUIRED' });
    expect((await postPhoto(allocation.id, officer, bare, { kind: 'SIDEWAYS', ...near, capturedAt: '2027-03-01T10:00:00-06:00' })).status).toBe(400);
    expect((await postPhoto(allocation.id, officer, bare, { kind: 'BEFORE', latitude: 'north', longitude: 1, capturedAt: '2027-03-01T10:00:00-06:00' })).status).toBe(400);
    expect((await postPhoto(allocation.id, await token('x', ['dignification-officer'], ['14']), bare, { kind: 'BEFORE', ...near, capturedAt: '2027-03-01T10:00:00-06:00' })).status).toBe(403);
    expect((await postPhoto(allocation.id, await token('aud', ['auditor']), bare, { kind: 'BEFORE', ...near, capturedAt: '2027-03-01T10:00:00-06:00' })).status).toBe(403);
    expect(storedPhotos()).toHaveLength(0);

    // A screenshot without EXIF: its time and place come from the form.
    const before = pngPhoto('fachada antes de la obra');
    // (A time without an offset is central Mexico time, EVIDENCE_DEFAULT_UTC_OFFSET.)
    const nearPhoto = await postPhoto(allocation.id, officer, before, { kind: 'BEFORE', ...near, capturedAt: '2027-03-01T10:00:00' }, 'antes.png');
    expect(nearPhoto.status).toBe(201);
    expect(nearPhoto.body).toMatchObject({
      flagged: false,
      kind: 'BEFORE',
      sha256: sha256(before),
      capturedAt: '2027-03-01T16:00:00.000Z',
      capturedAtSource: 'form',
      locationSource: 'form',
      photo: { mediaType: 'image/png', size: before.length, originalName: 'antes.png' },
    });
    expect(nearPhoto.body.distanceKm).toBeLessThan(1);

    // About 50 km north (0.45° of latitude), as the photo's own GPS says: the EXIF wins over the form's claim of being near.
    const facts: PhotoFacts = { takenLocal: '2027:06:15 12:30:00', offset: '-06:00', latitude: unit.latitude! + 0.45, longitude: unit.longitude!, seed: 'after' };
    const after = jpegPhoto(facts);
    const far = await postPhoto(allocation.id, officer, after, { kind: 'AFTER', ...near, capturedAt: '2027-03-01T10:00:00-06:00' });
    expect(far.status).toBe(201);
    expect(far.body).toMatchObject({
      flagged: true,
      flagReason: 'FAR_FROM_UNIT',
      sha256: sha256(after),
      capturedAt: '2027-06-15T18:30:00.000Z',
      capturedAtSource: 'exif',
      locationSource: 'exif',
      photo: { mediaType: 'image/jpeg', size: after.length },
    });
    expect(far.body.latitude).toBeCloseTo(unit.latitude! + 0.45, 5);
    expect(far.body.distanceKm).toBeGreaterThan(49);
    expect(far.body.distanceKm).toBeLessThan(51);
    const again = await postPhoto(allocation.id, officer, after, { kind: 'AFTER' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(far.body.id);

    // Stored once each, content-addressed, and served back byte for byte to whoever may read the state.
    expect(storedPhotos().map((e) => e.name).sort()).toEqual([sha256(before), sha256(after)].sort());
    const download = await fetch(`${service.url}${far.body.photo.url}`, { headers: { authorization: `Bearer ${await token('aud', ['auditor'])}` } });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/jpeg');
    expect(download.headers.get('etag')).toBe(`"${sha256(after)}"`);
    expect(Buffer.from(await download.arrayBuffer()).equals(after)).toBe(true);
    const elsewhere = await fetch(`${service.url}${far.body.photo.url}`, { headers: { authorization: `Bearer ${await token('x', ['dignification-officer'], ['14'])}` } });
    expect(elsewhere.status).toBe(403);
    expect((await api('GET', `dignification/evidence/${randomUUID()}/photo`, officer)).status).toBe(404);
    expect((await api('GET', 'dignification/evidence/not-an-id/photo', officer)).status).toBe(400);
    expect(far.body.photo.url).toBe(`/api/dignification/evidence/${far.body.id}/photo`);

    const flagged = (await db.query(`SELECT event FROM outbox WHERE type = 'dignification.evidence-flagged.v1'`)).rows;
    expect(flagged).toHaveLength(1);
    expect(JSON.parse(flagged[0].event).data).toMatchObject({ clues: unit.clues, reason: 'FAR_FROM_UNIT', allocationId: allocation.id, sha256: sha256(after) });
    expect((await api('GET', `dignification/allocations/${allocation.id}/evidence`, officer)).body.items).toHaveLength(2);
  });

  it('reports units funded, funds delivered and flagged evidence per state and nationally, also as CSV', async () => {
    const programmes = await db.query(`SELECT id FROM programme WHERE year = 2027`);
    const id = programmes.rows[0].id as string;
    const report = (await api('GET', `dignification/programmes/${id}/report`, await token('aud', ['auditor']))).body;
    expect(report.states).toHaveLength(1);
    expect(report.national).toMatchObject({
      unitsFunded: 483,
      allocated: 239_400_000,
      disbursed: 401_000,
      unitsFullyPaid: 1,
      evidence: 2,
      flaggedEvidence: 1,
      deliveredPercent: 0.1,
      projectsCompleted: 0,
    });
    const officer = await token('olga', ['dignification-officer'], ['13']);
    expect((await api('GET', `dignification/programmes/${id}/report`, officer)).status).toBe(403);
    const csv = await fetch(`${service.url}/api/dignification/programmes/${id}/report?stateCode=13&format=csv`, { headers: { authorization: `Bearer ${officer}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[1]).toBe('13,483,239400000,401000,0.1,1,0,0,2,1');
    expect(lines[2]).toMatch(/^NACIONAL,483,/);
    // The audit trail of everything above verifies.
    expect((await api('GET', 'audit/verify', federal)).body).toMatchObject({ valid: true });
  });

  it('closes a project: expense booklet within the funds received, assembly review, photos, verification', async () => {
    const officer = await token('olga', ['dignification-officer'], ['13']);
    const { rows: ev } = await db.query(`SELECT allocation_id FROM evidence LIMIT 1`);
    const allocationId = ev[0].allocation_id as string;
    const { rows: al } = await db.query(`SELECT amount, disbursed, clues FROM allocation WHERE id = $1`, [allocationId]);
    const owed = Number(al[0].amount) - Number(al[0].disbursed);
    if (owed > 0) {
      const paid = await api('POST', `dignification/allocations/${allocationId}/disbursements`, officer, { amount: owed, reference: 'SPEI-REST', idempotencyKey: 'works-rest-1' });
      expect(paid.status).toBe(201);
    }
    const received = Number(al[0].amount);
    const post = (what: string, body: unknown) => api('POST', `dignification/allocations/${allocationId}/${what}`, officer, body);
    const expense = (category: string, amount: number) =>
      post('expenses', { category, amount, description: `obra ${category}`, receiptReference: `CFDI-${category}`, spentOn: '2027-03-10' });

    expect((await post('review', { assemblyDate: '2027-05-20', actaReference: 'ACTA-REV-1' })).status).toBe(409);
    expect((await expense('WATERPROOFING', received - 100_000)).status).toBe(201);
    expect((await expense('RAMPS', 100_000)).status).toBe(201);
    const over = await expense('OTHER', 1);
    expect(over.status).toBe(409);
    expect(over.body.message).toMatch(/over the funds received/);
    expect((await expense('SWIMMING_POOL', 1)).status).toBe(400);

    const early = await post('verify', {});
    expect(early.status).toBe(409);
    expect(early.body.missing).toEqual(['the assembly’s review of the expense booklet', 'an after photo that is not flagged']);
    expect((await post('review', { assemblyDate: '2027-05-20', actaReference: 'ACTA-REV-1' })).status).toBe(200);
    const { rows: unitRows } = await db.query(`SELECT latitude, longitude FROM eligible_unit u JOIN allocation a USING (unit_id) WHERE a.id = $1`, [allocationId]);
    const onSite = jpegPhoto({ takenLocal: '2027:05:01 10:00:00', offset: '-06:00', latitude: unitRows[0].latitude, longitude: unitRows[0].longitude, seed: 'works done' });
    expect((await postPhoto(allocationId, officer, onSite, { kind: 'AFTER' })).status).toBe(201);
    const verified = await post('verify', { note: 'obra concluida' });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ verifiedBy: 'olga', spent: received });
    expect((await post('verify', {})).status).toBe(409);
    expect((await expense('OTHER', 1)).status).toBe(409);

    const completed = (await db.query(`SELECT event FROM outbox WHERE type = 'dignification.project-completed.v1'`)).rows;
    expect(completed).toHaveLength(1);
    expect(JSON.parse(completed[0].event).data).toMatchObject({ allocationId, clues: al[0].clues, spent: received, disbursed: received });
    const booklet = (await api('GET', `dignification/allocations/${allocationId}/expenses`, await token('aud', ['auditor']))).body;
    expect(booklet).toMatchObject({ received, spent: received, verifiedBy: 'olga' });
    expect(booklet.items).toHaveLength(2);

    const programmes = await db.query(`SELECT id FROM programme WHERE year = 2027`);
    const report = (await api('GET', `dignification/programmes/${programmes.rows[0].id}/report?stateCode=13`, officer)).body;
    expect(report.national).toMatchObject({ projectsCompleted: 1, completedPercent: 0.2 });
  });

  it('follows a unit’s later transfer events: excluded from the transfer, re-registered under a new key', async () => {
    const officer = await token('olga', ['dignification-officer'], ['13']);
    const units = (await api('GET', 'dignification/units?stateCode=13&eligible=true&pageSize=2', officer)).body.items as any[];
    const send = async <T extends object>(def: EventDefinition<T>, data: T) => {
      const e = createEvent(def, data, { actor: 'system:transfer' });
      await producer.send([{ topic: `${stack.namespace}.${def.topic}`, key: eventKey(def, e.data), value: JSON.stringify(e), headers: eventHeaders(e) }]);
    };
    await send(UnitStatusChanged, {
      unitId: units[0].unitId,
      clues: units[0].clues,
      stateCode: '13',
      fromStatus: 'INVENTORIED',
      toStatus: 'EXCLUDED',
      reason: 'inmueble en comodato sin regularizar',
      changedAt: '2027-01-10T00:00:00.000Z',
    });
    await send(UnitReRegistered, { unitId: units[1].unitId, stateCode: '13', previousClues: units[1].clues, clues: 'HGIMB999999', reRegisteredAt: '2027-01-10T00:00:00.000Z' });
    await waitFor(
      async () => {
        const all = (await api('GET', 'dignification/units?stateCode=13&pageSize=1000', officer)).body.items as any[];
        const excluded = all.find((u) => u.unitId === units[0].unitId);
        const moved = all.find((u) => u.unitId === units[1].unitId);
        return excluded.exclusion?.reason === 'EXCLUDED_FROM_TRANSFER' && moved.clues === 'HGIMB999999' && moved.previousClues === units[1].clues;
      },
      { timeoutMs: 30000, what: 'the status change and the re-registration in the read model' },
    );
  });
});

