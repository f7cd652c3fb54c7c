import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsStateCode } from '@imb/contracts';
import { PageQuery } from '../jobs/jobs.dto';
import { SERVICE_NAMES, ServiceName } from '../upstreams/upstreams';

const SERVICE_MESSAGE = `service must be one of: ${SERVICE_NAMES.join(', ')}`;

/** `GET /api/audit`: one service's records, or every service's merged newest first. */
export class AuditQuery extends PageQuery {
  @ApiPropertyOptional({ enum: SERVICE_NAMES, description: 'one service; every service when absent' })
  @IsOptional()
  @IsIn(SERVICE_NAMES, { message: SERVICE_MESSAGE })
  service?: ServiceName;

  @ApiPropertyOptional({ example: 'StateTransfer' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  entity?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) entityId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) actor?: string;
  @ApiPropertyOptional({ example: '13' }) @IsOptional() @IsStateCode() stateCode?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, inclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  from?: string;
  @ApiPropertyOptional({ description: 'ISO 8601, exclusive' })
  @IsOptional()
  @IsISO8601({ strict: true })
  to?: string;
}

/** `GET /api/audit/verify?service=`: one service's chain, or every service's. */
export class VerifyQuery {
  @ApiPropertyOptional({ enum: SERVICE_NAMES, description: 'one service; every service when absent' })
  @IsOptional()
  @IsIn(SERVICE_NAMES, { message: SERVICE_MESSAGE })
  service?: ServiceName;
}
