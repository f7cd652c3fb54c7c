import express from 'express';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DomainError } from '../errors/domain-error';
import { UploadReceiver, UploadSpool } from './upload-spool';

describe('UploadSpool and UploadReceiver', () => {
  const dir = mkdtempSync(join(tmpdir(), 'upload-spool-'));
  const receiver = new UploadReceiver({
    spool: new UploadSpool(dir, (name) => (name.endsWith('.csv') ? 'csv' : 'upload')),
    field: 'file',
    maxBytes: 1000,
    limits: { fields: 2, parts: 3, fieldNameSize: 100, fieldSize: 50 },
    refuse: (name) => (name.endsWith('.exe') ? new DomainError('UNSUPPORTED_FILE_TYPE', `${name} is not accepted`, 415) : null),
    multipartHint: 'Send the file as multipart/form-data',
    partsHint: 'the file',
    tooLarge: () => new DomainError('FILE_TOO_LARGE', 'larger than 1000 bytes', 413),
  });
  const app = express();
  app.post('/upload', (req, res) => {
    receiver.receive(req, res).then(
      (file) => res.json(file ?? null),
      (err: unknown) =>
        err instanceof DomainError ? res.status(err.httpStatus).json({ code: err.code, message: err.message }) : res.status(500).json({ message: String(err) }),
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('spools the file, hashing it on the way', async () => {
    const content = Buffer.from('CLUES,NOMBRE\nHGSSA000016,ACATLAN\n');
    const res = await request(app).post('/upload').attach('file', content, 'catalogo.csv');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      fieldname: 'file',
      originalname: 'catalogo.csv',
      size: content.length,
      sha256: createHash('sha256').update(content).digest('hex'),
      filename: expect.stringMatching(/^[0-9a-f-]{36}\.csv$/),
    });
    expect(readFileSync(res.body.path)).toEqual(content);
  });

  it('answers each refusal with its 4xx and leaves no file behind', async () => {
    const before = readdirSync(dir).length;
    const send = () => request(app).post('/upload');
    expect((await send().send({ a: 1 })).body.code).toBe('MULTIPART_REQUIRED');
    expect(await send().attach('file', Buffer.alloc(1001), 'big.csv')).toMatchObject({ status: 413, body: { code: 'FILE_TOO_LARGE' } });
    expect(await send().attach('file', Buffer.from('MZ'), 'tool.exe')).toMatchObject({ status: 415, body: { code: 'UNSUPPORTED_FILE_TYPE' } });
    expect(await send().attach('other', Buffer.from('x'), 'a.csv')).toMatchObject({
      status: 400,
      body: { code: 'ONE_FILE_EXPECTED', message: "Send exactly one file, in the multipart field 'file' (got a file in 'other')." },
    });
    expect(await send().field('note', 'x'.repeat(51)).attach('file', Buffer.from('x'), 'a.csv')).toMatchObject({ status: 400, body: { code: 'FIELD_TOO_LONG' } });
    expect(await send().field('a', '1').field('b', '2').field('c', '3')).toMatchObject({ status: 400, body: { code: 'TOO_MANY_FIELDS' } });
    expect(readdirSync(dir).length).toBe(before);
  });

  it('removes only stale spooled files', async () => {
    const spool = new UploadSpool(dir);
    writeFileSync(join(dir, 'old.upload'), 'x');
    writeFileSync(join(dir, 'new.upload'), 'y');
    const twoHoursAgo = (Date.now() - 2 * 60 * 60 * 1000) / 1000;
    utimesSync(join(dir, 'old.upload'), twoHoursAgo, twoHoursAgo);
    const stale = readdirSync(dir).filter((f) => f === 'old.upload').length;
    expect(await spool.removeStaleFiles()).toBe(stale);
    expect(readdirSync(dir)).toContain('new.upload');
    expect(readdirSync(dir)).not.toContain('old.upload');
    expect(await new UploadSpool(join(dir, 'missing')).removeStaleFiles()).toBe(0);
  });
});
