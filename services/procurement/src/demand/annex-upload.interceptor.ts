import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { Observable } from 'rxjs';
import {
  discardOnFailure,
  DomainError,
  SpooledUpload,
  UploadReceiver,
  UploadSpool,
  xlsxFileProblem,
} from '@imb/platform';
import { DemandConfig, importsDir } from './demand.config';

/** The multipart field that carries the annex, and the optional one with a column mapping (JSON). */
export const ANNEX_FIELD = 'file';
export const MAPPING_FIELD = 'mapping';

/** An annex received in full (hashed as it was spooled) and checked to be a complete .xlsx workbook. */
export interface ReceivedAnnex extends SpooledUpload {
  /** The raw `mapping` field, if sent. */
  mapping?: string;
}

/**
 * Receives a demand annex (one .xlsx in the field `file`, at most DEMAND_IMPORT_MAX_BYTES, and
 * optionally a `mapping` field) into STORAGE_DIR/imports before the handler runs (the platform's
 * upload spool), so its job can read it; refuses anything that is not an .xlsx workbook with a
 * clear 4xx, removing the file.
 */
@Injectable()
export class AnnexUploadInterceptor implements NestInterceptor {
  private readonly upload: UploadReceiver;

  constructor(config: DemandConfig) {
    this.upload = new UploadReceiver({
      spool: new UploadSpool(importsDir(config), () => 'xlsx'),
      field: ANNEX_FIELD,
      maxBytes: config.DEMAND_IMPORT_MAX_BYTES,
      limits: { fields: 2, parts: 3, fieldNameSize: 100, fieldSize: 256 * 1024 },
      refuse: (name) =>
        extname(name).toLowerCase() === '.xlsx'
          ? null
          : new DomainError(
              'UNSUPPORTED_FILE_TYPE',
              `"${name.slice(0, 200)}" is not an .xlsx file: upload the demand annex as published (.xlsx)`,
              415,
            ),
      multipartHint: `Send the annex as multipart/form-data, the file in the field '${ANNEX_FIELD}'`,
      partsHint: `the file in '${ANNEX_FIELD}' and optionally a JSON '${MAPPING_FIELD}'`,
      tooLarge: () =>
        new DomainError(
          'FILE_TOO_LARGE',
          `The file is larger than the upload limit of ${config.DEMAND_IMPORT_MAX_BYTES} bytes (DEMAND_IMPORT_MAX_BYTES); nothing was imported`,
          413,
        ),
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { annex?: ReceivedAnnex }>();
    const file = await this.upload.receive(request, http.getResponse<Response>());
    if (!file)
      throw new DomainError(
        'FILE_REQUIRED',
        `Attach the demand annex (.xlsx) in the multipart field '${ANNEX_FIELD}'`,
        400,
      );
    const problem = await xlsxFileProblem(file.path);
    if (problem) {
      await rm(file.path, { force: true });
      throw new DomainError(
        'UNREADABLE_FILE',
        `"${file.originalname.slice(0, 200)}": ${problem}. Nothing was imported.`,
        400,
      );
    }
    const mapping = (request.body as Record<string, unknown> | undefined)?.[MAPPING_FIELD];
    request.annex = { ...file, mapping: typeof mapping === 'string' ? mapping : undefined };
    return discardOnFailure(file.path, next.handle());
  }
}
