import { DomainError } from '@imb/platform';

/** The largest page the gateway returns and asks the services for. */
export const MAX_PAGE_SIZE = 1000;
export const DEFAULT_PAGE_SIZE = 50;
/**
 * How deep a merged listing may be paged (page × pageSize): each source must be read up to that
 * depth, so deeper pages should narrow the filters (or ask one service) instead.
 */
export const MAX_MERGED_DEPTH = 10000;

/** The first items of one newest-first listing and the size of the whole listing. */
export interface SourcePage<T> {
  items: T[];
  total: number;
}

/** A page of a listing, as every listing of the platform answers. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  pageSize: number;
}

/** How many items each source must supply for page `page` of size `pageSize` of a merged listing. */
export function mergedDepth(page: number, pageSize: number): number {
  const depth = page * pageSize;
  if (depth > MAX_MERGED_DEPTH) {
    throw new DomainError(
      'PAGE_TOO_DEEP',
      `page × pageSize may be at most ${MAX_MERGED_DEPTH} when several services are merged (got ${depth}); narrow the filters or ask one service`,
      400,
    );
  }
  return depth;
}

/**
 * Page `page` of the union of several newest-first listings, newest first. Each source gives its
 * first `page × pageSize` items (or all it has) and its total; ties keep the sources' order.
 */
export function mergeNewestFirst<T>(
  sources: SourcePage<T>[],
  timeOf: (item: T) => number,
  page: number,
  pageSize: number,
): Page<T> {
  const all = sources.flatMap((s, source) =>
    s.items.map((item, position) => ({ item, source, position, at: timeOf(item) })),
  );
  all.sort((a, b) => b.at - a.at || a.source - b.source || a.position - b.position);
  const offset = (page - 1) * pageSize;
  return {
    items: all.slice(offset, offset + pageSize).map((e) => e.item),
    total: sources.reduce((n, s) => n + s.total, 0),
    page,
    pageSize,
  };
}

/**
 * The first `depth` items of a paged newest-first listing, reading pages of up to
 * {@link MAX_PAGE_SIZE} until it has them or the listing ends.
 */
export async function firstItems<T>(
  fetchPage: (page: number, pageSize: number) => Promise<SourcePage<T>>,
  depth: number,
): Promise<SourcePage<T>> {
  const pageSize = Math.min(Math.max(depth, 1), MAX_PAGE_SIZE);
  const items: T[] = [];
  let total = 0;
  for (let page = 1; ; page++) {
    const answer = await fetchPage(page, pageSize);
    total = answer.total;
    items.push(...answer.items);
    if (items.length >= depth || answer.items.length < pageSize || items.length >= total) break;
  }
  return { items: items.slice(0, depth), total };
}
