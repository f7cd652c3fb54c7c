import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { extname } from 'node:path';
import { Observable } from 'rxjs';
import { discardOnFailure, DomainError, UploadReceiver, UploadSpool } from '@imb/platform';
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

function formatOf(name: string): CatalogueFormat | null {
  const ext = extname(name).toLowerCase();
  return ext === '.xlsx' ? 'xlsx' : ext === '.csv' ? 'csv' : null;
}

/**
 * Receives the catalogue of an import (one file in the field `file`, .xlsx or .csv, at most
 * UNITS_IMPORT_MAX_BYTES) into STORAGE_DIR/imports before the handler runs (the platform's upload
 * spool), so the job that reads it survives a restart; checks the content is what the extension
 * says; answers every refusal with a clear 4xx and removes the file when the request fails.
 */
@Injectable()
export class CatalogueUploadInterceptor implements NestInterceptor {
  private readonly upload: UploadReceiver;

  constructor(config: UnitsConfig) {
    this.upload = new UploadReceiver({
      spool: new UploadSpool(importsDir(config), (name) => formatOf(name) ?? 'upload'),
      field: CATALOGUE_FIELD,
      maxBytes: config.UNITS_IMPORT_MAX_BYTES,
      limits: { fields: 5, parts: 6, fieldNameSize: 100, fieldSize: 1024 },
      refuse: (name) =>
        formatOf(name)
          ? null
          : new DomainError(
              'UNSUPPORTED_FILE_TYPE',
              `"${name.slice(0, 200)}" is neither .xlsx nor .csv: upload the CLUES catalogue as published (.xlsx) or exported as .csv`,
              415,
            ),
      multipartHint: `Send the catalogue as multipart/form-data, the file in the field '${CATALOGUE_FIELD}'`,
      partsHint: `the file, in the field '${CATALOGUE_FIELD}'`,
      tooLarge: () =>
        new DomainError(
          'FILE_TOO_LARGE',
          `The file is larger than the upload limit of ${formatBytes(config.UNITS_IMPORT_MAX_BYTES)} (UNITS_IMPORT_MAX_BYTES); nothing was imported. Import the catalogue one state at a time, or ask the operator to raise the limit.`,
          413,
          { maxBytes: config.UNITS_IMPORT_MAX_BYTES },
        ),
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { catalogue?: ReceivedCatalogue }>();
    const file = await this.upload.receive(request, http.getResponse<Response>());
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
    request.catalogue = received;
    // The job owns the file once queued; if the handler fails, nobody will read it.
    return discardOnFailure(received.path, next.handle());
  }
}
