import type { ArgumentMetadata } from '@nestjs/common';
import { toErrorResponse } from '../errors/error-response';
import { createValidationPipe } from '../errors/validation';
import { MAX_PAGE, MAX_PAGE_SIZE, PageQuery } from './page-query';

class ListThingsQuery extends PageQuery(100) {}

const asQuery: ArgumentMetadata = { type: 'query', metatype: ListThingsQuery };

/** What the global pipe makes of a query string (as Express parses it), or the error body it answers. */
async function parse(
  query: Record<string, unknown>,
): Promise<{ value?: ListThingsQuery; status?: number; message?: string }> {
  try {
    return { value: (await createValidationPipe().transform(query, asQuery)) as ListThingsQuery };
  } catch (err) {
    const { body } = toErrorResponse(err, 'test');
    return { status: body.statusCode, message: body.message };
  }
}

describe('PageQuery', () => {
  it('converts page and pageSize from the query string, up to the deepest page and the largest size', async () => {
    expect((await parse({})).value).toMatchObject({ page: undefined, pageSize: undefined });
    expect((await parse({ page: '2', pageSize: '25' })).value).toMatchObject({ page: 2, pageSize: 25 });
    expect((await parse({ page: String(MAX_PAGE), pageSize: String(MAX_PAGE_SIZE) })).value).toMatchObject({
      page: MAX_PAGE,
      pageSize: MAX_PAGE_SIZE,
    });
  });

  it('keeps the deepest offset a safe integer that fits PostgreSQL int4', () => {
    const offset = (MAX_PAGE - 1) * MAX_PAGE_SIZE;
    expect(Number.isSafeInteger(offset)).toBe(true);
    expect(offset).toBeLessThan(2 ** 31);
  });

  it.each([
    // 1e308 is an integer to JavaScript: unbounded, it became OFFSET Infinity and a 500.
    ['1e308', '1e308'],
    ['1e7', '1e7'],
    ['one past the deepest page', String(MAX_PAGE + 1)],
    ['beyond safe integers', '9007199254740993'],
    ['0', '0'],
    ['negative', '-1'],
    ['not whole', '1.5'],
    ['NaN', 'NaN'],
    ['Infinity', 'Infinity'],
    ['empty', ''],
    ['5,000 characters', 'x'.repeat(5000)],
    ['repeated (?page=1&page=2)', ['1', '2']],
  ])('answers 400 naming the limit to page %s', async (_label, page) => {
    expect(await parse({ page })).toEqual({
      status: 400,
      message: `Invalid input: page must be a whole number from 1 to ${MAX_PAGE}`,
    });
  });

  it.each([
    ['1e308', '1e308'],
    ['one past the largest', String(MAX_PAGE_SIZE + 1)],
    ['0', '0'],
    ['negative', '-1'],
    ['not whole', '2.5'],
    ['NaN', 'NaN'],
    ['repeated', ['10', '20']],
  ])('answers 400 naming the limit to pageSize %s', async (_label, pageSize) => {
    expect(await parse({ pageSize })).toEqual({
      status: 400,
      message: `Invalid input: pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
    });
  });

  it('names both when both are wrong', async () => {
    const { status, message } = await parse({ page: '1e308', pageSize: '1e308' });
    expect(status).toBe(400);
    expect(message).toMatch(
      /page must be a whole number from 1 to 1000000; pageSize must be a whole number from 1 to 1000/,
    );
  });
});
