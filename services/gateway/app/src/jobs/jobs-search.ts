import { AUDIT_SERVICES, type AuditServiceName } from '../audit/audit-search';
import { JOB_STATUSES, type JobStatus, type JobSummary } from './job-types';

export type JobServiceName = AuditServiceName;
/** The services whose jobs the gateway merges (the same four as the audit logs). */
export const JOB_SERVICES: readonly JobServiceName[] = AUDIT_SERVICES;
export const JOBS_PAGE_SIZE = 25;
export const ERRORS_PAGE_SIZE = 50;

/** The jobs centre's view, all in the URL. */
export interface JobsSearch {
  service?: JobServiceName;
  kind?: string;
  status?: JobStatus;
  /** A state's INEGI code ('01'..'32'). */
  state?: string;
  page: number;
}

const KIND = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const STATE = /^\d{2}$/;

const pageOf = (value: string | null): number => {
  const page = Math.trunc(Number(value));
  return Number.isFinite(page) && page > 1 ? page : 1;
};

export function readJobsSearch(params: URLSearchParams): JobsSearch {
  const search: JobsSearch = { page: pageOf(params.get('page')) };
  const service = params.get('service') ?? '';
  if ((JOB_SERVICES as readonly string[]).includes(service)) search.service = service as JobServiceName;
  const kind = params.get('kind')?.trim() ?? '';
  if (KIND.test(kind)) search.kind = kind;
  const status = params.get('status') ?? '';
  if ((JOB_STATUSES as readonly string[]).includes(status)) search.status = status as JobStatus;
  const state = params.get('state')?.trim() ?? '';
  if (STATE.test(state)) search.state = state;
  return search;
}

export function jobsSearchParams(search: JobsSearch): URLSearchParams {
  const params = new URLSearchParams();
  if (search.service) params.set('service', search.service);
  if (search.kind) params.set('kind', search.kind);
  if (search.status) params.set('status', search.status);
  if (search.state) params.set('state', search.state);
  if (search.page > 1) params.set('page', String(search.page));
  return params;
}

/** The page of the job's row errors (`?errorsPage=`) in the detail's URL. */
export const readErrorsPage = (params: URLSearchParams): number => pageOf(params.get('errorsPage'));

/** The service that owns a job: its id begins with the service's name. */
export const serviceOf = (job: Pick<JobSummary, 'id'>): string => job.id.slice(0, job.id.indexOf('-'));

/**
 * The gateway filters jobs by kind and status; the owning service and the state are narrowed
 * within the page it answers (the merged listing takes neither filter).
 */
export const matchesLocally = (job: JobSummary, search: JobsSearch): boolean =>
  (!search.service || serviceOf(job) === search.service) &&
  (!search.state || job.stateCodes.includes(search.state));
