import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError, StorageEngine } from 'multer';
import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { catchError, Observable, throwError } from 'rxjs';
import { DomainError } from '@imb/platform';
import { CatalogueFormat, checkCatalogueFile, UnreadableCatalogue } from './catalogue-file';
import { formatBytes, importsDir, UnitsConfig } from './units.config';

/** The multipart field that carries the catalogue. */
export const CATALOGUE_FIELD = 'file';

/** A catalogue received in full and checked: where it waits for its job, and what it is. */
export interface ReceivedCatalogue {
  originalname: string;
  /** Absolute path under STORAGE_DIR/imports. */
  path: string;
  /** Name of the stored file inside STORAGE_DIR/imports. */
  filename: string;
  size: number;
  sha256: string;
  format: CatalogueFormat;
}

const LIMITS = { files: 1, fields: 5, parts: 6, fieldNameSize: 100, fieldSize: 1024 };

function formatOf(name: string): CatalogueFormat | null {
  const ext = extname(name).toLowerCase();
  return ext === '.xlsx' ? 'xlsx' : ext === '.csv' ? 'csv' : null;
}

/** Multer storage that streams the upload into STORAGE_DIR/imports while hashing it. */
class CatalogueStorage implements StorageEngine {
  constructor(private readonly dir: string) {}

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

  private async receive(file: Express.Multer.File): Promise<Partial<Express.Multer.File> & { sha256: string }> {
    await mkdir(this.dir, { recursive: true });
    const filename = `${randomUUID()}.${formatOf(file.originalname)}`;
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
      await pipeline(file.stream, measure, createWriteStream(path, { flags: 'wx' }));
    } catch (err) {
      await rm(path, { force: true });
      throw err;
    }
    return { path, filename, size, sha256: hash.digest('hex') };
  }
}

/**
 * Receives the catalogue of an import (one file in the field `file`, .xlsx or .csv, at most
 * UNITS_IMPORT_MAX_BYTES) into STORAGE_DIR/imports before the handler runs, so the job that
 * reads it survives a restart; checks the content is what the extension says; answers every
 * refusal with a clear 4xx and removes the file when the request fails.
 */
@Injectable()
export class CatalogueUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(private readonly config: UnitsConfig) {
    this.receive = multer({
      storage: new CatalogueStorage(importsDir(config)),
      limits: { ...LIMITS, fileSize: config.UNITS_IMPORT_MAX_BYTES },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== CATALOGUE_FIELD) return accept(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname));
        if (formatOf(file.originalname)) return accept(null, true);
        accept(
          new DomainError(
            'UNSUPPORTED_FILE_TYPE',
            `"${file.originalname.slice(0, 200)}" is neither .xlsx nor .csv: upload the CLUES catalogue as published (.xlsx) or exported as .csv`,
            415,
          ),
        );
      },
    }).single(CATALOGUE_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { file?: Express.Multer.File & { sha256: string } }>();
    if (!request.is('multipart/form-data')) {
      throw new DomainError(
        'MULTIPART_REQUIRED',
        `Send the catalogue as multipart/form-data, the file in the field '${CATALOGUE_FIELD}'`,
        415,
      );
    }
    await new Promise<void>((resolve, reject) =>
      this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    const file = request.file;
    if (!file) {
      throw new DomainError('FILE_REQUIRED', `Attach the catalogue (.xlsx or .csv) in the multipart field '${CATALOGUE_FIELD}'`, 400);
    }
    const received: ReceivedCatalogue = {
      originalname: file.originalname,
      path: file.path,
      filename: file.filename,
      size: file.size,
      sha256: file.sha256,
      format: formatOf(file.originalname)!,
    };
    try {
      await checkCatalogueFile(received.path, received.format, received.size);
    } catch (err) {
      await rm(received.path, { force: true });
      if (err instanceof UnreadableCatalogue) {
        throw new DomainError('UNREADABLE_FILE', `${err.message}. Nothing was imported.`, 400);
      }
      throw err;
    }
    (request as Request & { catalogue?: ReceivedCatalogue }).catalogue = received;
    // The job owns the file once queued; if the handler fails, nobody will read it.
    return next.handle().pipe(
      catchError((err: unknown) => {
        void rm(received.path, { force: true }).catch(() => undefined);
        return throwError(() => err);
      }),
    );
  }

  private explain(err: unknown): Error {
    if (err instanceof DomainError) return err;
    if (err instanceof MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return new DomainError(
            'FILE_TOO_LARGE',
            `The file is larger than the upload limit of ${formatBytes(this.config.UNITS_IMPORT_MAX_BYTES)} (UNITS_IMPORT_MAX_BYTES); nothing was imported. Import the catalogue one state at a time, or ask the operator to raise the limit.`,
            413,
            { maxBytes: this.config.UNITS_IMPORT_MAX_BYTES },
          );
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new DomainError(
            'ONE_FILE_EXPECTED',
            `Send exactly one file, in the multipart field '${CATALOGUE_FIELD}'${err.field && err.field !== CATALOGUE_FIELD ? ` (got a file in '${err.field}')` : ''}`,
            400,
          );
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
        case 'LIMIT_FIELD_VALUE':
          return new DomainError('TOO_MANY_FIELDS', `Send only the file, in the field '${CATALOGUE_FIELD}' (${err.message})`, 400);
        case 'MISSING_FIELD_NAME':
        default:
          return new DomainError('MALFORMED_UPLOAD', `The upload was refused: ${err.message}`, 400);
      }
    }
    // File system failures of the storage are ours (500); anything else comes from parsing the body.
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).errno === 'number') return err;
    const reason = err instanceof Error ? err.message : String(err);
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${reason}`, 400);
  }
}
