import { MAX_PAGE } from '@imb/platform';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, pageWindow } from './pagination';

describe('pageWindow', () => {
  it('applies defaults', () => {
    expect(pageWindow()).toEqual({
      page: 1,
      pageSize: DEFAULT_PAGE_SIZE,
      offset: 0,
      limit: DEFAULT_PAGE_SIZE,
    });
  });

  it('turns a 1-based page into an offset', () => {
    expect(pageWindow({ page: 3, pageSize: 20 })).toEqual({ page: 3, pageSize: 20, offset: 40, limit: 20 });
    expect(pageWindow({ page: 1, pageSize: MAX_PAGE_SIZE })).toMatchObject({ offset: 0, limit: 1000 });
  });

  it('serves the deepest page at an offset that is still a safe integer', () => {
    expect(pageWindow({ page: MAX_PAGE, pageSize: MAX_PAGE_SIZE })).toMatchObject({
      offset: 999_999_000,
      limit: 1000,
    });
  });

  it.each([
    { page: 0 },
    { page: -1 },
    { page: 1.5 },
    { page: Number.NaN },
    { page: MAX_PAGE + 1 },
    { page: 1e308 },
    { page: Infinity },
  ])('refuses page %p', (req) => {
    expect(() => pageWindow(req)).toThrow(/page must be an integer from 1 to 1000000/);
  });

  it.each([{ pageSize: 0 }, { pageSize: 1001 }, { pageSize: 2.5 }])('refuses pageSize %p', (req) => {
    expect(() => pageWindow(req)).toThrow(/pageSize must be an integer from 1 to 1000/);
  });
});
