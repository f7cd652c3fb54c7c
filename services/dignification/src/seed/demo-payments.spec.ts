import { AllocationItem, generatedPlan, publishedPlan } from './demo-payments';

const sum = (values: number[]) => Math.round(values.reduce((s, v) => s + v * 100, 0)) / 100;

function items(amounts: number[]): AllocationItem[] {
  return amounts.map((amount, rank) => ({ id: `a${rank}`, clues: `NTIMB${String(rank).padStart(6, '0')}`, amount, rank }));
}

describe('demo payments', () => {
  it('pays exactly the published amount through exactly the published number of committees', () => {
    const allocations = items([...Array(200).fill(400_000), ...Array(90).fill(600_000), ...Array(20).fill(800_000)]);
    const plan = publishedPlan(allocations, 126_000_000, 280);
    expect(plan.size).toBe(280);
    expect(sum([...plan.values()].flat())).toBe(126_000_000);
    const byId = new Map(allocations.map((a) => [a.id, a.amount]));
    for (const [id, tranches] of plan) {
      expect(sum(tranches)).toBeLessThanOrEqual(byId.get(id)!);
      expect(tranches.every((t) => t > 0)).toBe(true);
    }
  });

  it('keeps cents exact when the amount does not divide evenly', () => {
    const plan = publishedPlan(items([500_000, 500_000, 500_000]), 1_000_000, 3);
    expect(sum([...plan.values()].flat())).toBe(1_000_000);
  });

  it('refuses a figure the allocations cannot hold', () => {
    expect(() => publishedPlan(items([400_000, 400_000]), 1_000_000, 2)).toThrow(/needs 2 allocations holding that much/);
    expect(() => publishedPlan(items([400_000]), 100_000, 2)).toThrow(/the programme has 1/);
  });

  it('pays the generated pattern elsewhere: three in ten in full, four in ten half', () => {
    const plan = generatedPlan(items(Array(10).fill(400_000)));
    expect([...plan.values()].map(sum).sort()).toEqual([200_000, 200_000, 200_000, 200_000, 400_000, 400_000, 400_000]);
  });
});
