import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ContentNotFoundError } from './content-storage';
import { contentPath, LocalDiskContentStorage } from './local-disk-storage';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

describe('LocalDiskContentStorage', () => {
  let root: string;
  let storage: LocalDiskContentStorage;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'imb-docs-'));
    storage = new LocalDiskContentStorage(root);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('lays content out as ab/cd/<sha256> under the root', () => {
    const hash = 'abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789';
    expect(contentPath('/srv/documents', hash)).toBe(`/srv/documents/ab/cd/${hash}`);
    expect(() => contentPath('/srv', 'ABCDEF')).toThrow(/not a lower-case hex SHA-256/);
    expect(() => contentPath('/srv', '../../etc/passwd')).toThrow();
  });

  it('stores a buffer under its hash, read-only, and reads it back', async () => {
    const content = Buffer.from('%PDF-1.7 acta de entrega-recepción');
    const stored = await storage.put(content);
    expect(stored).toEqual({ sha256: sha(content), size: content.length });
    const path = contentPath(root, stored.sha256);
    expect(await readFile(path)).toEqual(content);
    expect((await stat(path)).mode & 0o777).toBe(0o444);
    expect(await storage.exists(stored.sha256)).toBe(true);
    expect(await readAll(await storage.open(stored.sha256))).toEqual(content);
  });

  it('keeps one copy of the same content and leaves no temporary file', async () => {
    const content = Buffer.alloc(3 * 1024 * 1024, 7);
    const first = await storage.put(Readable.from([content.subarray(0, 1000), content.subarray(1000)]));
    const second = await storage.put(content);
    const [third, fourth] = await Promise.all([storage.put(content), storage.put(Readable.from([content]))]);
    expect(new Set([first.sha256, second.sha256, third.sha256, fourth.sha256]).size).toBe(1);
    expect(await filesUnder(root)).toEqual([contentPath(root, first.sha256)]);
  });

  it('writes nothing when the source fails midway', async () => {
    const failing = new Readable({
      read() {
        this.push(Buffer.alloc(1024));
        this.destroy(new Error('client went away'));
      },
    });
    await expect(storage.put(failing)).rejects.toThrow('client went away');
    expect(await filesUnder(root)).toEqual([]);
  });

  it('says when content is not there', async () => {
    const absent = sha(Buffer.from('never stored'));
    expect(await storage.exists(absent)).toBe(false);
    expect(await storage.exists('not-a-hash')).toBe(false);
    await expect(storage.open(absent)).rejects.toBeInstanceOf(ContentNotFoundError);
  });

  it('removes temporary files older than an hour, and only those', async () => {
    await storage.put(Buffer.from('x'));
    const tmp = join(root, '.tmp');
    await writeFile(join(tmp, 'old.part'), 'x');
    await writeFile(join(tmp, 'recent.part'), 'x');
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000);
    await utimes(join(tmp, 'old.part'), twoHoursAgo, twoHoursAgo);
    expect(await storage.removeStaleTemporaryFiles()).toBe(1);
    expect(await readdir(tmp)).toEqual(['recent.part']);
  });
});
