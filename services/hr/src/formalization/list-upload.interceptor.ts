import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import multer, { MulterError } from 'multer';
import { Observable } from 'rxjs';
import { DomainError } from '@imb/platform';
import { FormalizationConfig } from './formalization.config';
import { listFormatOf } from './reference-list';

/** An uploaded reference list, in memory (lists are small: a CURP and a few columns per person). */
export interface ReceivedList {
  name: string;
  format: 'csv' | 'xlsx';
  content: Buffer;
}

export const listOf = (req: Request) => (req as Request & { list: ReceivedList }).list;

/** Receives one .csv or .xlsx in the multipart field `file`, at most FORMALIZATION_LIST_MAX_BYTES; anything else is a clear 4xx. */
@Injectable()
export class ListUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(private readonly config: FormalizationConfig) {
    this.receive = multer({
      storage: multer.memoryStorage(),
      limits: { files: 1, fields: 5, fileSize: config.FORMALIZATION_LIST_MAX_BYTES },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== 'file') return accept(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname));
        if (listFormatOf(file.originalname)) return accept(null, true);
        accept(new DomainError('UNSUPPORTED_FILE_TYPE', `"${file.originalname.slice(0, 200)}" is neither .xlsx nor .csv: upload the list as .xlsx or .csv`, 415));
      },
    }).single('file');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { file?: Express.Multer.File; list?: ReceivedList }>();
    if (!request.is('multipart/form-data')) throw new DomainError('MULTIPART_REQUIRED', `Send the list as multipart/form-data, the file in the field 'file'`, 415);
    await new Promise<void>((resolve, reject) => this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())));
    const file = request.file;
    if (!file) throw new DomainError('FILE_REQUIRED', `Attach the list (.xlsx or .csv) in the multipart field 'file'`, 400);
    request.list = { name: file.originalname.slice(0, 255), format: listFormatOf(file.originalname)!, content: file.buffer };
    return next.handle();
  }

  private explain(err: unknown): Error {
    if (err instanceof DomainError) return err;
    if (err instanceof MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return new DomainError('FILE_TOO_LARGE', `The file is larger than FORMALIZATION_LIST_MAX_BYTES (${this.config.FORMALIZATION_LIST_MAX_BYTES} bytes); nothing was stored`, 413);
      }
      return new DomainError('MALFORMED_UPLOAD', `Send exactly one file, in the multipart field 'file' (${err.message})`, 400);
    }
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${err instanceof Error ? err.message : String(err)}`, 400);
  }
}
