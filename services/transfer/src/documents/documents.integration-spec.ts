import { INestApplication, Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createHash } from 'node:crypto';
import { chmod, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { get as httpGet, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { DevTokenIssuer } from '@imb/auth';
import { buildDataSourceOptions, configurePlatformApp } from '@imb/platform';
import { createDatabase, dropDatabase, testPg, uniqueName, waitFor } from '@imb/testing';
import { AppModule } from '../app.module';
import { transferSchema } from '../schema';
import { contentPath } from './local-disk-storage';
import { StoredDocuments } from './stored-documents';

/**
 * Evidence documents through the HTTP API of the whole transfer service (in process), against
 * real PostgreSQL, Kafka and Redis, with the documents stored in a fresh directory.
 */
describe('evidence documents (HTTP, real PostgreSQL, local disk)', () => {
  let app: INestApplication;
  let dataSource: DataSource;
  let database: string;
  let storageDir: string;
  const tokens: Record<string, string> = {};

  const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n% convenio de coordinación\n'), Buffer.alloc(64 * 1024, 'x'), Buffer.from('\n%%EOF\n')]);
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  const http = () => request(app.getHttpServer());
  const upload = (token: string, file: Buffer | null, fields: Record<string, string>, name = 'convenio.pdf', contentType = 'application/pdf') => {
    let req = http().post('/api/transfers/documents').set('authorization', `Bearer ${token}`);
    for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
    if (file) req = req.attach('file', file, { filename: name, contentType });
    return req;
  };
  const metadata = { stateCode: '13', title: 'Convenio de coordinación – Hidalgo', reference: 'DOF 15/03/2023', date: '2023-03-15' };

  async function storedFiles(): Promise<string[]> {
    const entries = await readdir(storageDir, { recursive: true, withFileTypes: true }).catch(() => []);
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(storageDir.length + 1)).sort();
  }
  const documentRows = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM document`))[0].n);
  const auditRows = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM audit_log WHERE entity = 'Document'`))[0].n);
  async function expectNothingWritten(before: { files: string[]; rows: number; audits: number }) {
    expect(await storedFiles()).toEqual(before.files);
    expect(await documentRows()).toBe(before.rows);
    expect(await auditRows()).toBe(before.audits);
  }
  const snapshot = async () => ({ files: await storedFiles(), rows: await documentRows(), audits: await auditRows() });
  const collect = (res: NodeJS.ReadableStream, done: (err: Error | null, body: Buffer) => void) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  };

  beforeAll(async () => {
    database = await createDatabase('transfer_documents');
    const url = `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`;
    dataSource = new DataSource(buildDataSourceOptions({ url, ...transferSchema }));
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    storageDir = await mkdtemp(join(tmpdir(), 'imb-transfer-storage-'));
    Object.assign(process.env, {
      DATABASE_URL: url,
      STORAGE_DIR: storageDir,
      KAFKA_NAMESPACE: uniqueName('docs'),
      KAFKAJS_LOG_LEVEL: 'error',
      AUTH_DEV_ISSUER: 'true',
      LOG_LEVEL: 'silent',
      PROGRESS_INTERVAL_MS: '0',
    });
    const moduleRef = await Test.createTestingModule({ imports: [AppModule] }).compile();
    app = moduleRef.createNestApplication({ bodyParser: false });
    configurePlatformApp(app, { openApi: false });
    await app.init();
    const issuer = app.get(DevTokenIssuer);
    tokens.federal = await issuer.sign({ sub: 'fede', roles: ['federal-coordinator'], states: [] });
    tokens.state = await issuer.sign({ sub: 'hilda', roles: ['state-coordinator'], states: ['13'] });
    tokens.hr = await issuer.sign({ sub: 'hugo', roles: ['hr-officer'], states: ['13'] });
    tokens.auditor = await issuer.sign({ sub: 'aud', roles: ['auditor'], states: [] });
    tokens.jalisco = await issuer.sign({ sub: 'jimena', roles: ['state-coordinator'], states: ['14'] });
  });

  afterAll(async () => {
    await app?.close();
    await dataSource?.destroy();
    if (database) await dropDatabase(database);
    if (storageDir) await rm(storageDir, { recursive: true, force: true });
  });

  let firstId: string;

  it('stores an uploaded PDF under its SHA-256, records it and audits it', async () => {
    const res = await upload(tokens.state, PDF, metadata).expect(201);
    expect(res.body).toMatchObject({
      stateCode: '13',
      sha256: sha(PDF),
      size: PDF.length,
      mediaType: 'application/pdf',
      title: metadata.title,
      reference: metadata.reference,
      date: '2023-03-15',
      originalName: 'convenio.pdf',
      uploadedBy: 'hilda',
    });
    firstId = res.body.id;
    const hash = sha(PDF);
    expect(await storedFiles()).toEqual([`documents/${hash.slice(0, 2)}/${hash.slice(2, 4)}/${hash}`]);
    expect(await readFile(contentPath(join(storageDir, 'documents'), hash))).toEqual(PDF);
    const [audit] = await dataSource.query(`SELECT actor, action, entity_id, state_code, after FROM audit_log WHERE entity = 'Document'`);
    expect(audit).toMatchObject({ actor: 'hilda', action: 'document.uploaded', entity_id: firstId, state_code: '13' });
    expect(audit.after).toMatchObject({ stateCode: '13', sha256: hash, title: metadata.title, date: '2023-03-15' });
  });

  it('keeps one stored copy when the same content is uploaded again', async () => {
    const res = await upload(tokens.hr, PDF, { ...metadata, title: 'Same agreement, attached to the payroll gate' }, 'copia.PDF', 'application/octet-stream').expect(201);
    expect(res.body.sha256).toBe(sha(PDF));
    expect(res.body.id).not.toBe(firstId);
    expect(await storedFiles()).toHaveLength(1);
    expect(await documentRows()).toBe(2);
  });

  it('serves the metadata and the identical bytes, with type and file name', async () => {
    const meta = await http().get(`/api/transfers/documents/${firstId}`).set('authorization', `Bearer ${tokens.auditor}`).expect(200);
    expect(meta.body).toMatchObject({ id: firstId, sha256: sha(PDF), title: metadata.title });
    const content = await http()
      .get(`/api/transfers/documents/${firstId}/content`)
      .set('authorization', `Bearer ${tokens.auditor}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    expect(Buffer.compare(content.body as Buffer, PDF)).toBe(0);
    expect(content.headers['content-type']).toBe('application/pdf');
    expect(content.headers['content-length']).toBe(String(PDF.length));
    expect(content.headers['content-disposition']).toBe(`attachment; filename="convenio.pdf"; filename*=UTF-8''convenio.pdf`);
    expect(content.headers.etag).toBe(`"${sha(PDF)}"`);
  });

  it('closes the stored file when a client abandons a download', async () => {
    const large = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(20 * 1024 * 1024, 'y'), Buffer.from('\n%%EOF\n')]);
    const { body } = await upload(tokens.federal, large, { ...metadata, title: 'Acta de entrega (escaneo)' }, 'acta.pdf').expect(201);
    const stored = contentPath(join(storageDir, 'documents'), body.sha256);
    const openHere = async () => {
      const links = await Promise.all((await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
      return links.filter((l) => l === stored).length;
    };
    const server = app.getHttpServer() as Server;
    if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    // Read the first chunk of the body, then hang up.
    await new Promise<void>((resolve, reject) => {
      const req = httpGet({ host: '127.0.0.1', port, path: `/api/transfers/documents/${body.id}/content`, headers: { authorization: `Bearer ${tokens.auditor}` } }, (res) => {
        expect(res.statusCode).toBe(200);
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.once('error', (err) => (req.destroyed ? undefined : reject(err)));
    });
    await waitFor(async () => (await openHere()) === 0, { timeoutMs: 5000, intervalMs: 50, what: 'the abandoned download to close its file' });
  });

  it('answers 404 for an unknown id and 400 for a malformed one', async () => {
    const unknown = await http().get('/api/transfers/documents/6f1c2a8e-8d8b-4d53-9d7e-3c1f0b8f2a11').set('authorization', `Bearer ${tokens.federal}`).expect(404);
    expect(unknown.body.message).toMatch(/No document has the id/);
    const bad = await http().get('/api/transfers/documents/abc/content').set('authorization', `Bearer ${tokens.federal}`).expect(400);
    expect(bad.body.message).toMatch(/must be a UUID/);
  });

  it('refuses a file over the limit with 413 and writes nothing', async () => {
    const before = await snapshot();
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.alloc(26 * 1024 * 1024, 'x')]);
    const res = await upload(tokens.federal, big, metadata, 'enorme.pdf').expect(413);
    expect(res.body.message).toMatch(/larger than the limit of 25 MB \(26214400 bytes\); nothing was stored/);
    await expectNothingWritten(before);
  });

  it('refuses an executable renamed .pdf, and content that contradicts its name', async () => {
    const before = await snapshot();
    const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 0x90)]);
    const res = await upload(tokens.federal, exe, metadata, 'acta.pdf').expect(415);
    expect(res.body.message).toMatch(/The file is a Windows executable; evidence documents must be PDF, PNG, JPEG/);
    const png = await upload(tokens.federal, PNG, metadata, 'acta.pdf', 'application/pdf').expect(415);
    expect(png.body.message).toMatch(/sent as application\/pdf, but its content is a PNG image/);
    await expectNothingWritten(before);
  });

  it('refuses malformed metadata with 400 naming each field, and writes nothing', async () => {
    const before = await snapshot();
    const res = await upload(tokens.federal, PDF, { title: '   ', reference: 'ok', date: '2023-02-30', extra: 'x' }).expect(400);
    expect(res.body.message).toMatch(/title must not be blank/);
    expect(res.body.message).toMatch(/date must be a real calendar date/);
    expect(res.body.message).toMatch(/property extra should not exist/);
    const missing = await upload(tokens.federal, PDF, { title: 'Acta' }).expect(400);
    expect(missing.body.message).toMatch(/stateCode is required: the two-digit INEGI code/);
    expect(missing.body.message).toMatch(/reference is required/);
    const badState = await upload(tokens.federal, PDF, { ...metadata, stateCode: '33' }).expect(400);
    expect(badState.body.message).toMatch(/stateCode: "33" is not a state code/);
    expect(missing.body.message).toMatch(/date must be the date of the document as YYYY-MM-DD/);
    const noFile = await upload(tokens.federal, null, metadata).expect(400);
    expect(noFile.body.message).toMatch(/Attach the document in the multipart field 'file'/);
    const json = await http().post('/api/transfers/documents').set('authorization', `Bearer ${tokens.federal}`).send(metadata).expect(415);
    expect(json.body.message).toMatch(/multipart\/form-data/);
    const twoFiles = await upload(tokens.federal, PDF, metadata).attach('other', PNG, 'x.png').expect(400);
    expect(twoFiles.body.message).toMatch(/exactly one file, in the multipart field 'file'/);
    await expectNothingWritten(before);
  });

  it('lets auditors read but not upload', async () => {
    const before = await snapshot();
    const res = await upload(tokens.auditor, PDF, metadata).expect(403);
    expect(res.body.message).toMatch(/Auditors are read-only/);
    await http().post('/api/transfers/documents').attach('file', PDF, 'x.pdf').expect(401);
    await expectNothingWritten(before);
  });

  it('never serves content that no longer matches its hash, and says so loudly', async () => {
    const errors = jest.spyOn(Logger.prototype, 'error');
    const path = contentPath(join(storageDir, 'documents'), sha(PDF));
    await chmod(path, 0o644);
    const altered = Buffer.from(PDF);
    altered[20] ^= 1;
    await writeFile(path, altered);
    try {
      const res = await http().get(`/api/transfers/documents/${firstId}/content`).set('authorization', `Bearer ${tokens.federal}`).expect(500);
      expect(res.body.message).toMatch(/does not match its recorded SHA-256, so it is not served/);
      expect(errors.mock.calls.some(([, message]) => String(message).includes('INTEGRITY FAILURE'))).toBe(true);
      await rm(path);
      const gone = await http().get(`/api/transfers/documents/${firstId}/content`).set('authorization', `Bearer ${tokens.federal}`).expect(500);
      expect(gone.body.message).toMatch(/is missing/);
    } finally {
      errors.mockRestore();
      await writeFile(path, PDF, { mode: 0o444 });
    }
    await http().get(`/api/transfers/documents/${firstId}/content`).set('authorization', `Bearer ${tokens.federal}`).expect(200);
  });

  it('tells evidence (checklist items, actas) whether a SHA-256 names a stored document: recorded and with its content', async () => {
    const documents = app.get(StoredDocuments);
    const unknown = 'c'.repeat(64);
    const missing = await dataSource.transaction((m) => documents.missing(m, '13', [sha(PDF), unknown, unknown]));
    expect([...missing]).toEqual([[unknown, 'not-uploaded']]);
    await expect(dataSource.transaction((m) => documents.assertStored(m, '13', unknown, 'acta.documentSha256'))).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
      httpStatus: 400,
      message: expect.stringMatching(/^acta.documentSha256: document c{64} not found: upload the document first/),
    });
    await dataSource.transaction((m) => documents.assertStored(m, '13', sha(PDF), 'acta.documentSha256'));
    // Hidalgo's document is not evidence of Jalisco.
    expect([...(await dataSource.transaction((m) => documents.missing(m, '14', [sha(PDF)])))]).toEqual([[sha(PDF), 'other-state']]);

    // Recorded, but its file is gone from the store: refused too, and reported as an integrity failure.
    const errors = jest.spyOn(Logger.prototype, 'error');
    const path = contentPath(join(storageDir, 'documents'), sha(PDF));
    await rm(path, { force: true });
    try {
      await expect(dataSource.transaction((m) => documents.assertStored(m, '13', sha(PDF), 'evidence.documentSha256'))).rejects.toMatchObject({
        code: 'DOCUMENT_NOT_FOUND',
        message: expect.stringMatching(/is recorded but its file is missing from the document store/),
      });
      expect(errors.mock.calls.some(([, message]) => String(message).includes('INTEGRITY FAILURE'))).toBe(true);
    } finally {
      errors.mockRestore();
      await writeFile(path, PDF, { mode: 0o444 });
    }
  });

  describe('documents belong to a state', () => {
    const JALISCO_PDF = Buffer.from('%PDF-1.7\n% acta de entrega-recepción, Jalisco\n%%EOF\n');
    const jaliscoMetadata = { stateCode: '14', title: 'Acta de entrega-recepción – Jalisco', reference: 'ER-JAL-2026-0001', date: '2026-04-10' };
    let jaliscoId: string;
    const get = (path: string, token: string) => http().get(`/api/transfers/documents/${path}`).set('authorization', `Bearer ${token}`);
    const head = (path: string, token: string) => http().head(`/api/transfers/documents/${path}`).set('authorization', `Bearer ${token}`);
    const close = (token: string, itemId: string, documentSha256: string) =>
      http()
        .post(`/api/transfers/13/checklist/${itemId}`)
        .set('authorization', `Bearer ${token}`)
        .send({ evidence: { reference: 'ER-HGO-2026-0001', date: '2026-04-10', documentSha256 } });

    it("refuses an upload for a state outside the caller's before storing anything; a federal coordinator uploads for any state", async () => {
      const before = await snapshot();
      const refused = await upload(tokens.state, JALISCO_PDF, jaliscoMetadata, 'acta.pdf').expect(403);
      expect(refused.body.message).toBe('You may not change data of state 14: your token grants the states [13] and no national role.');
      await expectNothingWritten(before);

      const federal = await upload(tokens.federal, JALISCO_PDF, { ...jaliscoMetadata, title: 'Acta (copia federal)' }, 'acta.pdf').expect(201);
      expect(federal.body).toMatchObject({ stateCode: '14', uploadedBy: 'fede' });
    });

    it("keeps Hidalgo's coordinator out of Jalisco's document: metadata, content and HEAD are 403; Jalisco and the national roles read it", async () => {
      const uploaded = await upload(tokens.jalisco, JALISCO_PDF, jaliscoMetadata, 'acta.pdf').expect(201);
      expect(uploaded.body).toMatchObject({ stateCode: '14', sha256: sha(JALISCO_PDF), uploadedBy: 'jimena' });
      jaliscoId = uploaded.body.id;

      const message = `You may not read document ${jaliscoId}: it is evidence of state 14 and your token grants [13] and no national role.`;
      for (const token of [tokens.state, tokens.hr]) {
        const meta = await get(jaliscoId, token).expect(403);
        expect(meta.body).toMatchObject({ code: 'DOCUMENT_OF_ANOTHER_STATE', message });
        expect(JSON.stringify(meta.body)).not.toContain(jaliscoMetadata.title);
        const content = await get(`${jaliscoId}/content`, token).expect(403);
        expect(content.body).toMatchObject({ code: 'DOCUMENT_OF_ANOTHER_STATE', message });
        // Not even the hash leaks through the headers.
        expect(content.headers.etag).not.toContain(sha(JALISCO_PDF));
        expect(content.headers['repr-digest']).toBeUndefined();
        const probe = await head(`${jaliscoId}/content`, token).expect(403);
        expect(probe.headers['repr-digest']).toBeUndefined();
        expect(probe.headers['content-length']).not.toBe(String(JALISCO_PDF.length));
        await head(jaliscoId, token).expect(403);
      }

      for (const token of [tokens.jalisco, tokens.federal, tokens.auditor]) {
        expect((await get(jaliscoId, token).expect(200)).body).toMatchObject({ id: jaliscoId, stateCode: '14', title: jaliscoMetadata.title });
        const content = await get(`${jaliscoId}/content`, token).buffer(true).parse(collect).expect(200);
        expect(Buffer.compare(content.body as Buffer, JALISCO_PDF)).toBe(0);
        expect((await head(`${jaliscoId}/content`, token).expect(200)).headers.etag).toBe(`"${sha(JALISCO_PDF)}"`);
      }
      // And the other way round: Hidalgo's own document stays out of Jalisco's reach.
      expect((await get(firstId, tokens.jalisco).expect(403)).body.code).toBe('DOCUMENT_OF_ANOTHER_STATE');
      await get(firstId, tokens.state).expect(200);
    });

    it("refuses Jalisco's document as evidence of a Hidalgo checklist item; the same bytes uploaded for Hidalgo are accepted", async () => {
      // Hidalgo operates since 2023: suspend and restart it so its DIAGNOSIS gate is open again.
      for (const toStage of ['SUSPENDED', 'DIAGNOSIS']) {
        await http()
          .post('/api/transfers/13/advance')
          .set('authorization', `Bearer ${tokens.federal}`)
          .send({ toStage, reason: 'integration test: evidence of another state' })
          .expect(200);
      }
      const itemAudits = async () => Number((await dataSource.query(`SELECT count(*) AS n FROM audit_log WHERE entity = 'ChecklistItem'`))[0].n);
      const auditsBefore = await itemAudits();

      for (const token of [tokens.state, tokens.federal]) {
        const refused = await close(token, 'transition-tables', sha(JALISCO_PDF)).expect(403);
        expect(refused.body).toMatchObject({ code: 'DOCUMENT_OF_ANOTHER_STATE', field: 'evidence.documentSha256', sha256: sha(JALISCO_PDF) });
        expect(refused.body.message).toBe(
          `evidence.documentSha256: document ${sha(JALISCO_PDF)} was not uploaded for state 13, and evidence of a state must be one of its own documents: ` +
            'upload the file for state 13 (POST /api/transfers/documents with stateCode 13), then retry with the same SHA-256; nothing was changed',
        );
      }
      const transfer = await http().get('/api/transfers/13').set('authorization', `Bearer ${tokens.state}`).expect(200);
      expect(transfer.body.checklist.find((i: { id: string }) => i.id === 'transition-tables')).toMatchObject({ done: false, evidence: null });
      expect(await itemAudits()).toBe(auditsBefore);

      // The same bytes uploaded for Hidalgo: a second document, one stored content, and the item closes.
      const files = await storedFiles();
      const own = await upload(tokens.state, JALISCO_PDF, { ...jaliscoMetadata, stateCode: '13', title: 'Acta de entrega-recepción – Hidalgo' }, 'acta.pdf').expect(201);
      expect(own.body).toMatchObject({ stateCode: '13', sha256: sha(JALISCO_PDF) });
      expect(own.body.id).not.toBe(jaliscoId);
      expect(await storedFiles()).toEqual(files);
      const closed = await close(tokens.state, 'transition-tables', sha(JALISCO_PDF)).expect(200);
      expect(closed.body).toMatchObject({ done: true, evidence: { documentSha256: sha(JALISCO_PDF) } });
      // Jalisco's own document is untouched by Hidalgo's copy.
      await get(jaliscoId, tokens.state).expect(403);
      await get(own.body.id, tokens.jalisco).expect(403);
    });

    it('lets only national roles read a document recorded before documents had a state, and no state cite it', async () => {
      const legacy = '0b7f3c2e-5a41-4c8e-9d2a-6f1e8b3a7c55';
      await dataSource.query(
        `INSERT INTO document (id, sha256, state_code, title, reference, document_date, media_type, size, original_name, uploaded_by, uploaded_at)
         VALUES ($1, $2, NULL, 'Oficio anterior', 'OF-2025-1', '2025-01-01', 'application/pdf', $3, 'oficio.pdf', 'legacy', now())`,
        [legacy, sha(PDF), PDF.length],
      );
      const refused = await get(legacy, tokens.state).expect(403);
      expect(refused.body).toMatchObject({ code: 'DOCUMENT_NATIONAL_ONLY' });
      expect(refused.body.message).toMatch(/only national roles \(federal-coordinator, auditor\) may read it; upload it again for your state/);
      await get(`${legacy}/content`, tokens.jalisco).expect(403);
      expect((await get(legacy, tokens.auditor).expect(200)).body).toMatchObject({ id: legacy, stateCode: null });
      await get(`${legacy}/content`, tokens.federal).expect(200);
      const documents = app.get(StoredDocuments);
      const legacyOnly = createHash('sha256').update('legacy only').digest('hex');
      await dataSource.query(`UPDATE document SET sha256 = $2 WHERE id = $1`, [legacy, legacyOnly]);
      expect([...(await dataSource.transaction((m) => documents.missing(m, '13', [legacyOnly])))]).toEqual([[legacyOnly, 'other-state']]);
    });
  });
});
