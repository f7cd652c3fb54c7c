import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { RosterReconciled } from '@imb/contracts';
import { JobContext, JobProcessorRegistry, JobRowError, UnrecoverableError } from '@imb/jobs';
import { publishEvent } from '@imb/messaging';
import { XlsxLimitsConfig, XlsxTooLarge } from '@imb/platform';
import { HrConfig, rosterImportsDir } from './hr.config';
import { estimateRosterRows, readRosterRows, RosterFormat, UnreadableRoster } from './roster-file';
import { applyRosterChunk, ChunkCounts, noCounts } from './roster-import.writer';
import { missingRosterColumns, parseRosterRow, readRosterHeader, ROSTER_COLUMNS, RosterColumns, RosterRow } from './roster-row';

/** Job kind of a roster import. */
export const ROSTER_IMPORT = 'hr.roster-import';

export interface RosterImportRequest {
  stateCode: string;
  dryRun: boolean;
  /** Rows may end base contracts (the payroll is current); absent in jobs queued before it existed. */
  endBaseContracts?: boolean;
  file: { name: string; stored: string; format: RosterFormat; size: number };
}

export interface RosterTotals extends ChunkCounts {
  rows: number;
  /** Rows that passed every check. */
  valid: number;
  /** Rows refused; each problem is in the job's errors. */
  errors: number;
}

export interface RosterImportResult extends RosterTotals {
  stateCode: string;
  dryRun: boolean;
  file: string;
  /** Workers with a contract in the state once the import is applied (null in a dry run). */
  workers: number | null;
}

interface Checkpoint {
  nextRow: number;
  totals: RosterTotals;
  result?: RosterImportResult;
}

const HEADER_SEARCH_ROWS = 20;
const isBlank = (cells: readonly unknown[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));

const addCounts = (a: RosterTotals, b: ChunkCounts): RosterTotals => {
  const out = { ...a };
  for (const key of Object.keys(b) as (keyof ChunkCounts)[]) out[key] += b[key];
  return out;
};

/**
 * Imports a state's payroll export: streams the file, refuses bad rows with their reasons
 * (malformed identifiers, missing fields, a CURP or post number repeated in the file, unknown
 * CLUES or post code, a CURP already on another state's roster), and writes the rest chunk by
 * chunk, each chunk with its row errors, audit record and checkpoint in one transaction. A rerun
 * after a crash resumes after the last committed chunk; a completed real import emits
 * roster-reconciled for the state.
 */
@Injectable()
export class RosterImportProcessor implements OnModuleInit {
  private readonly logger = new Logger(RosterImportProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly config: HrConfig,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<RosterImportRequest, RosterImportResult, Checkpoint>({
      kind: ROSTER_IMPORT,
      run: (ctx) => this.run(ctx),
      // The roster goes once the job is done for good: an attempt cut short reads it again.
      finished: (ctx) => rm(this.storedPath(ctx.request), { force: true }),
    });
  }

  private storedPath(request: RosterImportRequest): string {
    return join(rosterImportsDir(this.config), basename(request.file.stored));
  }

  async run(ctx: JobContext<RosterImportRequest, Checkpoint>): Promise<RosterImportResult> {
    if (ctx.checkpoint?.result) return ctx.checkpoint.result;
    return this.importFile(ctx, this.storedPath(ctx.request));
  }

