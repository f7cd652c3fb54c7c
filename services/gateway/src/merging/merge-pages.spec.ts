import { DomainError } from '@imb/platform';
import { firstItems, mergedDepth, mergeNewestFirst, SourcePage } from './merge-pages';

type Row = { id: string; at: number };
const rows = (prefix: string, times: number[]): Row[] => times.map((at, i) => ({ id: `${prefix}${i}`, at }));

describe('mergeNewestFirst', () => {
  const a: SourcePage<Row> = { items: rows('a', [90, 70, 50, 30]), total: 4 };
  const b: SourcePage<Row> = { items: rows('b', [80, 75, 20]), total: 3 };

  it('interleaves the sources newest first and sums their totals', () => {
    const page = mergeNewestFirst([a, b], (r) => r.at, 1, 10);
    expect(page.items.map((r) => r.id)).toEqual(['a0', 'b0', 'b1', 'a1', 'a2', 'a3', 'b2']);
    expect(page).toMatchObject({ total: 7, page: 1, pageSize: 10 });
  });

  it('cuts later pages from the merged order, not from each source', () => {
    expect(mergeNewestFirst([a, b], (r) => r.at, 2, 3).items.map((r) => r.id)).toEqual(['a1', 'a2', 'a3']);
    expect(mergeNewestFirst([a, b], (r) => r.at, 3, 3).items.map((r) => r.id)).toEqual(['b2']);
    expect(mergeNewestFirst([a, b], (r) => r.at, 4, 3).items).toEqual([]);
  });

  it('gives every item exactly once across consecutive pages', () => {
    const seen = [1, 2, 3].flatMap((p) => mergeNewestFirst([a, b], (r) => r.at, p, 3).items.map((r) => r.id));
    expect(new Set(seen).size).toBe(7);
  });

  it('keeps the order of the sources for equal times', () => {
    const page = mergeNewestFirst(
      [
        { items: rows('x', [5, 5]), total: 2 },
        { items: rows('y', [5]), total: 1 },
      ],
      (r) => r.at,
      1,
      5,
    );
    expect(page.items.map((r) => r.id)).toEqual(['x0', 'x1', 'y0']);
  });
});

describe('firstItems', () => {
  const listing = rows(
    'r',
    Array.from({ length: 2500 }, (_, i) => 3000 - i),
  );
  const fetchPage = jest.fn(async (page: number, pageSize: number) => ({
    items: listing.slice((page - 1) * pageSize, page * pageSize),
    total: listing.length,
  }));

  beforeEach(() => fetchPage.mockClear());

  it('reads one page when the depth fits in it', async () => {
    const got = await firstItems(fetchPage, 30);
    expect(got.items).toHaveLength(30);
    expect(got.total).toBe(2500);
    expect(fetchPage).toHaveBeenCalledWith(1, 30);
    expect(fetchPage).toHaveBeenCalledTimes(1);
  });

  it('reads pages of 1000 until the depth is reached', async () => {
    const got = await firstItems(fetchPage, 2100);
    expect(got.items.map((r) => r.id)).toEqual(listing.slice(0, 2100).map((r) => r.id));
    expect(fetchPage.mock.calls).toEqual([
      [1, 1000],
      [2, 1000],
      [3, 1000],
    ]);
  });

  it('stops when the listing ends', async () => {
    const got = await firstItems(async () => ({ items: rows('s', [1, 2]), total: 2 }), 500);
    expect(got).toEqual({ items: rows('s', [1, 2]), total: 2 });
  });
});

describe('mergedDepth', () => {
  it('refuses pages deeper than the merge reads', () => {
    expect(mergedDepth(2, 50)).toBe(100);
    expect(() => mergedDepth(11, 1000)).toThrow(DomainError);
  });
});
