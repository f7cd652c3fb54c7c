/**
 * Penas convencionales for late deliveries of one supply order (DOMAIN.md §3). Our rule, kept in
 * each contract's terms (copied from the exercise's tender terms when the contract is opened):
 *
 *   penalty of a late delivery = value of its pieces (pieces × unit price) × rate per day × days late
 *
 * where days late are calendar days (días naturales) from the order's due date to the delivery
 * date. The sum over an order is capped at `capShare` of the order's value (pieces ordered × unit
 * price): 10 % by default, the usual performance guarantee (garantía de cumplimiento), which the
 * procurement regulation sets as the ceiling of penalties. Amounts are computed exactly in
 * integers (centavos); each value and each delivery's penalty is rounded half up to the centavo.
 */
export interface PenaltyTerms {
  unitPrice: number;
  /** Pieces ordered. */
  quantity: number;
  /** YYYY-MM-DD. */
  dueDate: string;
  ratePerDay: number;
  capShare: number;
}

export interface DeliveredPieces {
  deliveryKey: string;
  quantity: number;
  /** YYYY-MM-DD. */
  deliveredOn: string;
}

export interface DeliveryPenalty {
  deliveryKey: string;
  daysLate: number;
  latePieces: number;
  /** MXN. */
  lateValue: number;
  /** MXN, before the order's cap. */
  penalty: number;
}

export interface OrderPenalty {
  orderValue: number;
  latePieces: number;
  /** Sum of the deliveries' penalties before the cap, MXN. */
  uncapped: number;
  /** The ceiling: capShare × order value, MXN. */
  cap: number;
  /** What is charged: min(uncapped, cap), MXN. */
  penalty: number;
  capped: boolean;
  deliveries: DeliveryPenalty[];
}

const DAY_MS = 86_400_000;

/** Calendar days from `due` to `delivered` (0 when on or before the due date). */
export function daysLate(due: string, delivered: string): number {
  const days = Math.round((Date.parse(`${delivered}T00:00:00Z`) - Date.parse(`${due}T00:00:00Z`)) / DAY_MS);
  return Math.max(0, days);
}

/** round(n / d) half up, for n ≥ 0 and d > 0, exactly. */
const divRound = (n: bigint, d: bigint) => (2n * n + d) / (2n * d);

export function orderPenalty(terms: PenaltyTerms, deliveries: readonly DeliveredPieces[]): OrderPenalty {
  // Exact integer arithmetic: prices have 4 decimals, rates 6, the cap share 4 (as stored).
  const price = BigInt(Math.round(terms.unitPrice * 10_000));
  const rate = BigInt(Math.round(terms.ratePerDay * 1_000_000));
  const capShare = BigInt(Math.round(terms.capShare * 10_000));
  const valueCents = (pieces: number) => divRound(BigInt(pieces) * price, 100n);
  const orderValueCents = valueCents(terms.quantity);
  const lines = deliveries.map((d) => {
    const days = daysLate(terms.dueDate, d.deliveredOn);
    const lateCents = days > 0 ? valueCents(d.quantity) : 0n;
    const penaltyCents = divRound(lateCents * rate * BigInt(days), 1_000_000n);
    return { deliveryKey: d.deliveryKey, daysLate: days, latePieces: days > 0 ? d.quantity : 0, lateCents: Number(lateCents), penaltyCents: Number(penaltyCents) };
  });
  const uncappedCents = lines.reduce((s, l) => s + l.penaltyCents, 0);
  const capCents = Number(divRound(orderValueCents * capShare, 10_000n));
  const chargedCents = Math.min(uncappedCents, capCents);
  return {
    orderValue: Number(orderValueCents) / 100,
    latePieces: lines.reduce((s, l) => s + l.latePieces, 0),
    uncapped: uncappedCents / 100,
    cap: capCents / 100,
    penalty: chargedCents / 100,
    capped: uncappedCents > capCents,
    deliveries: lines.map((l) => ({
      deliveryKey: l.deliveryKey,
      daysLate: l.daysLate,
      latePieces: l.latePieces,
      lateValue: l.lateCents / 100,
      penalty: l.penaltyCents / 100,
    })),
  };
}
