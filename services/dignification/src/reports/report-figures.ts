import { csvRecord } from '@imb/platform';

/** One scope's (a state's, the country's) figures of a programme. */
export interface ReportFigures {
  unitsFunded: number;
  allocated: number;
  disbursed: number;
  /** Funds delivered as a % of funds allocated, rounded down to one decimal. */
  deliveredPercent: number;
  /** Units that have received all their allocation. */
  unitsFullyPaid: number;
  evidence: number;
  flaggedEvidence: number;
  /** Projects verified and closed. */
  projectsCompleted: number;
  /** Projects completed as a % of the units funded. */
  completedPercent: number;
}

export interface ReportRow {
  stateCode: string;
  unitsFunded: number;
  allocated: number;
  disbursed: number;
  unitsFullyPaid: number;
  evidence: number;
  flaggedEvidence: number;
  projectsCompleted: number;
}

const percentOf = (part: number, whole: number) => (whole <= 0 ? 0 : Math.floor((1000 * part) / whole) / 10);

export function figures(r: Omit<ReportRow, 'stateCode'>): ReportFigures {
  return { ...r, deliveredPercent: percentOf(r.disbursed, r.allocated), completedPercent: percentOf(r.projectsCompleted, r.unitsFunded) };
}

/** The country's figures: sums over the states, the percentage of the sums (not an average of percentages). */
export function national(rows: readonly ReportRow[]): ReportFigures {
  const sum = (k: keyof Omit<ReportRow, 'stateCode'>) => rows.reduce((n, r) => n + r[k], 0);
  return figures({
    unitsFunded: sum('unitsFunded'),
    allocated: sum('allocated'),
    disbursed: sum('disbursed'),
    unitsFullyPaid: sum('unitsFullyPaid'),
    evidence: sum('evidence'),
    flaggedEvidence: sum('flaggedEvidence'),
    projectsCompleted: sum('projectsCompleted'),
  });
}

const CSV_COLUMNS = [
  'stateCode',
  'unitsFunded',
  'allocated',
  'disbursed',
  'deliveredPercent',
  'unitsFullyPaid',
  'projectsCompleted',
  'completedPercent',
  'evidence',
  'flaggedEvidence',
] as const;

/** The report as CSV: one line per state, then the national line. */
export function toCsv(states: readonly (ReportFigures & { stateCode: string })[], total: ReportFigures): string {
  const line = (r: ReportFigures & { stateCode: string }) => csvRecord(CSV_COLUMNS.map((c) => r[c]));
  return [csvRecord(CSV_COLUMNS), ...states.map(line), line({ ...total, stateCode: 'NACIONAL' })].join('\n') + '\n';
}
