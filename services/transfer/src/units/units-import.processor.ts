import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { stateByCode } from '@imb/contracts';
import { JobContext, JobProcessorRegistry, JobRowError, UnrecoverableError } from '@imb/jobs';
import { XlsxLimitsConfig, XlsxTooLarge } from '@imb/platform';
import { CatalogueFormat, estimateRows, readCatalogueRows, UnreadableCatalogue } from './catalogue-file';
import { CATALOGUE_COLUMNS, CatalogueUnit, ColumnMap, missingColumns, parseCatalogueRow, readHeader } from './clues-catalogue';
import { importsDir, UnitsConfig } from './units.config';
import {
  ChunkOutcome,
  classifyCatalogueChunk,
  reRegisterChunk,
  UnmatchedKey,
  unitsWithoutNewKey,
  upsertCatalogueChunk,
} from './units-import.writer';

/** Job kind of a units import. */
export const UNITS_IMPORT = 'units.import';

/** What the import job is asked to do (stored with the job). */
export interface UnitsImportRequest {
  /** The state being imported; null for the national catalogue (federal coordinators). */
  stateCode: string | null;
  dryRun: boolean;
  file: {
    /** Name as uploaded. */
    name: string;
    /** Name of the stored copy inside STORAGE_DIR/imports. */
    stored: string;
    format: CatalogueFormat;
    size: number;
    sha256: string;
  };
}

/** Row counts of an import. `errors` counts refused rows; each problem is in the job's errors. */
export interface ImportTotals {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: number;
  reRegistered: number;
}

/** The job's result. In a dry run the counts say what the import would do. */
export interface UnitsImportResult extends ImportTotals {
  dryRun: boolean;
  /** `re-registration` when the file has a CLUES_SSH column (new keys naming their old key). */
  mode: 'catalogue' | 're-registration';
  stateCode: string | null;
  file: { name: string; sha256: string; size: number; format: CatalogueFormat };
  unmatched: {
    /** New keys that link to no known unit (first 1000). */
    newKeys: UnmatchedKey[];
    /** Units of the state still under an old key that the file gives no new key (first 1000). */
    oldUnits: { clues: string; name: string; status: string }[];
    newKeysTotal: number;
    oldUnitsTotal: number;
  };
}

interface ImportCheckpoint {
  /** First row (as numbered in the file) not yet applied. */
  nextRow: number;
  totals: ImportTotals;
  newKeys: UnmatchedKey[];
  newKeysTotal: number;
  /** Set once everything is applied: a rerun of the job just returns it. */
  result?: UnitsImportResult;
}

/** Non-empty rows looked at, in each sheet, for the header. */
const HEADER_SEARCH_ROWS = 20;
/** Longest list of unmatched keys kept in a result. */
const LIST_LIMIT = 1000;

interface Chunk {
  firstRow: number;
  lastRow: number;
  rows: number;
  units: CatalogueUnit[];
  errors: JobRowError[];
  badRows: number;
}

const newChunk = (): Chunk => ({ firstRow: 0, lastRow: 0, rows: 0, units: [], errors: [], badRows: 0 });
const isBlank = (cells: readonly unknown[]) => cells.every((c) => c === null || c === undefined || (typeof c === 'string' && c.trim() === ''));
const joinLabels = (labels: string[]) => labels.join(', ');

/**
 * Keeps one chunk write in flight while the reader parses the next chunk, so parsing (this
 * process) and writing (PostgreSQL) overlap. Starting a write waits for the previous one, and a
 * failed write surfaces at the next start or at the drain.
 */
export class OneWriteBehind {
  private pending: Promise<void> = Promise.resolve();

  /** Waits for the previous write (throwing its error), then starts `write` without waiting for it. */
  async start(write: () => Promise<void>): Promise<void> {
    await this.pending;
    const next = write();
    // Observed at the next start or drain; until then a failure must not count as unhandled.
    next.catch(() => undefined);
    this.pending = next;
  }

  /** Waits for the last write, throwing its error. */
  drain(): Promise<void> {
    return this.pending;
  }

