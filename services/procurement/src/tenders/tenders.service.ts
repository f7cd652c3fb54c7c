import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { currentContext } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { DomainError, xlsxContentProblem, XlsxLimitsConfig, XlsxTooLarge } from '@imb/platform';
import { BidFileProblem, parseBidRows, readBidFile } from './bids-file';
import { BID_IMPORT_JOB, BidImportRequest, BidFileFormat } from './bids-import.processor';
import { complianceWindow } from './compliance-window';
import { complianceShare } from './evaluate';
import { TENDER_EVALUATION_JOB, TenderEvaluationRequest } from './evaluation.processor';
import { supplierRecords } from './supplier-record';
import { loadTerms, requireExercise, tenderClosed } from './tender-terms';
import type { BidDto, ComplianceHistoryItem, ListBidsQuery, ListOutcomesQuery, ReferencePriceItem, TenderTermsDto } from './tenders.dto';

const actor = () => currentContext()?.actor ?? 'unknown';
const today = () => new Date().toISOString().slice(0, 10);
const num = (v: string | null) => (v === null ? null : Number(v));

interface BidRow {
  id: string;
  clave: string;
  supplier_rfc: string;
  unit_price: string | null;
  offered_quantity: string | null;
  submitted_at: Date;
  source: string;
  solvent: boolean | null;
  reasons: unknown;
  evaluated_at: Date | null;
}

const bidView = (r: BidRow) => ({
  id: r.id,
  clave: r.clave,
  supplierRfc: r.supplier_rfc,
  unitPrice: num(r.unit_price),
  offeredQuantity: num(r.offered_quantity),
  submittedAt: r.submitted_at,
  source: r.source,
  solvent: r.solvent,
  reasons: r.reasons ?? [],
  evaluatedAt: r.evaluated_at,
});

