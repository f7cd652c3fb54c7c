/** How far a job has come: `done` of `total` units (rows, lines, units); `total` is null while unknown. */
export interface JobProgress {
  percent: number;
  done: number;
  total: number | null;
}

/**
 * Progress from a count of units done and the total, if known. Percent is floored so a job
 * never shows 100 before it is finished; counts are clamped to non-negative integers.
 */
export function progressOf(done: number, total: number | null): JobProgress {
  const d = wholeOrZero(done);
  const t = total === null ? null : wholeOrZero(total);
  const percent = t ? Math.min(100, Math.floor((d * 100) / t)) : 0;
  return { percent, done: d, total: t };
}

/** The progress shown once a job has completed: whatever was counted, at 100 %. */
export function completedProgress(last: JobProgress): JobProgress {
  return { ...last, percent: 100 };
}

function wholeOrZero(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/** Lets a frequent action through at most once per interval (progress and heartbeat writes). */
export class Throttle {
  private last = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** True, and starts a new interval, when the previous pass is at least `intervalMs` old. */
  pass(): boolean {
    const t = this.now();
    if (t - this.last < this.intervalMs) return false;
    this.last = t;
    return true;
  }

  /** Starts a new interval now (after a write made for another reason). */
  reset(): void {
    this.last = this.now();
  }
}
