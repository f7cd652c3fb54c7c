import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rm } from 'node:fs/promises';
import { Observable } from 'rxjs';
import { discardOnFailure, DomainError, UploadReceiver, UploadSpool } from '@imb/platform';
import { HrConfig, rosterImportsDir } from './hr.config';
import { checkRosterFile, RosterFormat, rosterFormatOf, UnreadableRoster } from './roster-file';

/** A roster received in full and checked, waiting in STORAGE_DIR/imports for its job. */
export interface ReceivedRoster {
  originalname: string;
  filename: string;
  path: string;
  size: number;
  format: RosterFormat;
}

export const rosterOf = (req: Request) => (req as Request & { roster: ReceivedRoster }).roster;

/**
 * Receives the roster (one file in the multipart field `file`, .xlsx or .csv, at most
 * ROSTER_IMPORT_MAX_BYTES) onto disk before the handler runs (the platform's upload spool), so
 * the job survives a restart; refuses anything else with a clear 4xx and removes the file when
 * the request fails.
 */
@Injectable()
export class RosterUploadInterceptor implements NestInterceptor {
  private readonly upload: UploadReceiver;

  constructor(config: HrConfig) {
    this.upload = new UploadReceiver({
      spool: new UploadSpool(rosterImportsDir(config), (name) => rosterFormatOf(name) ?? 'upload'),
      field: 'file',
      maxBytes: config.ROSTER_IMPORT_MAX_BYTES,
      limits: { fields: 5, parts: 6, fieldNameSize: 100, fieldSize: 1024 },
      refuse: (name) =>
        rosterFormatOf(name)
          ? null
          : new DomainError('UNSUPPORTED_FILE_TYPE', `"${name.slice(0, 200)}" is neither .xlsx nor .csv: upload the payroll export as .xlsx or .csv`, 415),
      multipartHint: `Send the roster as multipart/form-data, the file in the field 'file'`,
      partsHint: `the file, in the field 'file'`,
      tooLarge: () =>
        new DomainError('FILE_TOO_LARGE', `The file is larger than ROSTER_IMPORT_MAX_BYTES (${config.ROSTER_IMPORT_MAX_BYTES} bytes); nothing was imported`, 413),
    });
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { roster?: ReceivedRoster }>();
    const file = await this.upload.receive(request, http.getResponse<Response>());
    if (!file) throw new DomainError('FILE_REQUIRED', `Attach the roster (.xlsx or .csv) in the multipart field 'file'`, 400);
    const roster: ReceivedRoster = { originalname: file.originalname, filename: file.filename, path: file.path, size: file.size, format: rosterFormatOf(file.originalname)! };
    try {
      await checkRosterFile(roster.path, roster.format);
    } catch (err) {
      await rm(roster.path, { force: true });
      if (err instanceof UnreadableRoster) throw new DomainError('UNREADABLE_FILE', `${err.message}. Nothing was imported.`, 400);
      throw err;
    }
    request.roster = roster;
    return discardOnFailure(roster.path, next.handle());
  }
}
