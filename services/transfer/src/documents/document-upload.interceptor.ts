import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { rm } from 'node:fs/promises';
import { catchError, concatMap, from, Observable, throwError } from 'rxjs';
import { DomainError } from '@imb/platform';
import { DocumentsConfig, formatBytes } from './documents.config';
import { SpooledUpload, UploadSpool } from './upload-spool';

/** The multipart field that carries the file. */
export const FILE_FIELD = 'file';

/** Room for the metadata fields (title, reference, date) and a few stray ones, which validation then names. */
const LIMITS = { files: 1, fields: 10, parts: 11, fieldNameSize: 100, fieldSize: 4096 };

/**
 * Receives a multipart upload into the spool (at most one file, in the field `file`, at most
 * DOCUMENT_MAX_BYTES) before the handler runs, answers the limits with clear 4xx errors, and
 * removes the spooled file once the request is handled, whatever the outcome.
 */
@Injectable()
export class DocumentUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(
    @Inject(UploadSpool) spool: UploadSpool,
    private readonly config: DocumentsConfig,
  ) {
    this.receive = multer({ storage: spool, limits: { ...LIMITS, fileSize: config.DOCUMENT_MAX_BYTES } }).single(FILE_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { file?: SpooledUpload }>();
    if (!request.is('multipart/form-data')) {
      throw new DomainError(
        'MULTIPART_REQUIRED',
        `Send the document as multipart/form-data: the file in the field '${FILE_FIELD}', with the fields title, reference and date.`,
        415,
      );
    }
    await new Promise<void>((resolve, reject) =>
      this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    const spooled = request.file;
    if (!spooled) return next.handle();
    // Removed before the answer leaves, so a client that sees the answer never sees the spooled copy.
    const discard = () => rm(spooled.path, { force: true }).catch(() => undefined);
    return next.handle().pipe(
      concatMap(async (result: unknown) => {
        await discard();
        return result;
      }),
      catchError((err: unknown) => from(discard()).pipe(concatMap(() => throwError(() => err)))),
    );
  }

  private explain(err: unknown): Error {
    if (err instanceof MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return new DomainError(
            'DOCUMENT_TOO_LARGE',
            `The file is larger than the limit of ${formatBytes(this.config.DOCUMENT_MAX_BYTES)} (${this.config.DOCUMENT_MAX_BYTES} bytes); nothing was stored. Split or compress it.`,
            413,
            { maxBytes: this.config.DOCUMENT_MAX_BYTES },
          );
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new DomainError(
            'ONE_FILE_EXPECTED',
            `Send exactly one file, in the multipart field '${FILE_FIELD}'${err.field && err.field !== FILE_FIELD ? ` (got a file in '${err.field}')` : ''}.`,
            400,
          );
        case 'LIMIT_FIELD_VALUE':
          return new DomainError('FIELD_TOO_LONG', `The field '${err.field ?? '?'}' is longer than ${LIMITS.fieldSize} characters.`, 400);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
          return new DomainError('TOO_MANY_FIELDS', `Send only the file and the fields title, reference and date (${err.message}).`, 400);
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
