import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { Observable } from 'rxjs';
import { discardAfter, DomainError, UploadReceiver, UploadSpool } from '@imb/platform';
import { DocumentsConfig, formatBytes } from './documents.config';

/** The multipart field that carries the file. */
export const FILE_FIELD = 'file';

/**
 * Receives a multipart upload into the spool (the platform's upload receiver: at most one file,
 * in the field `file`, at most DOCUMENT_MAX_BYTES) before the handler runs, answers the limits
 * with clear 4xx errors, and removes the spooled file once the request is handled, whatever the
 * outcome.
 */
@Injectable()
export class DocumentUploadInterceptor implements NestInterceptor {
  private readonly upload: UploadReceiver;

  constructor(@Inject(UploadSpool) spool: UploadSpool, config: DocumentsConfig) {
    this.upload = new UploadReceiver({
      spool,
      field: FILE_FIELD,
      maxBytes: config.DOCUMENT_MAX_BYTES,
      // Room for the metadata fields (stateCode, title, reference, date) and a few stray ones, which validation then names.
      limits: { fields: 10, parts: 11, fieldNameSize: 100, fieldSize: 4096 },
      multipartHint: `Send the document as multipart/form-data: the file in the field '${FILE_FIELD}', with the fields stateCode, title, reference and date.`,
      partsHint: 'the file and the fields stateCode, title, reference and date',
      tooLarge: () =>
        new DomainError(
          'DOCUMENT_TOO_LARGE',
          `The file is larger than the limit of ${formatBytes(config.DOCUMENT_MAX_BYTES)} (${config.DOCUMENT_MAX_BYTES} bytes); nothing was stored. Split or compress it.`,
          413,
          { maxBytes: config.DOCUMENT_MAX_BYTES },
        ),
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const spooled = await this.upload.receive(http.getRequest<Request>(), http.getResponse<Response>());
    // Removed before the answer leaves, so a client that sees the answer never sees the spooled copy.
    return spooled ? discardAfter(spooled.path, next.handle()) : next.handle();
  }
}
