import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsStateCode } from '@imb/contracts';
import { PageQuery } from '@imb/platform';
import { AUDIT_DEFAULT_PAGE_SIZE } from './search-audit';

/** Query string of `GET /audit`. */
export class AuditQueryDto extends PageQuery(AUDIT_DEFAULT_PAGE_SIZE) {
  @ApiPropertyOptional({ example: 'StateTransfer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entity?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entityId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(200)
  actor?: string;

  @ApiPropertyOptional({ example: '09', description: 'INEGI state code' })
  @IsOptional()
  @IsStateCode()
  stateCode?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, inclusive', example: '2025-01-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;

  @ApiPropertyOptional({ description: 'ISO 8601, exclusive', example: '2025-02-01T00:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}
