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
  const metadata = { title: 'Convenio de coordinación – Hidalgo', reference: 'DOF 15/03/2023', date: '2023-03-15' };

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
    const [audit] = await dataSource.query(`SELECT actor, action, entity_id, after FROM audit_log WHERE entity = 'Document'`);
    expect(audit).toMatchObject({ actor: 'hilda', action: 'document.uploaded', entity_id: firstId });
    expect(audit.after).toMatchObject({ sha256: hash, title: metadata.title, date: '2023-03-15' });
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
    expect(missing.body.message).toMatch(/reference is required/);
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
    const missing = await dataSource.transaction((m) => documents.missing(m, [sha(PDF), unknown, unknown]));
    expect([...missing]).toEqual([[unknown, 'not-uploaded']]);
    await expect(dataSource.transaction((m) => documents.assertStored(m, unknown, 'acta.documentSha256'))).rejects.toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
      httpStatus: 400,
      message: expect.stringMatching(/^acta.documentSha256: document c{64} not found: upload the document first/),
    });
    await dataSource.transaction((m) => documents.assertStored(m, sha(PDF), 'acta.documentSha256'));

    // Recorded, but its file is gone from the store: refused too, and reported as an integrity failure.
    const errors = jest.spyOn(Logger.prototype, 'error');
    const path = contentPath(join(storageDir, 'documents'), sha(PDF));
    await rm(path, { force: true });
    try {
      await expect(dataSource.transaction((m) => documents.assertStored(m, sha(PDF), 'evidence.documentSha256'))).rejects.toMatchObject({
        code: 'DOCUMENT_NOT_FOUND',
        message: expect.stringMatching(/is recorded but its file is missing from the document store/),
      });
      expect(errors.mock.calls.some(([, message]) => String(message).includes('INTEGRITY FAILURE'))).toBe(true);
    } finally {
      errors.mockRestore();
      await writeFile(path, PDF, { mode: 0o444 });
    }
  });
});
