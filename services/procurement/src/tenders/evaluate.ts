import { splitProportionally } from '../supply/split';

/**
 * The evaluation of a tender (DOMAIN.md §3): each bid is solvent or not, with reasons; each clave
 * of the exercise's demand ends awarded, deserted (no bids) or not solvent (bids, none solvent).
 *
 * A bid is not solvent when:
 * - MISSING_DATA: it lacks its unit price or offered quantity, or the clave has no reference price;
 * - OVER_REFERENCE_PRICE: its unit price is above the clave's reference price;
 * - LOW_COMPLIANCE: its supplier delivered on time less than the threshold (50 %) of the pieces
 *   due in the prior months. A supplier with no pieces due in that window has no record and is
 *   not refused for it.
 *
 * Award (our rule, configurable per exercise as `awardShares`): the solvent bids are ranked by
 * unit price, then by when they were submitted, then by RFC; with shares [100] the lowest takes
 * the clave; with [60, 40] the two lowest split it 60/40 (one solvent bid takes it all, the
 * shares of the suppliers present are re-weighted). Quantities are the clave's MIN/MAX split by
 * the shares with largest remainders, so the parts sum exactly to the clave's MIN and MAX.
 */

export type Outcome = 'AWARDED' | 'DESERTED' | 'NOT_SOLVENT';
export type ReasonCode = 'MISSING_DATA' | 'OVER_REFERENCE_PRICE' | 'LOW_COMPLIANCE';

export interface Reason {
  code: ReasonCode;
  message: string;
}

export interface BidInput {
  id: string;
  supplierRfc: string;
  clave: string;
  unitPrice: number | null;
  offeredQuantity: number | null;
  submittedAt: Date;
}

export interface ClaveDemand {
  clave: string;
  min: number;
  max: number;
  referencePrice: number | null;
}

/** A supplier's delivery record in the evaluation window. */
export interface ComplianceRecord {
  piecesDue: number;
  piecesOnTime: number;
}

export interface TenderRule {
  /** Percentages of the lowest solvent suppliers, summing to 100: [100] or e.g. [60, 40]. */
  awardShares: number[];
  /** Minimum on-time share, e.g. 0.5. */
  complianceThreshold: number;
  /** Text of the window for messages, e.g. "2026-09 to 2027-02". */
  windowLabel: string;
}

export interface BidVerdict {
  id: string;
  solvent: boolean;
  reasons: Reason[];
}

export interface AwardShare {
  supplierRfc: string;
  bidId: string;
  unitPrice: number;
  sharePct: number;
  min: number;
  max: number;
}

export interface ClaveResult {
  clave: string;
  outcome: Outcome;
  referencePrice: number | null;
  bids: number;
  solventBids: number;
  awards: AwardShare[];
}

export interface TenderEvaluation {
  bids: BidVerdict[];
  claves: ClaveResult[];
  counts: Record<Outcome, number>;
}

/** Ten-thousandths of a peso: prices are compared as integers. */
const units = (price: number) => Math.round(price * 10_000);
const pct = (share: number) => `${(share * 100).toFixed(1)} %`;

/** The on-time share of a record, or null when nothing was due. */
export function complianceShare(r: ComplianceRecord | undefined): number | null {
  return r && r.piecesDue > 0 ? r.piecesOnTime / r.piecesDue : null;
}

export function judgeBid(bid: BidInput, referencePrice: number | null, record: ComplianceRecord | undefined, rule: TenderRule): BidVerdict {
  const reasons: Reason[] = [];
  const missing = [
    bid.unitPrice === null ? 'unit price' : null,
    bid.offeredQuantity === null ? 'offered quantity' : null,
    referencePrice === null ? `reference price of clave ${bid.clave}` : null,
  ].filter((x): x is string => x !== null);
  if (missing.length) reasons.push({ code: 'MISSING_DATA', message: `missing ${missing.join(', ')}` });
  if (bid.unitPrice !== null && referencePrice !== null && units(bid.unitPrice) > units(referencePrice)) {
    reasons.push({ code: 'OVER_REFERENCE_PRICE', message: `unit price ${bid.unitPrice} is above the reference price ${referencePrice}` });
  }
  const share = complianceShare(record);
  if (share !== null && share < rule.complianceThreshold) {
    reasons.push({
      code: 'LOW_COMPLIANCE',
      message: `supplier ${bid.supplierRfc} delivered ${pct(share)} of its pieces on time (${record!.piecesOnTime} of ${record!.piecesDue}) in ${rule.windowLabel}; at least ${pct(rule.complianceThreshold)} is required`,
    });
  }
  return { id: bid.id, solvent: reasons.length === 0, reasons };
}

/** Solvent bids, best first: unit price, then submission time, then RFC (a stable, explainable order). */
function rank(a: BidInput, b: BidInput): number {
  return units(a.unitPrice!) - units(b.unitPrice!) || a.submittedAt.getTime() - b.submittedAt.getTime() || a.supplierRfc.localeCompare(b.supplierRfc);
}

export function evaluateTender(
  demand: readonly ClaveDemand[],
  bids: readonly BidInput[],
  compliance: ReadonlyMap<string, ComplianceRecord>,
  rule: TenderRule,
): TenderEvaluation {
  const shares = rule.awardShares;
  if (!shares.length || shares.some((s) => !Number.isInteger(s) || s <= 0) || shares.reduce((a, b) => a + b, 0) !== 100) {
    throw new RangeError(`awardShares must be whole percentages above 0 summing to 100, got [${shares.join(', ')}]`);
  }
  const byClave = new Map<string, BidInput[]>();
  for (const b of bids) byClave.set(b.clave, [...(byClave.get(b.clave) ?? []), b]);
  const verdicts: BidVerdict[] = [];
  const claves: ClaveResult[] = [];
  const counts: Record<Outcome, number> = { AWARDED: 0, DESERTED: 0, NOT_SOLVENT: 0 };
  for (const d of [...demand].sort((a, b) => a.clave.localeCompare(b.clave))) {
    const offered = byClave.get(d.clave) ?? [];
    const judged = offered.map((b) => ({ bid: b, verdict: judgeBid(b, d.referencePrice, compliance.get(b.supplierRfc), rule) }));
    verdicts.push(...judged.map((j) => j.verdict));
    const solvent = judged.filter((j) => j.verdict.solvent).map((j) => j.bid);
    const outcome: Outcome = offered.length === 0 ? 'DESERTED' : solvent.length === 0 ? 'NOT_SOLVENT' : 'AWARDED';
    counts[outcome] += 1;
    const winners: BidInput[] = [];
    for (const b of [...solvent].sort(rank)) {
      if (winners.length === shares.length) break;
      if (!winners.some((w) => w.supplierRfc === b.supplierRfc)) winners.push(b);
    }
    const weights = shares.slice(0, winners.length);
    const minParts = winners.length ? splitProportionally(d.min, weights) : [];
    const maxParts = winners.length ? splitProportionally(d.max, weights) : [];
    const weightSum = weights.reduce((a, b) => a + b, 0);
    claves.push({
      clave: d.clave,
      outcome,
      referencePrice: d.referencePrice,
      bids: offered.length,
      solventBids: solvent.length,
      awards: winners.map((w, i) => ({
        supplierRfc: w.supplierRfc,
        bidId: w.id,
        unitPrice: w.unitPrice!,
        sharePct: Math.round((weights[i] * 10_000) / weightSum) / 100,
        min: minParts[i],
        max: maxParts[i],
      })),
    });
  }
  return { bids: verdicts, claves, counts };
}
