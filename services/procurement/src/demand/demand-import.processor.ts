import { Injectable, OnModuleInit } from '@nestjs/common';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { copyRows, CopyValue, readXlsxRows, UnreadableWorkbook, XlsxLimitsConfig } from '@imb/platform';
import { JobContext, JobProcessorRegistry, JobRowError, UnrecoverableError } from '@imb/jobs';
import { requireExercise } from '../exercises/exercises.service';
import { AnnexLayout, AnnexRow, ColumnMapping, detectLayout, HEADER_SEARCH_ROWS, isBlankRow, layoutFromMapping, parseRow } from './annex-layout';
import { DemandConfig, importsDir } from './demand.config';
import { addRepeatedLines, applyImport, ApplyCounts, createImportLineTable, hasNoLines, ImportedClave, LINE_COLUMNS } from './demand-import.writer';

/** Job kind of a demand annex import. */
export const DEMAND_IMPORT = 'procurement.demand-import';

/** What the import job is asked to do (stored with the job). */
export interface DemandImportRequest {
  exerciseCode: string;
  dryRun: boolean;
  mapping: ColumnMapping | null;
  file: { name: string; stored: string; size: number; sha256: string };
}

/** The job's result; in a dry run the counts say what the import would do. */
export interface DemandImportResult extends ApplyCounts {
  dryRun: boolean;
  exerciseCode: string;
  file: { name: string; size: number; sha256: string };
  layout: {
    source: 'detected' | 'mapping';
    headerRow: number;
    firstDataRow: number;
    institutions: { name: string; stateCode: string | null }[];
    totalsChecked: boolean;
    skipped: string[];
    unknownStates: string[];
  };
  /** Data rows read (blank rows aside). */
  rows: number;
  /** Rows refused (bad clave or quantity): nothing of them was written. */
  refusedRows: number;
  /** Rows whose published TOTALES differ from the sum of their institutions (kept, reported). */
  totalsMismatches: number;
  /** Claves that appear in more than one row (their quantities add up). */
  repeatedClaves: number;
  claves: number;
  institutions: number;
}

/** Row errors kept in the job record (all are counted). */
const MAX_STORED_ERRORS = 5000;
const PROGRESS_EVERY = 250;

/**
 * The demand import job: finds the annex's layout (or uses the mapping sent), streams its rows,
 * checks each (clave, quantities, published totals) and copies the good lines into a temporary
 * table; then one statement applies them to demand_line and another adds the claves to the
 * catalogue, with one audit record when something changed, all in one transaction. A dry run reads
 * and checks the same and only counts. A file that cannot be read, or has no usable row, fails
 * the job with the reason and writes nothing.
 */