/** Reference prices, bids, supplier records, terms, and the evaluation's results. */
@Injectable()
export class TendersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly xlsxLimits: XlsxLimitsConfig,
  ) {}

  async terms(code: string) {
    await requireExercise(this.dataSource.manager, code);
    return { exerciseCode: code, ...(await loadTerms(this.dataSource.manager, code)) };
  }

  async setTerms(code: string, body: TenderTermsDto) {
    if (body.awardShares.reduce((a, b) => a + b, 0) !== 100) {
      throw new DomainError('BAD_AWARD_SHARES', `awardShares must add up to 100, e.g. [100] or [60, 40]; got [${body.awardShares.join(', ')}]`, 400);
    }
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code);
      const before = await loadTerms(m, code);
      const after = {
        awardShares: body.awardShares,
        complianceThreshold: body.complianceThreshold ?? before.complianceThreshold,
        complianceMonths: body.complianceMonths ?? before.complianceMonths,
        penaltyRatePerDay: body.penaltyRatePerDay ?? before.penaltyRatePerDay,
        penaltyCapShare: body.penaltyCapShare ?? before.penaltyCapShare,
      };
      await m.query(
        `INSERT INTO tender_terms (exercise_code, award_shares, compliance_threshold, compliance_months, penalty_rate_per_day, penalty_cap_share, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (exercise_code) DO UPDATE SET award_shares = EXCLUDED.award_shares, compliance_threshold = EXCLUDED.compliance_threshold,
           compliance_months = EXCLUDED.compliance_months, penalty_rate_per_day = EXCLUDED.penalty_rate_per_day,
           penalty_cap_share = EXCLUDED.penalty_cap_share, updated_by = EXCLUDED.updated_by, updated_at = now()`,
        [code, after.awardShares, after.complianceThreshold, after.complianceMonths, after.penaltyRatePerDay, after.penaltyCapShare, actor()],
      );
      const { configured: _configured, ...previous } = before;
      await recordAudit(m, { action: 'tender-terms.set', entity: 'TenderTerms', entityId: code, before: previous, after });
      return { exerciseCode: code, ...after, configured: true };
    });
  }

  /** Sets reference prices of claves of the exercise's demand; unchanged prices are left as they are. */
  async setReferencePrices(code: string, items: ReferencePriceItem[]) {
    const seen = new Set<string>();
    for (const i of items) {
      if (seen.has(i.clave)) throw new DomainError('DUPLICATE_CLAVE', `clave ${i.clave} appears twice; give one reference price per clave`, 400);
      seen.add(i.clave);
    }
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code);
      await this.requireDemand(m, code, [...seen]);
      const claves = items.map((i) => i.clave);
      const before = await m.query<{ clave: string; price: string }[]>(`SELECT clave, price FROM reference_price WHERE exercise_code = $1 AND clave = ANY($2)`, [code, claves]);
      const old = new Map(before.map((r) => [r.clave, Number(r.price)]));
      const changed = items.filter((i) => old.get(i.clave) !== i.price);
      if (changed.length) {
        await m.query(
          `INSERT INTO reference_price (exercise_code, clave, price, updated_by)
           SELECT $1, * , $4 FROM unnest($2::text[], $3::numeric[])
           ON CONFLICT (exercise_code, clave) DO UPDATE SET price = EXCLUDED.price, updated_by = EXCLUDED.updated_by, updated_at = now()`,
          [code, changed.map((i) => i.clave), changed.map((i) => i.price), actor()],
        );
        await recordAudit(m, {
          action: 'reference-prices.set',
          entity: 'ReferencePrices',
          entityId: code,
          before: Object.fromEntries(changed.filter((i) => old.has(i.clave)).map((i) => [i.clave, old.get(i.clave)])),
          after: Object.fromEntries(changed.map((i) => [i.clave, i.price])),
        });
      }
      return { exerciseCode: code, set: changed.length, unchanged: items.length - changed.length };
    });
  }

  async referencePrices(code: string, page: number, pageSize: number) {
    await requireExercise(this.dataSource.manager, code);
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM reference_price WHERE exercise_code = $1`, [code]);
    const rows = await this.dataSource.query<{ clave: string; price: string; updated_at: Date; updated_by: string }[]>(
      `SELECT clave, price, updated_at, updated_by FROM reference_price WHERE exercise_code = $1 ORDER BY clave LIMIT $2 OFFSET $3`,
      [code, pageSize, (page - 1) * pageSize],
    );
    return { items: rows.map((r) => ({ clave: r.clave, price: Number(r.price), updatedAt: r.updated_at, updatedBy: r.updated_by })), total, page, pageSize };
  }

  /** Records a bid, or replaces the supplier's bid for the clave; `created` tells which. */
  async submitBid(code: string, body: BidDto): Promise<{ created: boolean; bid: ReturnType<typeof bidView> }> {
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code);
      await this.requireOpen(m, code);
      await this.requireDemand(m, code, [body.clave]);
      const outcome = await upsertBids(m, code, [{ supplierRfc: body.supplierRfc, clave: body.clave, unitPrice: body.unitPrice ?? null, offeredQuantity: body.offeredQuantity ?? null }], 'api');
      const [row] = await m.query<BidRow[]>(`SELECT * FROM bid WHERE exercise_code = $1 AND clave = $2 AND supplier_rfc = $3`, [code, body.clave, body.supplierRfc]);
      if (outcome.inserted.length || outcome.updated.length) {
        await recordAudit(m, {
          action: outcome.inserted.length ? 'bid.submitted' : 'bid.replaced',
          entity: 'Bid',
          entityId: row.id,
          before: outcome.before[0] ?? null,
          after: { exerciseCode: code, clave: body.clave, supplierRfc: body.supplierRfc, unitPrice: body.unitPrice ?? null, offeredQuantity: body.offeredQuantity ?? null },
        });
      }
      return { created: outcome.inserted.length > 0, bid: bidView(row) };
    });
  }

  async bids(code: string, q: ListBidsQuery) {
    await requireExercise(this.dataSource.manager, code);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const solvent = q.solvent === undefined ? null : q.solvent;
    const where = `exercise_code = $1 AND ($2::text IS NULL OR clave = $2) AND ($3::text IS NULL OR supplier_rfc = $3)
      AND ($4::text IS NULL OR ($4 = 'pending' AND solvent IS NULL) OR solvent::text = $4)`;
    const params = [code, q.clave ?? null, q.supplierRfc ?? null, solvent];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM bid WHERE ${where}`, params);
    const rows = await this.dataSource.query<BidRow[]>(`SELECT * FROM bid WHERE ${where} ORDER BY clave, unit_price NULLS LAST, submitted_at, supplier_rfc LIMIT $5 OFFSET $6`, [
      ...params,
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items: rows.map(bidView), total, page, pageSize };
  }

  /**
   * Checks an uploaded bid file can be read and has its header (400 otherwise, nothing written),
   * keeps it in the database and queues its import; the job validates every row.
   */
  async requestBidImport(code: string, file: { name: string; format: BidFileFormat; content: Buffer }, dryRun: boolean): Promise<{ jobId: string }> {
    await requireExercise(this.dataSource.manager, code);
    const problem = file.format === 'xlsx' ? await xlsxContentProblem(file.content) : null;
    if (problem) throw new DomainError('UNREADABLE_FILE', `${file.name.slice(0, 200)}: ${problem}. Nothing was imported.`, 400);
    try {
      parseBidRows(await readBidFile(file.content, file.format, this.xlsxLimits));
    } catch (err) {
      if (err instanceof XlsxTooLarge) throw new DomainError(err.code, `${file.name.slice(0, 200)}: ${err.detail}. Nothing was imported.`, 413);
      if (!(err instanceof BidFileProblem)) throw err;
      const coded = /^([A-Z_]+): (.*)$/s.exec(err.message);
      throw new DomainError(coded?.[1] ?? 'UNREADABLE_FILE', `${file.name.slice(0, 200)}: ${coded?.[2] ?? err.message}. Nothing was imported.`, 400);
    }
    return this.dataSource.transaction(async (m) => {
      await requireExercise(m, code);
      if (!dryRun) await this.requireOpen(m, code);
      const fileId = randomUUID();
      await m.query(`INSERT INTO bid_import_file (id, name, format, content) VALUES ($1, $2, $3, $4)`, [fileId, file.name, file.format, file.content]);
      const request: BidImportRequest = { exerciseCode: code, dryRun, fileId, name: file.name, format: file.format, size: file.content.length };
      return { jobId: await this.jobs.enqueue(BID_IMPORT_JOB, request, { stateCode: null, manager: m }) };
    });
  }

  async requestEvaluation(code: string, asOf: string | undefined): Promise<{ jobId: string }> {
    await requireExercise(this.dataSource.manager, code);
    const request: TenderEvaluationRequest = { exerciseCode: code, asOf: asOf ?? today() };
    return { jobId: await this.jobs.enqueue(TENDER_EVALUATION_JOB, request, { stateCode: null }) };
  }

  /** Counts by outcome, as the published results give them. */
  async outcomes(code: string) {
    await requireExercise(this.dataSource.manager, code);
    const [e] = await this.dataSource.query<{ as_of: Date; window_from: Date; window_to: Date; evaluated_at: Date }[]>(
      `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, to_char(window_from, 'YYYY-MM-DD') AS window_from, to_char(window_to, 'YYYY-MM-DD') AS window_to, evaluated_at
         FROM tender_evaluation WHERE exercise_code = $1`,
      [code],
    );
    if (!e) throw new DomainError('NOT_EVALUATED', `The tender of ${code} has not been evaluated yet: POST /api/procurement/exercises/${code}/tender/evaluate`, 409);
    const rows = await this.dataSource.query<{ outcome: string; n: number }[]>(
      `SELECT outcome, count(*)::int AS n FROM clave_outcome WHERE exercise_code = $1 GROUP BY outcome`,
      [code],
    );
    const n = (o: string) => rows.find((r) => r.outcome === o)?.n ?? 0;
    return {
      exerciseCode: code,
      claves: n('AWARDED') + n('DESERTED') + n('NOT_SOLVENT'),
      awarded: n('AWARDED'),
      deserted: n('DESERTED'),
      notSolvent: n('NOT_SOLVENT'),
      asOf: e.as_of,
      complianceWindow: { from: e.window_from, to: e.window_to },
      evaluatedAt: e.evaluated_at,
    };
  }

  /** Each clave's outcome with its award(s), paginated. */
  async claveOutcomes(code: string, q: ListOutcomesQuery) {
    await requireExercise(this.dataSource.manager, code);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `exercise_code = $1 AND ($2::text IS NULL OR outcome = $2) AND ($3::text IS NULL OR clave = $3)`;
    const params = [code, q.outcome ?? null, q.clave ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM clave_outcome WHERE ${where}`, params);
    const rows = await this.dataSource.query<
      { clave: string; outcome: string; reference_price: string | null; bids: number; solvent_bids: number; evaluated_at: Date; awards: AwardJson[] }[]
    >(
      `SELECT o.clave, o.outcome, o.reference_price, o.bids, o.solvent_bids, o.evaluated_at,
              coalesce((SELECT json_agg(json_build_object('id', a.id, 'supplierRfc', a.supplier_rfc, 'bidId', a.bid_id, 'unitPrice', a.unit_price,
                                                          'sharePct', a.share_pct, 'min', a.min, 'max', a.max) ORDER BY a.rank)
                          FROM award a WHERE a.exercise_code = o.exercise_code AND a.clave = o.clave), '[]') AS awards
         FROM clave_outcome o WHERE ${where} ORDER BY o.clave LIMIT $4 OFFSET $5`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const items = rows.map((r) => ({
      clave: r.clave,
      outcome: r.outcome,
      referencePrice: num(r.reference_price),
      bids: r.bids,
      solventBids: r.solvent_bids,
      evaluatedAt: r.evaluated_at,
      awards: r.awards.map((a) => ({ ...a, unitPrice: Number(a.unitPrice), sharePct: Number(a.sharePct), min: Number(a.min), max: Number(a.max) })),
    }));
    return { items, total, page, pageSize };
  }

  /** Records monthly delivery figures of suppliers from before the system existed (replacing a month given again). */
  async setComplianceHistory(items: ComplianceHistoryItem[]) {
    const seen = new Set<string>();
    for (const i of items) {
      if (i.piecesOnTime > i.piecesDue) {
        throw new DomainError('BAD_COMPLIANCE', `${i.supplierRfc} ${i.month}: piecesOnTime (${i.piecesOnTime}) cannot exceed piecesDue (${i.piecesDue})`, 400);
      }
      const key = `${i.supplierRfc} ${i.month}`;
      if (seen.has(key)) throw new DomainError('DUPLICATE_MONTH', `${key} appears twice; give one figure per supplier and month`, 400);
      seen.add(key);
    }
    return this.dataSource.transaction(async (m) => {
      await m.query(
        `INSERT INTO supplier_compliance_history (supplier_rfc, month, pieces_due, pieces_on_time, recorded_by)
         SELECT r, (mo || '-01')::date, d, o, $5 FROM unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS t(r, mo, d, o)
         ON CONFLICT (supplier_rfc, month) DO UPDATE SET pieces_due = EXCLUDED.pieces_due, pieces_on_time = EXCLUDED.pieces_on_time,
           recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
        [items.map((i) => i.supplierRfc), items.map((i) => i.month), items.map((i) => i.piecesDue), items.map((i) => i.piecesOnTime), actor()],
      );
      await recordAudit(m, {
        action: 'supplier-compliance-history.recorded',
        entity: 'SupplierComplianceHistory',
        entityId: [...new Set(items.map((i) => i.supplierRfc))].slice(0, 20).join(','),
        after: { items: items.slice(0, 1000) },
      });
      return { recorded: items.length };
    });
  }

  /** A supplier's record in the months before `asOf`, as a tender evaluation on that date would see it. */
  async supplierCompliance(rfc: string, asOf: string | undefined, months: number | undefined) {
    const window = complianceWindow(asOf ?? today(), months ?? 6);
    const record = (await supplierRecords(this.dataSource.manager, [rfc], window)).get(rfc);
    const zero = { piecesDue: 0, piecesOnTime: 0 };
    return {
      supplierRfc: rfc,
      window,
      system: record?.system ?? zero,
      imported: record?.imported ?? zero,
      piecesDue: record?.piecesDue ?? 0,
      piecesOnTime: record?.piecesOnTime ?? 0,
      compliance: complianceShare(record),
    };
  }

  private async requireOpen(m: EntityManager, code: string) {
    if (await tenderClosed(m, code)) {
      throw new DomainError('TENDER_CLOSED', `Contracts were already opened from the award of ${code}; its bids can no longer change`, 409);
    }
  }

  private async requireDemand(m: EntityManager, code: string, claves: string[]) {
    const rows = await m.query<{ clave: string }[]>(`SELECT DISTINCT clave FROM demand_line WHERE exercise_code = $1 AND clave = ANY($2)`, [code, claves]);
    const known = new Set(rows.map((r) => r.clave));
    const missing = claves.filter((c) => !known.has(c));
    if (missing.length) {
      throw new DomainError(
        'CLAVE_NOT_IN_DEMAND',
        `${missing.length === 1 ? 'Clave' : 'Claves'} ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? '…' : ''} ${missing.length === 1 ? 'is' : 'are'} not in the demand of ${code}; import the demand first`,
        404,
        { missing: missing.slice(0, 100) },
      );
    }
  }
}

