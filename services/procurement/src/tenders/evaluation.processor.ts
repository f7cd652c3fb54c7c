import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { AwardIssued, ClaveDeserted } from '@imb/contracts';
import { JobContext, JobProcessorRegistry, UnrecoverableError } from '@imb/jobs';
import { publishEvents } from '@imb/messaging';
import { complianceWindow } from './compliance-window';
import { BidInput, ClaveDemand, ClaveResult, evaluateTender, Outcome } from './evaluate';
import { supplierRecords } from './supplier-record';
import { loadTerms } from './tender-terms';

/** Job kind of a tender's evaluation. */
export const TENDER_EVALUATION_JOB = 'procurement.tender-evaluation';

export interface TenderEvaluationRequest {
  exerciseCode: string;
  /** YYYY-MM-DD. */
  asOf: string;
}

export interface TenderEvaluationResult {
  exerciseCode: string;
  asOf: string;
  claves: number;
  awarded: number;
  deserted: number;
  notSolvent: number;
  bids: number;
  solventBids: number;
  /** Claves whose outcome or award changed (and had their event emitted) in this run. */
  changedClaves: number;
  /** Bids whose verdict changed in this run. */
  changedBids: number;
}

interface StoredOutcome {
  clave: string;
  outcome: Outcome;
  reference_price: string | null;
  bids: number;
  solvent_bids: number;
  awards: { supplierRfc: string; bidId: string; unitPrice: number; sharePct: number; min: number; max: number }[];
}

/** What makes two results of one clave the same: nothing else is compared. */
const signature = (r: Pick<ClaveResult, 'outcome' | 'referencePrice' | 'bids' | 'solventBids' | 'awards'>) =>
  JSON.stringify([
    r.outcome,
    r.referencePrice,
    r.bids,
    r.solventBids,
    r.awards.map((a) => [a.supplierRfc, a.bidId, Number(a.unitPrice), Number(a.sharePct), Number(a.min), Number(a.max)]),
  ]);

/**
 * Evaluates an exercise's tender: reads its demand (national MIN/MAX per clave over every
 * institution), reference prices, bids and the bidders' delivery records, judges every bid and
 * decides every clave (./evaluate.ts). Only what changed is written: bid verdicts that differ,
 * claves whose outcome or award differs (each with its award-issued or clave-deserted event),
 * one audit record and the evaluation's counts — all in one transaction. Running it again on the
 * same inputs writes and emits nothing. Once contracts are opened from the award, a re-evaluation
 * that would change an award fails (AWARD_FINAL) and changes nothing.
 */
