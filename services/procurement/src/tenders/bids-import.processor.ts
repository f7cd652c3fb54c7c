import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { JobContext, JobProcessorRegistry, JobRowError, UnrecoverableError } from '@imb/jobs';
import { XlsxLimitsConfig, XlsxTooLarge } from '@imb/platform';
import { BidFileFormat, BidFileProblem, parseBidRows, readBidFile } from './bids-file';
import { tenderClosed } from './tender-terms';
import { upsertBids } from './tenders.service';

export type { BidFileFormat } from './bids-file';

/** Job kind of a bid file import. */
export const BID_IMPORT_JOB = 'procurement.bids-import';

export interface BidImportRequest {
  exerciseCode: string;
  dryRun: boolean;
  /** Row of bid_import_file holding the upload. */
  fileId: string;
  name: string;
  format: BidFileFormat;
  size: number;
}

export interface BidImportResult {
  exerciseCode: string;
  dryRun: boolean;
  file: { name: string; format: BidFileFormat; size: number };
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  errors: number;
}

/**
 * The `procurement.bids-import` job. Bid files are small (one row per supplier and clave), so the
 * whole file is validated first and then applied in one transaction with its audit record, its
 * row errors and the removal of the stored upload: an attempt that dies applies nothing and the
 * retry starts over. Rows for claves outside the exercise's demand are row errors. A dry run
 * reads, validates and classifies the same way and writes only the job record. A file with no
 * importable row fails (NO_VALID_ROWS) with every row error kept.
 */
@Injectable()
export class BidsImportProcessor implements OnModuleInit {
  private readonly logger = new Logger(BidsImportProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<BidImportRequest, BidImportResult, null>({ kind: BID_IMPORT_JOB, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext<BidImportRequest, null>): Promise<BidImportResult> {
    const { exerciseCode: code, dryRun, fileId, name, format, size } = ctx.request;
    const [file] = await this.dataSource.query<{ content: Buffer }[]>(`SELECT content FROM bid_import_file WHERE id = $1`, [fileId]);
    if (!file) throw new UnrecoverableError(`FILE_MISSING: the uploaded file ${name} is no longer stored; upload it again`);
    let parsed: ReturnType<typeof parseBidRows>;
    try {
      parsed = parseBidRows(await readBidFile(file.content, format, this.xlsxLimits));
    } catch (err) {
      if (err instanceof BidFileProblem || err instanceof XlsxTooLarge) {
        await this.dataSource.query(`DELETE FROM bid_import_file WHERE id = $1`, [fileId]);
        const coded = /^[A-Z_]+: /.test(err.message);
        throw new UnrecoverableError(`${coded ? '' : 'UNREADABLE_FILE: '}${err.message}. Nothing was imported.`);
      }
      throw err;
    }
    await ctx.progress(0, parsed.rows);
    const result = await this.dataSource.transaction(async (m): Promise<BidImportResult | null> => {
      if (!dryRun && (await tenderClosed(m, code))) {
        throw new UnrecoverableError(`TENDER_CLOSED: contracts were already opened from the award of ${code}; its bids can no longer change. Nothing was imported.`);
      }
      const demand = await m.query<{ clave: string }[]>(`SELECT DISTINCT clave FROM demand_line WHERE exercise_code = $1 AND clave = ANY($2)`, [
        code,
        [...new Set(parsed.bids.map((b) => b.clave))],
      ]);
      const known = new Set(demand.map((d) => d.clave));
      const outside: JobRowError[] = parsed.bids
        .filter((b) => !known.has(b.clave))
        .map((b) => ({ row: b.row, field: 'CLAVE', message: `clave ${b.clave} is not in the demand of ${code}` }));
      const valid = parsed.bids.filter((b) => known.has(b.clave));
      const errors = [...parsed.errors, ...outside].sort((a, b) => a.row - b.row);
      if (!valid.length) {
        await ctx.addErrors(errors);
        return null;
      }
      const outcome = await upsertBids(m, code, valid, `import:${ctx.jobId}`, dryRun);
      if (!dryRun && (outcome.inserted.length || outcome.updated.length)) {
        await recordAudit(m, {
          action: 'bids.imported',
          entity: 'BidImport',
          entityId: ctx.jobId,
          after: {
            exerciseCode: code,
            file: name,
            inserted: outcome.inserted.slice(0, 1000).map((b) => [b.clave, b.supplierRfc, b.unitPrice, b.offeredQuantity]),
            updated: outcome.updated.slice(0, 1000).map((b) => [b.clave, b.supplierRfc, b.unitPrice, b.offeredQuantity]),
          },
          reason: `import of the bid file ${name}`,
        });
      }
      if (errors.length) await ctx.addErrors(errors, { manager: m });
      await m.query(`DELETE FROM bid_import_file WHERE id = $1`, [fileId]);
      return {
        exerciseCode: code,
        dryRun,
        file: { name, format, size },
        rows: parsed.rows,
        inserted: outcome.inserted.length,
        updated: outcome.updated.length,
        unchanged: outcome.unchanged,
        errors: parsed.badRows + new Set(outside.map((e) => e.row)).size,
      };
    });
    if (!result) {
      await this.dataSource.query(`DELETE FROM bid_import_file WHERE id = $1`, [fileId]);
      throw new UnrecoverableError(`NO_VALID_ROWS: none of the ${parsed.rows} rows of ${name} can be imported; the job's errors give each row's problem. Nothing was imported.`);
    }
    await ctx.progress(parsed.rows, parsed.rows);
    this.logger.log(
      `${BID_IMPORT_JOB} ${ctx.jobId}${dryRun ? ' (dry run)' : ''} ${code}: ${result.rows} rows, ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ${result.errors} refused`,
    );
    return result;
  }
}