  /** Waits for the last write, ignoring its error (when already failing for another reason). */
  settle(): Promise<void> {
    return this.pending.catch(() => undefined);
  }
}

/**
 * The `units.import` job: streams the uploaded CLUES catalogue (or the re-registration file with
 * CLUES_SSH), validates each row, and applies it in chunks; each chunk's units, outbox events,
 * audit record, row errors and checkpoint commit in one transaction, so an attempt that dies
 * resumes after the last committed chunk and no row is applied twice. While one chunk is being
 * written the next is parsed. A dry run does the same reading and lookups and writes only the
 * job record. A file without the required columns, or that cannot be read, fails the job at
 * once; a file whose rows are all refused fails too (NO_VALID_ROWS) with every row error kept.
 */
@Injectable()
export class UnitsImportProcessor implements OnModuleInit {
  private readonly logger = new Logger(UnitsImportProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly config: UnitsConfig,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<UnitsImportRequest, UnitsImportResult, ImportCheckpoint>({
      kind: UNITS_IMPORT,
      run: (ctx) => this.run(ctx),
      // The catalogue goes once the job is done for good: an attempt cut short reads it again.
      finished: (ctx) => rm(this.storedPath(ctx.request.file.stored), { force: true }),
    });
  }

  /** Absolute path of an import's stored file. */
  storedPath(stored: string): string {
    return join(importsDir(this.config), basename(stored));
  }

  async run(ctx: JobContext<UnitsImportRequest, ImportCheckpoint>): Promise<UnitsImportResult> {
    // An attempt that died after recording the outcome left nothing to do.
    return ctx.checkpoint?.result ?? this.importFile(ctx, this.storedPath(ctx.request.file.stored));
  }

