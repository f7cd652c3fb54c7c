import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import type { Observable } from 'rxjs';
import { DomainError } from '@imb/platform';
import { EvidenceConfig } from './evidence.config';

/** The multipart field that carries the photo. */
export const PHOTO_FIELD = 'file';

const FIELDS_TEXT = 'kind, and capturedAt, latitude, longitude when the photo does not record them, description';
const LIMITS = { files: 1, fields: 8, parts: 9, fieldNameSize: 100, fieldSize: 1024 };

const mb = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/**
 * Receives a photo upload (multipart, one file in `file`, at most EVIDENCE_MAX_BYTES) into memory
 * before the handler runs — photos are a few MB, and the whole file is needed to hash it and read
 * its EXIF — and answers the limits with clear 4xx errors.
 */
@Injectable()
export class PhotoUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(private readonly config: EvidenceConfig) {
    this.receive = multer({ storage: multer.memoryStorage(), limits: { ...LIMITS, fileSize: config.EVIDENCE_MAX_BYTES } }).single(PHOTO_FIELD);
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request>();
    if (!request.is('multipart/form-data')) {
      throw new DomainError(
        'MULTIPART_REQUIRED',
        `Send the photo as multipart/form-data: the file in the field '${PHOTO_FIELD}', with the fields ${FIELDS_TEXT}.`,
        415,
      );
    }
    await new Promise<void>((resolve, reject) =>
      this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    return next.handle();
  }

  private explain(err: unknown): Error {
    if (err instanceof MulterError) {
      switch (err.code) {
        case 'LIMIT_FILE_SIZE':
          return new DomainError(
            'PHOTO_TOO_LARGE',
            `The photo is larger than the limit of ${mb(this.config.EVIDENCE_MAX_BYTES)} (EVIDENCE_MAX_BYTES = ${this.config.EVIDENCE_MAX_BYTES} bytes); nothing was stored. Send it at a lower resolution.`,
            413,
            { maxBytes: this.config.EVIDENCE_MAX_BYTES },
          );
        case 'LIMIT_UNEXPECTED_FILE':
        case 'LIMIT_FILE_COUNT':
          return new DomainError(
            'ONE_PHOTO_EXPECTED',
            `Send exactly one photo, in the multipart field '${PHOTO_FIELD}'${err.field && err.field !== PHOTO_FIELD ? ` (got a file in '${err.field}')` : ''}.`,
            400,
          );
        case 'LIMIT_FIELD_VALUE':
          return new DomainError('FIELD_TOO_LONG', `The field '${err.field ?? '?'}' is longer than ${LIMITS.fieldSize} characters.`, 400);
        case 'LIMIT_PART_COUNT':
        case 'LIMIT_FIELD_COUNT':
        case 'LIMIT_FIELD_KEY':
          return new DomainError('TOO_MANY_FIELDS', `Send only the photo and the fields ${FIELDS_TEXT} (${err.message}).`, 400);
        case 'MISSING_FIELD_NAME':
        default:
          return new DomainError('MALFORMED_UPLOAD', `The upload was refused: ${err.message}.`, 400);
      }
    }
    const reason = err instanceof Error ? err.message : String(err);
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${reason}.`, 400);
  }
}
