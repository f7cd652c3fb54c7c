/**
 * The window of a supplier's delivery record looked at in a tender: the `months` whole calendar
 * months before the month of `asOf` (an evaluation on 2027-03-15 with 6 months looks at
 * 2026-09-01 up to, not including, 2027-03-01). Whole months, because the history imported from
 * before the system existed is kept per month.
 */
export interface ComplianceWindow {
  /** First day, YYYY-MM-DD. */
  from: string;
  /** First day after the window, YYYY-MM-DD. */
  to: string;
  /** e.g. "2026-09 to 2027-02". */
  label: string;
}

const ymd = (d: Date) => d.toISOString().slice(0, 10);

export function complianceWindow(asOf: string, months: number): ComplianceWindow {
  const day = new Date(`${asOf}T00:00:00Z`);
  if (Number.isNaN(day.getTime())) throw new RangeError(`asOf must be a date YYYY-MM-DD, got ${asOf}`);
  const to = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), 1));
  const from = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - months, 1));
  const last = new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth() - 1, 1));
  return { from: ymd(from), to: ymd(to), label: `${ymd(from).slice(0, 7)} to ${ymd(last).slice(0, 7)}` };
}
