import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

/** The largest page any listing returns. */
export const MAX_PAGE_SIZE = 1000;

/**
 * The deepest page any listing serves. `@IsInt` alone lets 1e308 through (it is an integer to
 * JavaScript) and the offset `(page − 1) × pageSize` becomes `OFFSET Infinity`; bounded by this
 * and MAX_PAGE_SIZE the offset stays under 10⁹: a safe integer, and a small one for `OFFSET`.
 */
export const MAX_PAGE = 1_000_000;

const PAGE_MESSAGE = `page must be a whole number from 1 to ${MAX_PAGE}`;
const PAGE_SIZE_MESSAGE = `pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}`;

/** The `page` and `pageSize` a listing was asked for. */
export interface PageParams {
  page?: number;
  pageSize?: number;
}

/**
 * `?page=&pageSize=` of a listing whose page size defaults to `defaultPageSize`: the base class
 * of every listing's query DTO (`class ListPostsQuery extends PageQuery(100) { … }`).
 */
export function PageQuery(defaultPageSize: number) {
  class PageQueryDto implements PageParams {
    @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE, default: 1 })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: PAGE_MESSAGE })
    @Min(1, { message: PAGE_MESSAGE })
    @Max(MAX_PAGE, { message: PAGE_MESSAGE })
    page?: number;

    @ApiPropertyOptional({ minimum: 1, maximum: MAX_PAGE_SIZE, default: defaultPageSize })
    @IsOptional()
    @Type(() => Number)
    @IsInt({ message: PAGE_SIZE_MESSAGE })
    @Min(1, { message: PAGE_SIZE_MESSAGE })
    @Max(MAX_PAGE_SIZE, { message: PAGE_SIZE_MESSAGE })
    pageSize?: number;
  }
  return PageQueryDto;
}