  private async importFile(ctx: JobContext<UnitsImportRequest, ImportCheckpoint>, path: string): Promise<UnitsImportResult> {
    const { stateCode, dryRun, file } = ctx.request;
    await stat(path).catch(() => {
      throw new UnrecoverableError(`FILE_MISSING: the uploaded file ${file.name} is no longer in storage; upload it again`);
    });
    const saved = ctx.checkpoint;
    const resumeFrom = saved?.nextRow ?? 0;
    let totals: ImportTotals = saved?.totals ?? { rows: 0, inserted: 0, updated: 0, unchanged: 0, errors: 0, reRegistered: 0 };
    let newKeys = saved?.newKeys ?? [];
    let newKeysTotal = saved?.newKeysTotal ?? 0;
    let wroteChunks = resumeFrom > 0;

    const estimate = await estimateRows(path, file.format);
    let total: number | null = null;
    let columns: ColumnMap | null = null;
    let headerSheet = 0;
    let sheet = 0;
    let looked = 0;
    // First row of every key seen, to refuse later duplicates (rebuilt from the file on resume).
    const firstRowOf = new Map<string, number>();
    const firstRowOfOld = new Map<string, number>();
    const states = new Set<string>();
    const oldInstitutions = new Set<string>();
    let chunk = newChunk();
    const writes = new OneWriteBehind();

    const flush = () => {
      const current = chunk;
      chunk = newChunk();
      const reRegistration = columns?.cluesSsh !== undefined;
      return writes.start(async () => {
        const expected = total === null ? null : Math.max(total, totals.rows + current.rows);
        const next = await this.applyChunk(ctx, current, reRegistration, expected, totals, newKeys, newKeysTotal);
        totals = next.totals;
        newKeys = next.newKeys;
        newKeysTotal = next.newKeysTotal;
        wroteChunks = true;
      });
    };

    try {
      rows: for await (const batch of readCatalogueRows(path, file.format, this.xlsxLimits)) {
        for (const r of batch) {
          if (!columns) {
            if (r.sheet !== sheet) {
              sheet = r.sheet;
              looked = 0;
            }
            if (looked >= HEADER_SEARCH_ROWS || isBlank(r.cells)) continue;
            looked++;
            const header = readHeader(r.cells);
            if (!header) continue;
            const missing = missingColumns(header);
            if (missing.length) {
              throw new UnrecoverableError(
                `MISSING_COLUMNS: the header (row ${r.row}) has no column ${joinLabels(missing)}. A CLUES catalogue needs ` +
                  `${joinLabels(missingColumns({}))} (accents, case and spacing do not matter). Nothing was imported.`,
              );
            }
            columns = header;
            headerSheet = r.sheet;
            total = estimate === null ? null : Math.max(0, estimate - r.row);
            continue;
          }
          if (r.sheet !== headerSheet) break rows;
          if (isBlank(r.cells)) continue;

          const outcome = parseCatalogueRow(r.cells, columns, r.row, stateCode);
          let unit = outcome.unit;
          let errors = outcome.errors;
          if (unit) {
            const seen = firstRowOf.get(unit.clues);
            const seenOld = unit.cluesSsh ? firstRowOfOld.get(unit.cluesSsh) : undefined;
            if (seen !== undefined) {
              errors = [{ row: r.row, field: CATALOGUE_COLUMNS.clues.label, message: `repeats CLUES ${unit.clues} of row ${seen}; only the first row of a key is imported` }];
              unit = undefined;
            } else if (seenOld !== undefined) {
              errors = [{ row: r.row, field: CATALOGUE_COLUMNS.cluesSsh.label, message: `repeats CLUES_SSH ${unit.cluesSsh} of row ${seenOld}; an old key is re-registered only once` }];
              unit = undefined;
            } else {
              firstRowOf.set(unit.clues, r.row);
              if (unit.cluesSsh) {
                firstRowOfOld.set(unit.cluesSsh, r.row);
                oldInstitutions.add(unit.cluesSsh.slice(2, 5));
              }
              states.add(unit.stateCode);
            }
          }
          // Rows before the checkpoint were applied by an earlier attempt: they only rebuild the key maps.
          if (r.row < resumeFrom) continue;
          if (!chunk.rows) chunk.firstRow = r.row;
          chunk.lastRow = r.row;
          chunk.rows++;
          if (unit) chunk.units.push(unit);
          else if (errors) {
            chunk.errors.push(...errors);
            chunk.badRows++;
          }
          if (chunk.rows >= this.config.UNITS_IMPORT_CHUNK_ROWS) await flush();
        }
      }
      if (chunk.rows) await flush();
      await writes.drain();
    } catch (err) {
      await writes.settle();
      if (err instanceof UnreadableCatalogue || err instanceof XlsxTooLarge) {
        // A workbook past a limit says which, with its own code (XLSX_TOO_LARGE).
        throw new UnrecoverableError(
          `${err instanceof XlsxTooLarge ? '' : 'UNREADABLE_FILE: '}${err.message}. ` +
            (wroteChunks && !dryRun
              ? `The rows before that point were imported; fix the file and import it again (unchanged rows are skipped).`
              : 'Nothing was imported.'),
        );
      }
      throw err;
    }

    if (!columns) {
      throw new UnrecoverableError(
        `NO_HEADER: no row with a CLUES column in the first ${HEADER_SEARCH_ROWS} rows of ${sheet > 1 ? 'any sheet' : 'the file'}. ` +
          `A CLUES catalogue has a header row naming ${joinLabels(missingColumns({}))}. Nothing was imported.`,
      );
    }
    if (totals.rows === 0) {
      throw new UnrecoverableError(`EMPTY_FILE: ${file.name} has a header but no unit rows. Nothing was imported.`);
    }
    const valid = totals.inserted + totals.updated + totals.unchanged + totals.reRegistered + newKeysTotal;
    if (valid === 0) {
      throw new UnrecoverableError(
        `NO_VALID_ROWS: none of the ${totals.rows} rows of ${file.name} can be imported; the job's errors give each row's problem. Nothing was imported.`,
      );
    }

    const reRegistration = columns.cluesSsh !== undefined;
    let oldUnits: { clues: string; name: string; status: string }[] = [];
    if (reRegistration) {
      const inScope = stateCode ? [stateCode] : [...states];
      oldUnits = (await unitsWithoutNewKey(this.dataSource.manager, inScope, [...oldInstitutions])).filter(
        (u) => !firstRowOfOld.has(u.clues) && !firstRowOf.has(u.clues),
      );
    }
    const result: UnitsImportResult = {
      ...totals,
      dryRun,
      mode: reRegistration ? 're-registration' : 'catalogue',
      stateCode,
      file: { name: file.name, sha256: file.sha256, size: file.size, format: file.format },
      unmatched: {
        newKeys: newKeys.slice(0, LIST_LIMIT),
        oldUnits: oldUnits.slice(0, LIST_LIMIT),
        newKeysTotal,
        oldUnitsTotal: oldUnits.length,
      },
    };
    await ctx.saveCheckpoint({ nextRow: Number.MAX_SAFE_INTEGER, totals, newKeys, newKeysTotal, result });
    this.logger.log(
      `${UNITS_IMPORT} ${ctx.jobId}${dryRun ? ' (dry run)' : ''} ${stateCode ? `state ${stateCode} (${stateByCode(stateCode)?.name})` : 'national'}: ` +
        `${totals.rows} rows, ${totals.inserted} inserted, ${totals.updated} updated, ${totals.unchanged} unchanged, ` +
        `${totals.reRegistered} re-registered, ${totals.errors} refused, ${newKeysTotal} new keys and ${oldUnits.length} old units unmatched`,
    );
    return result;
  }

