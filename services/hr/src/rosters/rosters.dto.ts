import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { IsStateCode } from '@imb/contracts';

export class ImportRosterQuery {
  @ApiProperty({ example: '18' }) @IsStateCode() stateCode: string;
  @ApiPropertyOptional({ enum: ['true', 'false'] }) @IsOptional() @IsIn(['true', 'false']) dryRun?: 'true' | 'false';
}

export class PayrollTransferDto {
  @ApiProperty({ example: '2024-01-01', description: 'date the federal payroll takes effect' })
  @IsISO8601({ strict: true }, { message: 'effectiveDate must be a date YYYY-MM-DD' })
  effectiveDate: string;
}
