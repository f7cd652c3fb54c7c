import fc from 'fast-check';
import { splitProportionally } from './split';

describe('splitProportionally (largest remainder)', () => {
  it('gives the leftover pieces to the largest remainders, by hand', () => {
    // 100 pieces over MAX 500/300/200 → exact quotas 50/30/20.
    expect(splitProportionally(100, [500, 300, 200])).toEqual([50, 30, 20]);
    // 10 over 1/1/1 → 3.33 each; one leftover piece to the first (ties: weight, then position).
    expect(splitProportionally(10, [1, 1, 1])).toEqual([4, 3, 3]);
    // 7 over 5/3/2 → quotas 3.5, 2.1, 1.4 → floors 3/2/1 (6), the leftover to the remainder .5.
    expect(splitProportionally(7, [5, 3, 2])).toEqual([4, 2, 1]);
    // 1000 over 60/40 (the award split) → 600/400.
    expect(splitProportionally(1000, [60, 40])).toEqual([600, 400]);
    // 999 over 60/40 → 599.4 / 399.6 → 599 + 400.
    expect(splitProportionally(999, [60, 40])).toEqual([599, 400]);
    // A state without demand gets nothing.
    expect(splitProportionally(5, [0, 3, 0])).toEqual([0, 5, 0]);
  });

  it('stays exact with quantities and weights in the millions', () => {
    expect(splitProportionally(9_007_199, [3_000_000_001, 3_000_000_001, 3_000_000_001])).toEqual([3_002_400, 3_002_400, 3_002_399]);
  });

  it('refuses what cannot be split', () => {
    expect(() => splitProportionally(3, [0, 0])).toThrow(RangeError);
    expect(() => splitProportionally(-1, [1])).toThrow(RangeError);
    expect(() => splitProportionally(1.5, [1])).toThrow(RangeError);
    expect(() => splitProportionally(1, [-1, 2])).toThrow(RangeError);
    expect(splitProportionally(0, [0, 0])).toEqual([0, 0]);
  });

  const cases = fc
    .tuple(fc.integer({ min: 0, max: 5_000_000 }), fc.array(fc.integer({ min: 0, max: 2_000_000 }), { minLength: 1, maxLength: 32 }))
    .filter(([, w]) => w.some((x) => x > 0));

  it('sums exactly to the total and is never negative', () => {
    fc.assert(
      fc.property(cases, ([total, weights]) => {
        const parts = splitProportionally(total, weights);
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce((s, p) => s + p, 0)).toBe(total);
        for (const p of parts) {
          expect(Number.isInteger(p)).toBe(true);
          expect(p).toBeGreaterThanOrEqual(0);
        }
      }),
    );
  });

  it('is monotone in the share: a larger weight never gets fewer pieces, equal weights differ by at most one', () => {
    fc.assert(
      fc.property(cases, ([total, weights]) => {
        const parts = splitProportionally(total, weights);
        for (let i = 0; i < weights.length; i++) {
          for (let j = 0; j < weights.length; j++) {
            if (weights[i] > weights[j]) expect(parts[i]).toBeGreaterThanOrEqual(parts[j]);
            if (weights[i] === weights[j]) expect(Math.abs(parts[i] - parts[j])).toBeLessThanOrEqual(1);
          }
        }
      }),
    );
  });

  it('stays within one piece of each exact quota', () => {
    fc.assert(
      fc.property(cases, ([total, weights]) => {
        const sum = weights.reduce((s, w) => s + w, 0);
        splitProportionally(total, weights).forEach((p, i) => {
          const quota = (total * weights[i]) / sum;
          expect(p).toBeGreaterThanOrEqual(Math.floor(quota) - 1e-9);
          expect(p).toBeLessThanOrEqual(Math.floor(quota) + 1);
        });
      }),
    );
  });
});
