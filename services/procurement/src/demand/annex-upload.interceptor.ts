import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { catchError, Observable, throwError } from 'rxjs';
import { DomainError, xlsxFileProblem } from '@imb/platform';
import { DemandConfig, importsDir } from './demand.config';

/** The multipart field that carries the annex, and the optional one with a column mapping (JSON). */
export const ANNEX_FIELD = 'file';
export const MAPPING_FIELD = 'mapping';

/** An annex received in full and checked to be a complete .xlsx workbook. */
export interface ReceivedAnnex {
  originalname: string;
  path: string;
  /** Name of the stored file inside STORAGE_DIR/imports. */
  filename: string;
  size: number;
  sha256: string;
  /** The raw `mapping` field, if sent. */
  mapping?: string;
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/**
 * Receives a demand annex (one .xlsx in the field `file`, at most DEMAND_IMPORT_MAX_BYTES, and
 * optionally a `mapping` field) into STORAGE_DIR/imports before the handler runs, so its job can
 * read it; refuses anything that is not an .xlsx workbook with a clear 4xx, removing the file.
 */
@Injectable()
export class AnnexUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(private readonly config: DemandConfig) {
    const dir = importsDir(config);
    this.receive = multer({
      storage: multer.diskStorage({
        destination: (_req, _file, done) => {
          mkdir(dir, { recursive: true }).then(
            () => done(null, dir),
            (err: Error) => done(err, dir),
          );
        },
        filename: (_req, _file, done) => done(null, `${randomUUID()}.xlsx`),
      }),
      limits: { files: 1, fields: 2, parts: 3, fieldSize: 256 * 1024, fileSize: config.DEMAND_IMPORT_MAX_BYTES },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== ANNEX_FIELD) return accept(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname));
        if (extname(file.originalname).toLowerCase() === '.xlsx') return accept(null, true);
        accept(new DomainError('UNSUPPORTED_FILE_TYPE', `"${file.originalname.slice(0, 200)}" is not an .xlsx file: upload the demand annex as published (.xlsx)`, 415));
      },
    }).single(ANNEX_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { file?: Express.Multer.File; annex?: ReceivedAnnex }>();
    if (!request.is('multipart/form-data')) {
      throw new DomainError('MULTIPART_REQUIRED', `Send the annex as multipart/form-data, the file in the field '${ANNEX_FIELD}'`, 415);
    }
    await new Promise<void>((resolve, reject) =>
      this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    const file = request.file;
    if (!file) throw new DomainError('FILE_REQUIRED', `Attach the demand annex (.xlsx) in the multipart field '${ANNEX_FIELD}'`, 400);
    const problem = await xlsxFileProblem(file.path);
    if (problem) {
      await rm(file.path, { force: true });
      throw new DomainError('UNREADABLE_FILE', `"${file.originalname.slice(0, 200)}": ${problem}. Nothing was imported.`, 400);
    }
    const body = request.body as Record<string, unknown> | undefined;
    request.annex = {
      originalname: file.originalname,
      path: file.path,
      filename: file.filename,
      size: file.size,
      sha256: await sha256Of(file.path),
      mapping: typeof body?.[MAPPING_FIELD] === 'string' ? body[MAPPING_FIELD] : undefined,
    };
    return next.handle().pipe(
      catchError((err: unknown) => {
        void rm(file.path, { force: true }).catch(() => undefined);
        return throwError(() => err);
      }),
    );
  }

  private explain(err: unknown): Error {
    if (err instanceof DomainError) return err;
    if (err instanceof MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return new DomainError('FILE_TOO_LARGE', `The file is larger than the upload limit of ${this.config.DEMAND_IMPORT_MAX_BYTES} bytes (DEMAND_IMPORT_MAX_BYTES); nothing was imported`, 413);
      }
      if (err.code === 'LIMIT_UNEXPECTED_FILE' || err.code === 'LIMIT_FILE_COUNT') {
        return new DomainError('ONE_FILE_EXPECTED', `Send exactly one file, in the multipart field '${ANNEX_FIELD}'`, 400);
      }
      return new DomainError('MALFORMED_UPLOAD', `The upload was refused: ${err.message}. Send the file in '${ANNEX_FIELD}' and optionally a JSON '${MAPPING_FIELD}'`, 400);
    }
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).errno === 'number') return err;
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${err instanceof Error ? err.message : String(err)}`, 400);
  }
}
