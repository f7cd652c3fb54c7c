import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError, StorageEngine } from 'multer';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { DomainError } from '../errors/domain-error';

/**
 * Multipart uploads received onto disk before the handler runs — evidence documents, CLUES
 * catalogues, HR rosters: one spool (stream to a file while hashing it) and one receiver (limits,
 * a clear 4xx for every refusal), so each feature only says what it accepts and what its files are.
 */

/** An upload received in full: where it waits, and what it is. */
export interface SpooledUpload {
  /** Multipart field name. */
  fieldname: string;
  /** File name as the client sent it. */
  originalname: string;
  /** Media type as the client declared it. */
  mimetype: string;
  /** Absolute path of the spooled file. */
  path: string;
  /** Name of the spooled file inside the spool directory. */
  filename: string;
  size: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/**
 * Multer storage engine that streams each uploaded file into `dir` while hashing it, so nothing
 * is handed on before the upload is complete. Files are named `<uuid>.<extension>`, the extension
 * given by `extensionOf` (default `upload`). Whoever handles the request removes or keeps the file.
 */
export class UploadSpool implements StorageEngine {
  constructor(
    readonly dir: string,
    private readonly extensionOf: (originalname: string) => string = () => 'upload',
  ) {}

  _handleFile(_req: Request, file: Express.Multer.File, callback: (error?: unknown, info?: Partial<Express.Multer.File>) => void): void {
    this.receive(file).then(
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

  /** Deletes spooled files last written more than `maxAgeMs` ago (requests that died: crash, kill); returns how many. */
  async removeStaleFiles(now = Date.now(), maxAgeMs = 60 * 60 * 1000): Promise<number> {
    const names = await readdir(this.dir).catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return [] as string[];
      throw err;
    });
    let removed = 0;
    for (const name of names) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => null);
      if (info?.isFile() && info.mtimeMs < now - maxAgeMs) {
        await rm(path, { force: true });
        removed++;
      }
    }
    return removed;
  }

  private async receive(file: Express.Multer.File): Promise<Partial<Express.Multer.File> & { sha256: string }> {
    await mkdir(this.dir, { recursive: true });
    const filename = `${randomUUID()}.${this.extensionOf(file.originalname)}`;
    const path = join(this.dir, filename);
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
      await pipeline(file.stream, measure, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { path, filename, size, sha256: hash.digest('hex') };
  }
}

export interface UploadOptions {
  spool: UploadSpool;
  /** The multipart field that carries the file. */
  field: string;
  /** Largest accepted file, in bytes. */
  maxBytes: number;
  /** Multer's limits on the other parts of the request. */
  limits: { fields: number; parts: number; fieldNameSize: number; fieldSize: number };
  /** Refuses a file by its name before any byte is stored (e.g. an extension not accepted); null accepts it. */
  refuse?: (originalname: string) => DomainError | null;
  /** Message of the 415 for a request that is not multipart/form-data. */
  multipartHint: string;
  /** What the request may carry, for the message of too many parts: "the file and the fields title, reference and date". */
  partsHint: string;
  /** The 413 for a file larger than `maxBytes`. */
  tooLarge: () => DomainError;
}

/**
 * Receives at most one file (in `field`, at most `maxBytes`) of a multipart request into the
 * spool, and answers every refusal with a clear 4xx: 415 not multipart (or refused by name), 413
 * too large, 400 for more than one file, too many or too long fields, or a body that cannot be
 * read. File system failures stay 500s.
 */
export class UploadReceiver {
  private readonly handler: RequestHandler;

  constructor(private readonly opts: UploadOptions) {
    this.handler = multer({
      storage: opts.spool,
      limits: { ...opts.limits, files: 1, fileSize: opts.maxBytes },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== opts.field) return accept(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname));
        const refusal = opts.refuse?.(file.originalname);
        if (refusal) return accept(refusal);
        accept(null, true);
      },
    }).single(opts.field);
  }

  /** The spooled file, or undefined when the request carried none. */
  async receive(request: Request, response: Response): Promise<SpooledUpload | undefined> {
    if (!request.is('multipart/form-data')) throw new DomainError('MULTIPART_REQUIRED', this.opts.multipartHint, 415);
    await new Promise<void>((resolve, reject) =>
      this.handler(request, response, (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    return (request as Request & { file?: SpooledUpload }).file;
  }

  private explain(err: unknown): Error {
    const { field } = this.opts;
    if (err instanceof DomainError) return err;
    if (err instanceof MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return this.opts.tooLarge();
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new DomainError(
            'ONE_FILE_EXPECTED',
            `Send exactly one file, in the multipart field '${field}'${err.field && err.field !== field ? ` (got a file in '${err.field}')` : ''}.`,
            400,
          );
        case 'LIMIT_FIELD_VALUE':
          return new DomainError('FIELD_TOO_LONG', `The field '${err.field ?? '?'}' is longer than ${this.opts.limits.fieldSize} characters.`, 400);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
          return new DomainError('TOO_MANY_FIELDS', `Send only ${this.opts.partsHint} (${err.message}).`, 400);
        case 'MISSING_FIELD_NAME':
        default:
          return new DomainError('MALFORMED_UPLOAD', `The upload was refused: ${err.message}.`, 400);
      }
    }
    // File system failures of the spool are ours (500); anything else comes from parsing the body.
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).errno === 'number') return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${reason}.`, 400);
  }
}

const removeQuietly = (path: string) => rm(path, { force: true }).catch(() => undefined);

/** The handler's answer, once the spooled file is removed (before the answer leaves, whatever the outcome). */
export function discardAfter<T>(path: string, handled: Observable<T>): Observable<T> {
  return handled.pipe(
    concatMap(async (result: T) => {
      await removeQuietly(path);
      return result;
    }),
    catchError((err: unknown) => from(removeQuietly(path)).pipe(concatMap(() => throwError(() => err)))),
  );
}

/** The handler's answer; the spooled file is removed only if the handler fails (on success a job owns it). */
export function discardOnFailure<T>(path: string, handled: Observable<T>): Observable<T> {
  return handled.pipe(
    catchError((err: unknown) => {
      void removeQuietly(path);
      return throwError(() => err);
    }),
  );
}
