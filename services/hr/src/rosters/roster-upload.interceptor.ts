import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { mkdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import multer, { MulterError } from 'multer';
import { catchError, Observable, throwError } from 'rxjs';
import { DomainError } from '@imb/platform';
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
 * ROSTER_IMPORT_MAX_BYTES) onto disk before the handler runs, so the job survives a restart;
 * refuses anything else with a clear 4xx and removes the file when the request fails.
 */
@Injectable()
export class RosterUploadInterceptor implements NestInterceptor {
  private readonly receive: RequestHandler;

  constructor(private readonly config: HrConfig) {
    const dir = rosterImportsDir(config);
    mkdirSync(dir, { recursive: true });
    this.receive = multer({
      storage: multer.diskStorage({
        destination: dir,
        filename: (_req, file, done) => done(null, `${randomUUID()}.${rosterFormatOf(file.originalname)}`),
      }),
      limits: { files: 1, fields: 5, fileSize: config.ROSTER_IMPORT_MAX_BYTES },
      fileFilter: (_req, file, accept) => {
        if (file.fieldname !== 'file') return accept(new MulterError('LIMIT_UNEXPECTED_FILE', file.fieldname));
        if (rosterFormatOf(file.originalname)) return accept(null, true);
        accept(new DomainError('UNSUPPORTED_FILE_TYPE', `"${file.originalname.slice(0, 200)}" is neither .xlsx nor .csv: upload the payroll export as .xlsx or .csv`, 415));
      },
    }).single('file');
  }

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    const http = context.switchToHttp();
    const request = http.getRequest<Request & { file?: Express.Multer.File }>();
    if (!request.is('multipart/form-data')) {
      throw new DomainError('MULTIPART_REQUIRED', `Send the roster as multipart/form-data, the file in the field 'file'`, 415);
    }
    await new Promise<void>((resolve, reject) =>
      this.receive(request, http.getResponse<Response>(), (err?: unknown) => (err ? reject(this.explain(err)) : resolve())),
    );
    const file = request.file;
    if (!file) throw new DomainError('FILE_REQUIRED', `Attach the roster (.xlsx or .csv) in the multipart field 'file'`, 400);
    const roster: ReceivedRoster = { originalname: file.originalname, filename: file.filename, path: file.path, size: file.size, format: rosterFormatOf(file.originalname)! };
    try {
      await checkRosterFile(roster.path, roster.format);
    } catch (err) {
      await rm(roster.path, { force: true });
      if (err instanceof UnreadableRoster) throw new DomainError('UNREADABLE_FILE', `${err.message}. Nothing was imported.`, 400);
      throw err;
    }
    (request as Request & { roster?: ReceivedRoster }).roster = roster;
    return next.handle().pipe(
      catchError((err: unknown) => {
        void rm(roster.path, { force: true }).catch(() => undefined);
        return throwError(() => err);
      }),
    );
  }

  private explain(err: unknown): Error {
    if (err instanceof DomainError) return err;
    if (err instanceof MulterError) {
      if (err.code === 'LIMIT_FILE_SIZE') {
        return new DomainError('FILE_TOO_LARGE', `The file is larger than ROSTER_IMPORT_MAX_BYTES (${this.config.ROSTER_IMPORT_MAX_BYTES} bytes); nothing was imported`, 413);
      }
      return new DomainError('MALFORMED_UPLOAD', `Send exactly one file, in the multipart field 'file' (${err.message})`, 400);
    }
    if (err instanceof Error && typeof (err as NodeJS.ErrnoException).errno === 'number') return err;
    return new DomainError('MALFORMED_UPLOAD', `The multipart body could not be read: ${err instanceof Error ? err.message : String(err)}`, 400);
  }
}
