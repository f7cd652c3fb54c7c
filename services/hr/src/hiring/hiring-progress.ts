import type { Category } from '../post-codes/post-code';

/** The categories the public dashboards report (specialists, GPs, nursing), and the others HR tracks. */
export interface CategoryProgress {
  category: Category;
  target: number;
  filled: number;
  /** filled / target in percent, one decimal; null when no target is set. */
  percent: number | null;
}

/** Percent of a target filled, one decimal; null without a target (0 means nothing to hire, so 100 %). */
export function percentFilled(filled: number, target: number | null): number | null {
  if (target === null) return null;
  if (target === 0) return 100;
  return Math.round((filled / target) * 1000) / 10;
}
