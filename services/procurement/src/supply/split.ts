/**
 * Splits `total` whole pieces in proportion to `weights` by the largest-remainder method
 * (Hamilton): each part gets the floor of its exact quota, and the pieces left over go one each
 * to the parts with the largest remainders (ties: larger weight, then earlier position). The
 * parts are never negative and sum to exactly `total`, and a larger weight never gets fewer
 * pieces. Computed in BigInt so that quantities × weights of millions stay exact.
 */
export function splitProportionally(total: number, weights: readonly number[]): number[] {
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`total must be a whole number ≥ 0, got ${total}`);
  if (weights.some((w) => !Number.isSafeInteger(w) || w < 0)) throw new RangeError('weights must be whole numbers ≥ 0');
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) {
    if (total === 0) return weights.map(() => 0);
    throw new RangeError('weights must not all be zero when there is something to split');
  }
  const t = BigInt(total);
  const parts = weights.map((w, index) => {
    const exact = t * BigInt(w);
    return { index, weight: w, floor: exact / sum, remainder: exact % sum };
  });
  let left = t - parts.reduce((s, p) => s + p.floor, 0n);
  const byRemainder = [...parts].sort((a, b) =>
    a.remainder !== b.remainder ? (b.remainder > a.remainder ? 1 : -1) : b.weight !== a.weight ? b.weight - a.weight : a.index - b.index,
  );
  const out = parts.map((p) => p.floor);
  for (const p of byRemainder) {
    if (left === 0n) break;
    out[p.index] += 1n;
    left -= 1n;
  }
  return out.map(Number);
}