  private async importFile(ctx: JobContext<RosterImportRequest, Checkpoint>, path: string): Promise<RosterImportResult> {
    const { stateCode, dryRun, file, endBaseContracts = false } = ctx.request;
    const resumeFrom = ctx.checkpoint?.nextRow ?? 0;
    let totals: RosterTotals = ctx.checkpoint?.totals ?? { rows: 0, valid: 0, errors: 0, ...noCounts() };
    const estimate = await estimateRosterRows(path, file.format).catch(() => {
      throw new UnrecoverableError(`FILE_MISSING: the uploaded file ${file.name} is no longer in storage; upload it again`);
    });
    const postCodes = new Set(
      (await this.dataSource.query<{ code: string }[]>(`SELECT code FROM post_code`)).map((p) => p.code),
    );
    const reason = `roster import ${ctx.jobId} (${file.name})`;
    const firstCurp = new Map<string, number>();
    const firstPost = new Map<string, number>();
    let columns: RosterColumns | null = null;
    let total: number | null = null;
    let looked = 0;
    let rows: RosterRow[] = [];
    let errors: JobRowError[] = [];
    let chunkRows = 0;
    let badRows = 0;
    let lastRow = 0;

    // One chunk is written while the next is parsed: a write starts once the previous one is done.
    let writing: Promise<void> = Promise.resolve();
    const write = async (chunk: { rows: RosterRow[]; errors: JobRowError[]; chunkRows: number; badRows: number; lastRow: number }) => {
      totals = await this.dataSource.transaction(async (m) => {
        const outcome = await applyRosterChunk(m, { stateCode, jobId: ctx.jobId, reason, dryRun, endBaseContracts, postCodes }, chunk.rows);
        const refused = new Set(outcome.errors.map((e) => e.row)).size;
        const next = addCounts(
          { ...totals, rows: totals.rows + chunk.chunkRows, valid: totals.valid + outcome.valid, errors: totals.errors + chunk.badRows + refused },
          outcome.counts,
        );
        const changed = Object.values(outcome.counts).some((n) => n > 0);
        if (changed) {
          await recordAudit(m, { action: 'roster.imported', entity: 'RosterImport', entityId: ctx.jobId, stateCode, after: { file: file.name, upToRow: chunk.lastRow, ...outcome.counts }, reason });
        }
        const all = [...chunk.errors, ...outcome.errors];
        if (all.length) await ctx.addErrors(all, { manager: m });
        await ctx.saveCheckpoint({ nextRow: chunk.lastRow + 1, totals: next }, { manager: m });
        return next;
      });
      await ctx.progress(totals.rows, total === null ? null : Math.max(total, totals.rows));
    };

    const flush = async () => {
      const chunk = { rows, errors, chunkRows, badRows, lastRow };
      rows = [];
      errors = [];
      chunkRows = 0;
      badRows = 0;
      await writing;
      writing = write(chunk);
      // Observed at the next flush or at the end; until then a failure must not count as unhandled.
      writing.catch(() => undefined);
    };
    try {
      for await (const r of readRosterRows(path, file.format, this.xlsxLimits)) {
        if (!columns) {
          if (isBlank(r.cells) || looked++ >= HEADER_SEARCH_ROWS) continue;
          const header = readRosterHeader(r.cells);
          if (!header) continue;
          const missing = missingRosterColumns(header);
          if (missing.length) {
            throw new UnrecoverableError(`MISSING_COLUMNS: the header (row ${r.row}) has no column ${missing.join(', ')}. Nothing was imported.`);
          }
          columns = header;
          total = estimate === null ? null : Math.max(0, estimate - r.row);
          continue;
        }
        if (isBlank(r.cells)) continue;
        const parsed = parseRosterRow(r.cells, columns, r.row);
        let row = parsed.row;
        let rowErrors = parsed.errors;
        if (row) {
          const curp = row.worker?.curp;
          const seenCurp = curp ? firstCurp.get(curp) : undefined;
          const seenPost = firstPost.get(row.postNumber);
          if (seenCurp !== undefined) {
            rowErrors = [{ row: r.row, field: ROSTER_COLUMNS.curp.label, message: `duplicate: CURP ${curp} already appears in row ${seenCurp}; one person, one CURP` }];
            row = undefined;
          } else if (seenPost !== undefined) {
            rowErrors = [{ row: r.row, field: ROSTER_COLUMNS.postNumber.label, message: `duplicate: post ${row.postNumber} already appears in row ${seenPost}` }];
            row = undefined;
          } else {
            if (curp) firstCurp.set(curp, r.row);
            firstPost.set(row.postNumber, r.row);
          }
        }
        // Rows before the checkpoint were applied by an earlier attempt; they only rebuild the duplicate maps.
        if (r.row < resumeFrom) continue;
        chunkRows++;
        lastRow = r.row;
        if (row) rows.push(row);
        else {
          errors.push(...rowErrors);
          badRows++;
        }
        if (chunkRows >= this.config.ROSTER_IMPORT_CHUNK_ROWS) await flush();
        else if (chunkRows % 200 === 0) await ctx.heartbeat();
      }
      if (chunkRows) await flush();
      await writing;
    } catch (err) {
      await writing.catch(() => undefined);
      if (err instanceof UnreadableRoster) throw new UnrecoverableError(`UNREADABLE_FILE: ${err.message}`);
      // A workbook past a limit says which, with its own code (XLSX_TOO_LARGE).
      if (err instanceof XlsxTooLarge) throw new UnrecoverableError(err.message);
      throw err;
    }
    if (!columns) {
      throw new UnrecoverableError(
        `NO_HEADER: no row with CURP and PLAZA columns in the first ${HEADER_SEARCH_ROWS} rows. A roster names ${missingRosterColumns({}).join(', ')}. Nothing was imported.`,
      );
    }

    const result = await this.dataSource.transaction(async (m) => {
      let workers: number | null = null;
      if (!dryRun) {
        const [{ count }] = await m.query<{ count: number }[]>(`SELECT count(DISTINCT worker_id)::int AS count FROM contract WHERE state_code = $1`, [stateCode]);
        workers = count;
        // An unchanged re-import writes nothing, not even a second reconciliation.
        const changed = Object.keys(noCounts()).some((k) => totals[k as keyof ChunkCounts] > 0);
        if (changed) {
          await publishEvent(m, RosterReconciled, { stateCode, workers, jobId: ctx.jobId, reconciledAt: new Date().toISOString() });
        }
      }
      const done: RosterImportResult = { ...totals, stateCode, dryRun, file: file.name, workers };
      await ctx.saveCheckpoint({ nextRow: Number.MAX_SAFE_INTEGER, totals, result: done }, { manager: m });
      return done;
    });
    this.logger.log(`${ROSTER_IMPORT} ${ctx.jobId}${dryRun ? ' (dry run)' : ''} state ${stateCode}: ${totals.rows} rows, ${totals.valid} valid, ${totals.errors} refused`);
    return result;
  }
}