@Injectable()
export class TenderEvaluationProcessor implements OnModuleInit {
  private readonly logger = new Logger(TenderEvaluationProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register<TenderEvaluationRequest, TenderEvaluationResult, null>({ kind: TENDER_EVALUATION_JOB, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext<TenderEvaluationRequest, null>): Promise<TenderEvaluationResult> {
    const { exerciseCode: code, asOf } = ctx.request;
    const result = await this.dataSource.transaction(async (m) => {
      // One evaluation of an exercise at a time; a second waits and then finds nothing to change.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('procurement.tender-evaluation'), hashtext($1))`, [code]);
      const [exercise] = await m.query<{ code: string }[]>(`SELECT code FROM exercise WHERE code = $1`, [code]);
      if (!exercise) throw new UnrecoverableError(`EXERCISE_NOT_FOUND: no exercise ${code}`);
      const terms = await loadTerms(m, code);
      const window = complianceWindow(asOf, terms.complianceMonths);
      const demand = await this.demand(m, code);
      if (!demand.length) throw new UnrecoverableError(`NO_DEMAND: exercise ${code} has no demand yet; import its demand annex first`);
      const bids = await this.bids(m, code);
      await ctx.progress(0, demand.length);
      const records = await supplierRecords(m, [...new Set(bids.map((b) => b.supplierRfc))], window);
      const evaluation = evaluateTender(demand, bids, records, {
        awardShares: terms.awardShares,
        complianceThreshold: terms.complianceThreshold,
        windowLabel: window.label,
      });

      const stored = new Map((await this.storedOutcomes(m, code)).map((s) => [s.clave, s]));
      const changed = evaluation.claves.filter((c) => {
        const s = stored.get(c.clave);
        return !s || signature({ ...s, referencePrice: s.reference_price === null ? null : Number(s.reference_price), solventBids: s.solvent_bids }) !== signature(c);
      });
      const gone = [...stored.keys()].filter((clave) => !demand.some((d) => d.clave === clave));
      const contracted = await this.contractedClaves(m, code);
      const blocked = [...changed.map((c) => c.clave), ...gone].filter((clave) => contracted.has(clave));
      if (blocked.length) {
        throw new UnrecoverableError(
          `AWARD_FINAL: contracts are open for ${blocked.slice(0, 10).join(', ')}${blocked.length > 10 ? '…' : ''} of ${code}, and this evaluation would change their award; nothing was changed`,
        );
      }

      const storedVerdicts = await m.query<{ id: string; solvent: boolean | null; reasons: unknown }[]>(
        `SELECT id, solvent, reasons FROM bid WHERE exercise_code = $1`,
        [code],
      );
      const before = new Map(storedVerdicts.map((v) => [v.id, JSON.stringify([v.solvent, v.reasons])]));
      const changedBids = evaluation.bids.filter((v) => before.get(v.id) !== JSON.stringify([v.solvent, v.reasons]));
      const evaluatedAt = new Date().toISOString();
      if (changedBids.length) {
        await m.query(
          `UPDATE bid b SET solvent = v.solvent, reasons = v.reasons, evaluated_at = $2
             FROM unnest($1::uuid[], $3::boolean[], $4::jsonb[]) AS v(id, solvent, reasons) WHERE b.id = v.id`,
          [changedBids.map((v) => v.id), evaluatedAt, changedBids.map((v) => v.solvent), changedBids.map((v) => JSON.stringify(v.reasons))],
        );
      }
      if (gone.length) await m.query(`DELETE FROM clave_outcome WHERE exercise_code = $1 AND clave = ANY($2)`, [code, gone]);
      if (changed.length) await this.store(m, code, changed, evaluatedAt);
      await ctx.heartbeat();

      const counts = evaluation.counts;
      const summary = {
        exerciseCode: code,
        asOf,
        claves: evaluation.claves.length,
        awarded: counts.AWARDED,
        deserted: counts.DESERTED,
        notSolvent: counts.NOT_SOLVENT,
        bids: evaluation.bids.length,
        solventBids: evaluation.bids.filter((b) => b.solvent).length,
        changedClaves: changed.length + gone.length,
        changedBids: changedBids.length,
      };
      const [previous] = await m.query<{ awarded: number; deserted: number; not_solvent: number; as_of: string }[]>(
        `SELECT awarded, deserted, not_solvent, to_char(as_of, 'YYYY-MM-DD') AS as_of FROM tender_evaluation WHERE exercise_code = $1`,
        [code],
      );
      if (!previous || changed.length || gone.length || changedBids.length) {
        await m.query(
          `INSERT INTO tender_evaluation (exercise_code, as_of, window_from, window_to, awarded, deserted, not_solvent, evaluated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (exercise_code) DO UPDATE SET as_of = EXCLUDED.as_of, window_from = EXCLUDED.window_from, window_to = EXCLUDED.window_to,
             awarded = EXCLUDED.awarded, deserted = EXCLUDED.deserted, not_solvent = EXCLUDED.not_solvent, evaluated_at = EXCLUDED.evaluated_at`,
          [code, asOf, window.from, window.to, counts.AWARDED, counts.DESERTED, counts.NOT_SOLVENT, evaluatedAt],
        );
        await recordAudit(m, {
          action: 'tender.evaluated',
          entity: 'Tender',
          entityId: code,
          before: previous ? { awarded: previous.awarded, deserted: previous.deserted, notSolvent: previous.not_solvent, asOf: previous.as_of } : null,
          after: {
            ...summary,
            complianceWindow: window,
            awardShares: terms.awardShares,
            changed: changed.slice(0, 1000).map((c) => ({ clave: c.clave, outcome: c.outcome, awards: c.awards.map((a) => [a.supplierRfc, a.unitPrice, a.sharePct]) })),
            removed: gone.slice(0, 1000),
          },
          reason: `tender evaluation as of ${asOf}`,
        });
      }
      await ctx.progress(demand.length, demand.length);
      return summary;
    });
    this.logger.log(
      `${TENDER_EVALUATION_JOB} ${code}: ${result.claves} claves, ${result.awarded} awarded, ${result.deserted} deserted, ${result.notSolvent} not solvent; ${result.changedClaves} changed`,
    );
    return result;
  }

  private async demand(m: EntityManager, code: string): Promise<ClaveDemand[]> {
    const rows = await m.query<{ clave: string; min: string; max: string; price: string | null }[]>(
      `SELECT d.clave, sum(d.min) AS min, sum(d.max) AS max, p.price
         FROM demand_line d LEFT JOIN reference_price p ON p.exercise_code = d.exercise_code AND p.clave = d.clave
        WHERE d.exercise_code = $1 GROUP BY d.clave, p.price`,
      [code],
    );
    return rows.map((r) => ({ clave: r.clave, min: Number(r.min), max: Number(r.max), referencePrice: r.price === null ? null : Number(r.price) }));
  }

  private async bids(m: EntityManager, code: string): Promise<BidInput[]> {
    const rows = await m.query<{ id: string; supplier_rfc: string; clave: string; unit_price: string | null; offered_quantity: string | null; submitted_at: Date }[]>(
      `SELECT id, supplier_rfc, clave, unit_price, offered_quantity, submitted_at FROM bid WHERE exercise_code = $1`,
      [code],
    );
    return rows.map((r) => ({
      id: r.id,
      supplierRfc: r.supplier_rfc,
      clave: r.clave,
      unitPrice: r.unit_price === null ? null : Number(r.unit_price),
      offeredQuantity: r.offered_quantity === null ? null : Number(r.offered_quantity),
      submittedAt: new Date(r.submitted_at),
    }));
  }

  private async storedOutcomes(m: EntityManager, code: string): Promise<StoredOutcome[]> {
    return m.query<StoredOutcome[]>(
      `SELECT o.clave, o.outcome, o.reference_price, o.bids, o.solvent_bids,
              coalesce((SELECT json_agg(json_build_object('supplierRfc', a.supplier_rfc, 'bidId', a.bid_id, 'unitPrice', a.unit_price,
                                                          'sharePct', a.share_pct, 'min', a.min, 'max', a.max) ORDER BY a.rank)
                          FROM award a WHERE a.exercise_code = o.exercise_code AND a.clave = o.clave), '[]') AS awards
         FROM clave_outcome o WHERE o.exercise_code = $1`,
      [code],
    );
  }

  private async contractedClaves(m: EntityManager, code: string): Promise<Set<string>> {
    const rows = await m.query<{ clave: string }[]>(`SELECT DISTINCT clave FROM contract WHERE exercise_code = $1`, [code]);
    return new Set(rows.map((r) => r.clave));
  }

  /** Writes the changed claves' outcomes and awards, and emits one event per clave. */
  private async store(m: EntityManager, code: string, changed: ClaveResult[], evaluatedAt: string): Promise<void> {
    const claves = changed.map((c) => c.clave);
    await m.query(`DELETE FROM award WHERE exercise_code = $1 AND clave = ANY($2)`, [code, claves]);
    await m.query(
      `INSERT INTO clave_outcome (exercise_code, clave, outcome, reference_price, bids, solvent_bids, evaluated_at)
       SELECT $1, * , $7 FROM unnest($2::text[], $3::text[], $4::numeric[], $5::int[], $6::int[])
       ON CONFLICT (exercise_code, clave) DO UPDATE SET outcome = EXCLUDED.outcome, reference_price = EXCLUDED.reference_price,
         bids = EXCLUDED.bids, solvent_bids = EXCLUDED.solvent_bids, evaluated_at = EXCLUDED.evaluated_at`,
      [code, claves, changed.map((c) => c.outcome), changed.map((c) => c.referencePrice), changed.map((c) => c.bids), changed.map((c) => c.solventBids), evaluatedAt],
    );
    const awards = changed.flatMap((c) => c.awards.map((a, rank) => ({ ...a, clave: c.clave, rank, id: randomUUID() })));
    if (awards.length) {
      await m.query(
        `INSERT INTO award (id, exercise_code, clave, supplier_rfc, bid_id, unit_price, share_pct, min, max, rank)
         SELECT a.id, $1, a.clave, a.rfc, a.bid, a.price, a.share, a.min, a.max, a.rank
           FROM unnest($2::uuid[], $3::text[], $4::text[], $5::uuid[], $6::numeric[], $7::numeric[], $8::bigint[], $9::bigint[], $10::int[])
             AS a(id, clave, rfc, bid, price, share, min, max, rank)`,
        [
          code,
          awards.map((a) => a.id),
          awards.map((a) => a.clave),
          awards.map((a) => a.supplierRfc),
          awards.map((a) => a.bidId),
          awards.map((a) => a.unitPrice),
          awards.map((a) => a.sharePct),
          awards.map((a) => a.min),
          awards.map((a) => a.max),
          awards.map((a) => a.rank),
        ],
      );
    }
    const awarded = changed.filter((c) => c.outcome === 'AWARDED');
    const unawarded = changed.filter((c): c is ClaveResult & { outcome: 'DESERTED' | 'NOT_SOLVENT' } => c.outcome !== 'AWARDED');
    await publishEvents(
      m,
      AwardIssued,
      awarded.map((c) => ({
        exerciseCode: code,
        clave: c.clave,
        referencePrice: c.referencePrice!,
        bids: c.bids,
        solventBids: c.solventBids,
        suppliers: c.awards.map((a) => ({ supplierRfc: a.supplierRfc, bidId: a.bidId, unitPrice: a.unitPrice, sharePct: a.sharePct, min: a.min, max: a.max })),
        evaluatedAt,
      })),
    );
    await publishEvents(
      m,
      ClaveDeserted,
      unawarded.map((c) => ({ exerciseCode: code, clave: c.clave, outcome: c.outcome, bids: c.bids, evaluatedAt })),
    );
  }
}
