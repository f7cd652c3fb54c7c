import { MAX_PAGE, MAX_PAGE_SIZE } from '@imb/platform';

/** The largest page any jobs listing returns: the platform's, as for every listing. */
export { MAX_PAGE_SIZE };
/** The page size used when a caller gives none. */
export const DEFAULT_PAGE_SIZE = 50;

/** A page request as callers give it: 1-based page, optional size. */
export interface PageRequest {
  page?: number;
  pageSize?: number;
}

/** One page of a listing and the size of the whole listing. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** The rows a page covers, with defaults applied; throws a RangeError naming the bad value. */
export function pageWindow(req: PageRequest = {}): {
  page: number;
  pageSize: number;
  offset: number;
  limit: number;
} {
  const page = req.page ?? 1;
  const pageSize = req.pageSize ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new RangeError(`page must be an integer from 1 to ${MAX_PAGE}, got ${String(req.page)}`);
  }
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new RangeError(
      `pageSize must be an integer from 1 to ${MAX_PAGE_SIZE}, got ${String(req.pageSize)}`,
    );
  }
  return { page, pageSize, offset: (page - 1) * pageSize, limit: pageSize };
}
