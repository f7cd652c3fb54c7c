import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Request } from 'express';
import type { StorageEngine } from 'multer';
import { removeFilesOlderThan } from './local-disk-storage';

/** An upload received in full: where it waits, and what it is. */
export interface SpooledUpload {
  /** Multipart field name. */
  fieldname: string;
  /** File name as the client sent it. */
  originalname: string;
  /** Media type as the client declared it. */
  mimetype: string;
  path: string;
  size: number;
  sha256: string;
}

const STALE_SPOOL_MS = 60 * 60 * 1000;

/**
 * Multer storage engine that streams each uploaded file into a private spool directory while
 * hashing it, so nothing reaches the document store before the upload is complete and checked
 * (size, type, metadata). Whoever handles the request removes the spooled file afterwards.
 */
export class UploadSpool implements StorageEngine {
  constructor(readonly dir: string) {}

  _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    this.receive(file.stream).then(
      (info) => callback(null, info),
      (err: unknown) => callback(err),
    );
  }

  _removeFile(_req: Request, file: Express.Multer.File, callback: (error: Error | null) => void): void {
    rm(file.path, { force: true }).then(
      () => callback(null),
      (err: Error) => callback(err),
    );
  }

  /** Deletes spooled files of requests that died (crash, kill) more than an hour ago. */
  removeStaleFiles(now = Date.now()): Promise<number> {
    return removeFilesOlderThan(this.dir, now - STALE_SPOOL_MS);
  }

  private async receive(stream: NodeJS.ReadableStream): Promise<Partial<Express.Multer.File> & { sha256: string }> {
    await mkdir(this.dir, { recursive: true });
    const path = join(this.dir, `${randomUUID()}.upload`);
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
      await pipeline(stream, measure, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { path, size, sha256: hash.digest('hex') };
  }
}
