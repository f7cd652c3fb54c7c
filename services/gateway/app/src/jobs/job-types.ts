/**
 * Responses of the jobs routes, typed here because the merged OpenAPI document describes none of
 * them (`GET /api/jobs` has only a description; `/api/jobs/{id}` and `/errors` are each service's
 * @imb/jobs controller, without `@ApiOkResponse({ type })`). Mirrors libs/jobs's JobSummary,
 * JobView and JobRowError as JSON. Remove when the services document them.
 */
export const JOB_STATUSES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];

export interface JobProgress {
  percent: number;
  done: number;
  /** null while unknown. */
  total: number | null;
}

export interface JobSummary {
  /** `<service>-<uuid>`: the owning service names the id. */
  id: string;
  kind: string;
  status: JobStatus;
  progress: JobProgress;
  errorCount: number;
  failureReason: string | null;
  lastError: string | null;
  attempts: number;
  /** The states whose data the job touches; empty for a national job. */
  stateCodes: string[];
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
}

export interface JobRowError {
  row: number;
  field: string;
  message: string;
}

export interface JobView extends JobSummary {
  request: unknown;
  result: unknown;
  /** The first row errors; page the rest with `GET /api/jobs/{id}/errors`. */
  errors: JobRowError[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** `GET /api/jobs`: the merged listing, and the services that could not answer. */
export interface JobsPage extends Page<JobSummary> {
  unavailable: { service: string; reason?: string }[];
}

export const isFinished = (status: JobStatus): boolean => status === 'completed' || status === 'failed';
