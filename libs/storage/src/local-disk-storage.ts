import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ContentNotFoundError, ContentStorage, isSha256, StoredContent } from './content-storage';

/** Where content with this hash lives under `root`: `ab/cd/abcd…` (two levels keep directories small). */
export function contentPath(root: string, sha256: string): string {
  if (!isSha256(sha256)) throw new Error(`not a lower-case hex SHA-256: ${JSON.stringify(sha256)}`);
  return join(root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
}

/** Temporary files younger than this may belong to a put still running (in this or another process). */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Content-addressed store on the local file system. Content is written to a temporary file in
 * the same tree while it is hashed, flushed to disk, then renamed into place: a reader sees a
 * file complete or not at all, and two writers of the same content both end with the one copy.
 * Stored files are made read-only.
 */
export class LocalDiskContentStorage implements ContentStorage {
  private readonly tempDir: string;

  /** @param root directory holding the content tree (e.g. `<STORAGE_DIR>/documents`). */
  constructor(readonly root: string) {
    this.tempDir = join(root, '.tmp');
  }

  async put(content: Readable | Buffer): Promise<StoredContent> {
    await mkdir(this.tempDir, { recursive: true });
    const temp = join(this.tempDir, `${randomUUID()}.part`);
    const hash = createHash('sha256');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        size += chunk.length;
        done(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(content) ? Readable.from([content]) : content;
      // Created read-only (the open descriptor still writes); `flush` syncs it before it closes.
      await pipeline(source, measure, createWriteStream(temp, { flags: 'wx', mode: 0o444, flush: true }));
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
    const sha256 = hash.digest('hex');
    const target = contentPath(this.root, sha256);
    try {
      if (await this.exists(sha256)) return { sha256, size };
      await mkdir(dirname(target), { recursive: true });
      await rename(temp, target);
      await syncDirectory(dirname(target));
    } finally {
      await rm(temp, { force: true });
    }
    return { sha256, size };
  }

  async open(sha256: string): Promise<Readable> {
    if (!isSha256(sha256)) throw new ContentNotFoundError(sha256);
    try {
      const file = await open(contentPath(this.root, sha256), 'r');
      return file.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ContentNotFoundError(sha256);
      throw err;
    }
  }

  async exists(sha256: string): Promise<boolean> {
    if (!isSha256(sha256)) return false;
    try {
      return (await stat(contentPath(this.root, sha256))).isFile();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /** Deletes temporary files left by puts that died (crash, kill) more than an hour ago. */
  async removeStaleTemporaryFiles(now = Date.now()): Promise<number> {
    return removeFilesOlderThan(this.tempDir, now - STALE_TEMP_MS);
  }
}

/** Deletes the regular files of `dir` last modified before `cutoffMs`; a missing directory holds none. */
export async function removeFilesOlderThan(dir: string, cutoffMs: number): Promise<number> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
  let removed = 0;
  for (const name of names) {
    const path = join(dir, name);
    const info = await stat(path).catch(() => undefined);
    if (info?.isFile() && info.mtimeMs < cutoffMs) {
      await rm(path, { force: true });
      removed++;
    }
  }
  return removed;
}

// The rename is durable only once the directory entry is on disk too.
async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