interface AwardJson {
  id: string;
  supplierRfc: string;
  bidId: string;
  unitPrice: number | string;
  sharePct: number | string;
  min: number | string;
  max: number | string;
}

export interface BidValues {
  supplierRfc: string;
  clave: string;
  unitPrice: number | null;
  offeredQuantity: number | null;
}

/**
 * Inserts new bids and replaces changed ones (a changed bid is submitted anew: its time is now
 * and its verdict is cleared until the next evaluation). Unchanged bids are left as they are.
 */
export async function upsertBids(m: EntityManager, code: string, bids: BidValues[], source: string, dryRun = false) {
  const existing = await m.query<BidRow[]>(
    `SELECT b.* FROM bid b JOIN unnest($2::text[], $3::text[]) AS k(clave, rfc) ON b.clave = k.clave AND b.supplier_rfc = k.rfc WHERE b.exercise_code = $1`,
    [code, bids.map((b) => b.clave), bids.map((b) => b.supplierRfc)],
  );
  const byKey = new Map(existing.map((r) => [`${r.clave} ${r.supplier_rfc}`, r]));
  const inserted: BidValues[] = [];
  const updated: BidValues[] = [];
  const before: unknown[] = [];
  for (const b of bids) {
    const old = byKey.get(`${b.clave} ${b.supplierRfc}`);
    if (!old) inserted.push(b);
    else if (num(old.unit_price) !== b.unitPrice || num(old.offered_quantity) !== b.offeredQuantity) {
      updated.push(b);
      before.push({ unitPrice: num(old.unit_price), offeredQuantity: num(old.offered_quantity), submittedAt: old.submitted_at });
    }
  }
  const changed = [...inserted, ...updated];
  if (!dryRun && changed.length) {
    await m.query(
      `INSERT INTO bid (id, exercise_code, clave, supplier_rfc, unit_price, offered_quantity, source, submitted_at)
       SELECT gen_random_uuid(), $1, c, r, p, q, $6, clock_timestamp() FROM unnest($2::text[], $3::text[], $4::numeric[], $5::bigint[]) AS t(c, r, p, q)
       ON CONFLICT (exercise_code, clave, supplier_rfc) DO UPDATE SET unit_price = EXCLUDED.unit_price, offered_quantity = EXCLUDED.offered_quantity,
         source = EXCLUDED.source, submitted_at = clock_timestamp(), solvent = NULL, reasons = NULL, evaluated_at = NULL`,
      [code, changed.map((b) => b.clave), changed.map((b) => b.supplierRfc), changed.map((b) => b.unitPrice), changed.map((b) => b.offeredQuantity), source],
    );
  }
  return { inserted, updated, unchanged: bids.length - changed.length, before };
}