@Injectable()
export class DemandImportProcessor implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly config: DemandConfig,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<DemandImportRequest, DemandImportResult, unknown>({
      kind: DEMAND_IMPORT,
      run: (ctx) => this.run(ctx),
      // The annex goes once the job is done for good: an attempt cut short reads it again.
      finished: (ctx) => rm(this.storedPath(ctx.request), { force: true }),
    });
  }

  private storedPath(request: DemandImportRequest): string {
    return join(importsDir(this.config), request.file.stored);
  }

  private async run(ctx: JobContext<DemandImportRequest>): Promise<DemandImportResult> {
    try {
      return await this.import(ctx, this.storedPath(ctx.request));
    } catch (err) {
      if (err instanceof UnreadableWorkbook) throw new UnrecoverableError(`${err.message}. Nothing was imported.`);
      throw err;
    }
  }

  private async import(ctx: JobContext<DemandImportRequest>, path: string): Promise<DemandImportResult> {
    const { exerciseCode, dryRun } = ctx.request;
    const rows = readXlsxRows(path, { limits: this.xlsxLimits });
    const head: AnnexRow[] = [];
    // Read the head by hand: leaving a for-await loop early would close the generator.
    while (head.length < HEADER_SEARCH_ROWS) {
      const next = await rows.next();
      if (next.done) break;
      head.push(next.value);
    }
    const found = ctx.request.mapping ? layoutFromMapping(ctx.request.mapping) : detectLayout(head);
    if ('problem' in found) {
      await rows.return(undefined);
      throw new UnrecoverableError(`The annex layout was not understood: ${found.problem}. Nothing was imported.`);
    }
    const layout: AnnexLayout = found;

    try {
      return await this.dataSource.transaction(async (m) => {
        // Locked: imports (and consolidations) of one exercise run one after the other.
        await requireExercise(m, exerciseCode, !dryRun);
        // The first import of an exercise copies straight into demand_line; a repeated clave's lines
        // then wait here and are added after the copy.
        const straight = !dryRun && (await hasNoLines(m, exerciseCode));
        if (!straight) await createImportLineTable(m);
        const repeatedLines: { clave: string; institution: string; min: number; max: number }[] = [];
        const claves = new Map<string, ImportedClave>();
        const errors: JobRowError[] = [];
        const counts = { rows: 0, refusedRows: 0, totalsMismatches: 0, repeatedClaves: 0, errors: 0 };
        const report = (row: number, problems: { field: string; message: string }[]) => {
          counts.errors += problems.length;
          for (const p of problems) if (errors.length < MAX_STORED_ERRORS) errors.push({ row, ...p });
        };
        // The lines of one row, checked, as COPY rows (a refused row gives none).
        const linesOf = (row: AnnexRow): CopyValue[][] => {
          const lines: CopyValue[][] = [];
          if (row.row < layout.firstDataRow || isBlankRow(row.cells, layout)) return lines;
          counts.rows++;
          const parsed = parseRow(row.cells, layout);
          if (parsed.errors.length) {
            counts.refusedRows++;
            report(row.row, parsed.errors);
            return lines;
          }
          if (parsed.totalsMismatch.length) {
            counts.totalsMismatches++;
            report(row.row, parsed.totalsMismatch);
          }
          const repeated = claves.has(parsed.clave);
          if (repeated) counts.repeatedClaves++;
          else claves.set(parsed.clave, { clave: parsed.clave, description: parsed.description || parsed.clave, unit: parsed.unit, cucop: parsed.cucop });
          for (const line of parsed.lines) {
            if (repeated && straight) repeatedLines.push({ clave: parsed.clave, ...line });
            else if (straight) lines.push([exerciseCode, parsed.clave, line.institution, line.stateCode, line.min, line.max]);
            else lines.push([parsed.clave, line.institution, line.stateCode, line.min, line.max]);
          }
          return lines;
        };
        const batches = async function* (): AsyncGenerator<CopyValue[][]> {
          for (const row of head) yield linesOf(row);
          let reported = 0;
          for await (const row of rows) {
            yield linesOf(row);
            if (counts.rows - reported >= PROGRESS_EVERY) {
              reported = counts.rows;
              await ctx.progress(counts.rows, null);
              await ctx.heartbeat();
            }
          }
        };
        // The lines are copied as the file is read: the server stores them while the next rows are parsed.
        const copied = straight
          ? await copyRows(m, 'demand_line', ['exercise_code', ...LINE_COLUMNS], batches())
          : await copyRows(m, 'import_line', LINE_COLUMNS, batches());
        if (straight) await addRepeatedLines(m, exerciseCode, repeatedLines);
        await ctx.progress(counts.rows, counts.rows);
        if (errors.length) await ctx.addErrors(errors);

        if (claves.size === 0) {
          throw new UnrecoverableError(
            counts.rows === 0
              ? `No data rows below the header (row ${layout.headerRow}). Nothing was imported.`
              : `NO_VALID_ROWS: none of the ${counts.rows} rows could be imported (${counts.errors} problems, first: row ${errors[0]?.row} ${errors[0]?.field}: ${errors[0]?.message}). Nothing was imported.`,
          );
        }
        const applied = await applyImport(m, exerciseCode, [...claves.values()], layout.institutions, {
          dryRun,
          repeatedClaves: counts.repeatedClaves > 0,
          copiedIntoDemand: straight ? copied : null,
        });
        const result: DemandImportResult = {
          dryRun,
          exerciseCode,
          file: { name: ctx.request.file.name, size: ctx.request.file.size, sha256: ctx.request.file.sha256 },
          layout: {
            source: layout.source,
            headerRow: layout.headerRow,
            firstDataRow: layout.firstDataRow,
            institutions: layout.institutions.map((i) => ({ name: i.name, stateCode: i.stateCode })),
            totalsChecked: layout.totals !== null,
            skipped: layout.skipped,
            unknownStates: layout.unknownStates,
          },
          rows: counts.rows,
          refusedRows: counts.refusedRows,
          totalsMismatches: counts.totalsMismatches,
          repeatedClaves: counts.repeatedClaves,
          claves: claves.size,
          institutions: layout.institutions.length,
          ...applied,
        };
        const changed = applied.inserted + applied.updated + applied.clavesAdded + applied.clavesUpdated;
        if (!dryRun && changed > 0) {
          await recordAudit(m, {
            action: 'demand.imported',
            entity: 'Exercise',
            entityId: exerciseCode,
            after: {
              file: result.file,
              lines: applied.lines,
              inserted: applied.inserted,
              updated: applied.updated,
              clavesAdded: applied.clavesAdded,
              clavesUpdated: applied.clavesUpdated,
              refusedRows: counts.refusedRows,
              totalsMismatches: counts.totalsMismatches,
            },
          });
        }
        return result;
      });
    } finally {
      // Closes the file when the transaction fails before the copy read the rows to their end.
      await rows.return(undefined);
    }
  }
}
