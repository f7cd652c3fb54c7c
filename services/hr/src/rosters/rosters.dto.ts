import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsStateCode } from '@imb/contracts';

export class ImportRosterQuery {
  @ApiProperty({ example: '18' }) @IsStateCode() stateCode: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) dryRun?: 'true' | 'false';
  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description:
      'The payroll is current: rows that vacate, freeze or give to someone else a post held on a base (permanent) contract end that appointment. Without it such rows are refused, each with its error.',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  endBaseContracts?: 'true' | 'false';
}

export class PayrollTransferDto {
  @ApiProperty({ example: '2024-01-01', description: 'date the federal payroll takes effect' })
  @IsISO8601({ strict: true }, { message: 'effectiveDate must be a date YYYY-MM-DD' })
  effectiveDate: string;
}