  /** Writes one chunk with its events, audit record, row errors and checkpoint in one transaction. */
  private async applyChunk(
    ctx: JobContext<UnitsImportRequest, ImportCheckpoint>,
    chunk: Chunk,
    reRegistration: boolean,
    total: number | null,
    before: ImportTotals,
    newKeysBefore: UnmatchedKey[],
    newKeysTotalBefore: number,
  ) {
    const { dryRun } = ctx.request;
    const next = await this.dataSource.transaction(async (m) => {
      const outcome = reRegistration
        ? await reRegisterChunk(m, chunk.units, dryRun)
        : dryRun
          ? await classifyCatalogueChunk(m, chunk.units)
          : await upsertCatalogueChunk(m, chunk.units);
      const errors = [...chunk.errors, ...outcome.errors];
      const totals: ImportTotals = {
        rows: before.rows + chunk.rows,
        inserted: before.inserted + outcome.inserted.length,
        updated: before.updated + outcome.updated.length,
        unchanged: before.unchanged + outcome.unchanged,
        errors: before.errors + chunk.badRows + new Set(outcome.errors.map((e) => e.row)).size,
        reRegistered: before.reRegistered + outcome.reRegistered.length,
      };
      const newKeys = [...newKeysBefore, ...outcome.unmatched].slice(0, LIST_LIMIT);
      const newKeysTotal = newKeysTotalBefore + outcome.unmatched.length;
      if (!dryRun) await this.audit(m, ctx, chunk, outcome);
      if (errors.length) await ctx.addErrors(errors, { manager: m });
      await ctx.saveCheckpoint({ nextRow: chunk.lastRow + 1, totals, newKeys, newKeysTotal }, { manager: m });
      return { totals, newKeys, newKeysTotal };
    });
    // After commit: progress is written on another connection, and this transaction holds the job row.
    await ctx.progress(next.totals.rows, total);
    return next;
  }

  private async audit(m: EntityManager, ctx: JobContext<UnitsImportRequest, ImportCheckpoint>, chunk: Chunk, o: ChunkOutcome) {
    if (!o.inserted.length && !o.updated.length && !o.reRegistered.length) return;
    const { stateCode, file } = ctx.request;
    await recordAudit(m, {
      action: o.reRegistered.length ? 'units.re-registered' : 'units.imported',
      entity: 'UnitImport',
      entityId: ctx.jobId,
      stateCode,
      after: {
        file: file.name,
        sha256: file.sha256,
        rows: `${chunk.firstRow}-${chunk.lastRow}`,
        inserted: o.inserted,
        updated: o.updated,
        reRegistered: o.reRegistered,
      },
      reason: `import of the CLUES catalogue ${file.name}`,
    });
  }
}
