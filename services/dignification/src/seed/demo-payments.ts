/**
 * The first tranches the demo pays. Where a state's payments were published, the demo pays
 * exactly that amount through exactly that many committees; elsewhere seven in ten committees got
 * their first half and three in ten the whole amount (generated).
 */

/** Published payments of "La Clínica es Nuestra" the demo reproduces: MXN paid and committees paid. */
export const PUBLISHED_PAYMENTS: Readonly<Record<string, { amount: number; committees: number }>> = {
  '18': { amount: 126_000_000, committees: 280 }, // Nayarit
  '06': { amount: 60_000_000, committees: 118 }, // Colima
};

/** An allocation as the programme lists it. */
export interface AllocationItem {
  id: string;
  clues: string;
  amount: number;
  rank: number;
}

const cents = (mxn: number) => Math.round(mxn * 100);

/** A tranche plan: the payment amounts (MXN) of each allocation, first tranche first. */
export type TranchePlan = Map<string, number[]>;

/** Half of the allocation first, the rest second: how a payment of `paid` is split. */
function split(allocation: number, paid: number): number[] {
  const half = cents(allocation) / 2;
  const first = Math.round(half) / 100;
  return paid <= first ? [paid] : [first, (cents(paid) - cents(first)) / 100];
}

/** The generated pattern: by rank, three in ten paid in full, four in ten their first half. */
export function generatedPlan(items: readonly AllocationItem[]): TranchePlan {
  const plan: TranchePlan = new Map();
  for (const item of items) {
    const share = item.rank % 10 < 3 ? item.amount : item.rank % 10 < 7 ? split(item.amount, item.amount)[0] : 0;
    if (share > 0) plan.set(item.id, split(item.amount, share));
  }
  return plan;
}

/**
 * Pays exactly `amount` through exactly `committees` allocations of one state: the largest
 * allocations are chosen, and the money is spread as evenly as their amounts allow (each gets
 * the same share, or its whole allocation when that is smaller). Throws when they cannot hold it.
 */
export function publishedPlan(items: readonly AllocationItem[], amount: number, committees: number): TranchePlan {
  const chosen = [...items].sort((a, b) => b.amount - a.amount || a.rank - b.rank).slice(0, committees);
  const capacity = chosen.reduce((sum, i) => sum + cents(i.amount), 0);
  if (chosen.length < committees || capacity < cents(amount)) {
    throw new Error(
      `the published MXN ${amount.toLocaleString('en')} through ${committees} committees needs ${committees} allocations holding that much; ` +
        `the programme has ${chosen.length} holding MXN ${(capacity / 100).toLocaleString('en')}`,
    );
  }
  const plan: TranchePlan = new Map();
  let remaining = cents(amount);
  const ascending = [...chosen].reverse();
  ascending.forEach((item, i) => {
    const paid = Math.min(cents(item.amount), Math.floor(remaining / (ascending.length - i)), remaining);
    remaining -= paid;
    plan.set(item.id, split(item.amount, paid / 100));
  });
  return plan;
}
