import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, ok } from '../api/client';
import { csvFile } from './csv';
import type { JobRowError, JobsPage, JobView, Page } from './job-types';
import { ERRORS_PAGE_SIZE, JOBS_PAGE_SIZE, type JobsSearch } from './jobs-search';

// The document gives these routes no response schema (see job-types.ts): `ok` is asked for
// `unknown` and the answer is read as the shape the services send.

/** One page of the merged listing, newest first; the previous page stays on screen while the next loads. */
export function useJobsPage(search: JobsSearch) {
  return useQuery({
    queryKey: ['jobs', 'list', search.kind, search.status, search.page],
    queryFn: async () =>
      (await ok<unknown>(
        api.GET('/api/jobs', {
          params: {
            query: { kind: search.kind, status: search.status, page: search.page, pageSize: JOBS_PAGE_SIZE },
          },
        }),
      )) as JobsPage,
    placeholderData: keepPreviousData,
    staleTime: 0,
  });
}

/** One job in full (`GET /api/jobs/{id}`, answered by its service). */
export function useJob(id: string) {
  return useQuery({
    queryKey: ['jobs', 'job', id],
    queryFn: async () =>
      (await ok<unknown>(api.GET('/api/jobs/{id}', { params: { path: { id } } }))) as JobView,
    staleTime: 0,
  });
}

const errorsPage = async (id: string, page: number, pageSize: number) =>
  (await ok<unknown>(
    api.GET('/api/jobs/{id}/errors', { params: { path: { id }, query: { page, pageSize } } }),
  )) as Page<JobRowError>;

/** One page of a job's row errors, in row order. */
export function useJobErrors(id: string, page: number, enabled: boolean) {
  return useQuery({
    queryKey: ['jobs', 'errors', id, page],
    enabled,
    queryFn: () => errorsPage(id, page, ERRORS_PAGE_SIZE),
    placeholderData: keepPreviousData,
  });
}

const DOWNLOAD_PAGE_SIZE = 1000;

/** Every row error of a job, as the CSV the browser saves (`<id>-errors.csv`). */
export async function downloadErrors(id: string): Promise<void> {
  const records: (string | number)[][] = [['row', 'field', 'message']];
  for (let page = 1; ; page++) {
    const chunk = await errorsPage(id, page, DOWNLOAD_PAGE_SIZE);
    for (const e of chunk.items) records.push([e.row, e.field, e.message]);
    if (chunk.items.length === 0 || page * DOWNLOAD_PAGE_SIZE >= chunk.total) break;
  }
  const blob = new Blob([csvFile(records)], { type: 'text/csv;charset=utf-8' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${id}-errors.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
