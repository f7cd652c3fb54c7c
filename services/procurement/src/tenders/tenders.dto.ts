import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsInt,
  IsNumber,
  IsOptional,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { IsClave, IsRfc } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';
import { IsCalendarDate } from '../supply/calendar-date';

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/** The rules of an exercise's tender and of the contracts opened from it. */
export class TenderTermsDto {
  @ApiProperty({
    description: 'Percentages of the lowest solvent suppliers, summing to 100: [100] awards each clave to the lowest; [60, 40] splits it between the two lowest',
    example: [60, 40],
  })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(5)
  @IsInt({ each: true, message: 'awardShares must be whole percentages' })
  @Min(1, { each: true })
  @Max(100, { each: true })
  awardShares: number[];

  @ApiPropertyOptional({ description: 'Minimum share of pieces delivered on time in the prior months for a bid to be solvent', default: 0.5 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1)
  complianceThreshold?: number;

  @ApiPropertyOptional({ description: 'Whole months before the evaluation looked at for the delivery record', default: 6 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(36)
  complianceMonths?: number;

  @ApiPropertyOptional({ description: 'Penalty per calendar day late, as a share of the late pieces’ value (0.01 = 1 % a day)', default: 0.01 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 6 })
  @Min(0)
  @Max(1)
  penaltyRatePerDay?: number;

  @ApiPropertyOptional({ description: 'Ceiling of an order’s penalties, as a share of the order value (0.1 = 10 %, the usual performance guarantee)', default: 0.1 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 })
  @Min(0)
  @Max(1)
  penaltyCapShare?: number;
}

export class ReferencePriceBody {
  @ApiProperty({ description: 'Reference price per piece, MXN', example: 12.5 })
  @IsNumber({ maxDecimalPlaces: 4 }, { message: 'price must be an amount in MXN with at most 4 decimals' })
  @Min(0.0001)
  @Max(1e10)
  price: number;
}

export class ReferencePriceItem extends ReferencePriceBody {
  @ApiProperty({ example: '010.000.0104.00' })
  @IsClave()
  clave: string;
}

export class ReferencePricesDto {
  @ApiProperty({ type: [ReferencePriceItem] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => ReferencePriceItem)
  items: ReferencePriceItem[];
}

export class BidDto {
  @ApiProperty({ description: 'RFC of the supplier (12 characters for a company, 13 for a person)', example: 'LAB010101AB1' })
  @IsRfc()
  supplierRfc: string;

  @ApiProperty({ example: '010.000.0104.00' })
  @IsClave()
  clave: string;

  @ApiPropertyOptional({ description: 'Unit price offered, MXN; a bid without it is recorded and found not solvent (missing data)', example: 11.9 })
  @IsOptional()
  @IsNumber({ maxDecimalPlaces: 4 }, { message: 'unitPrice must be an amount in MXN with at most 4 decimals' })
  @Min(0.0001)
  @Max(1e10)
  unitPrice?: number;

  @ApiPropertyOptional({ description: 'Pieces offered; a bid without it is found not solvent (missing data)', example: 100000 })
  @IsOptional()
  @IsInt()
  @Min(1)
  @Max(1e12)
  offeredQuantity?: number;
}

export class ListBidsQuery extends PageQuery {
  @ApiPropertyOptional() @IsOptional() @IsClave() clave?: string;
  @ApiPropertyOptional() @IsOptional() @IsRfc() supplierRfc?: string;
  @ApiPropertyOptional({ enum: ['true', 'false', 'pending'] })
  @IsOptional()
  @IsIn(['true', 'false', 'pending'], { message: 'solvent must be true, false or pending' })
  solvent?: 'true' | 'false' | 'pending';
}

export class ImportBidsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class EvaluateDto {
  @ApiPropertyOptional({ description: 'Date of the evaluation, YYYY-MM-DD (default today): the delivery record is that of the months before it', example: '2027-03-15' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;
}

export class ListOutcomesQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['AWARDED', 'DESERTED', 'NOT_SOLVENT'] })
  @IsOptional()
  @IsIn(['AWARDED', 'DESERTED', 'NOT_SOLVENT'], { message: 'outcome must be AWARDED, DESERTED or NOT_SOLVENT' })
  outcome?: 'AWARDED' | 'DESERTED' | 'NOT_SOLVENT';
  @ApiPropertyOptional() @IsOptional() @IsClave() clave?: string;
}

export class ComplianceHistoryItem {
  @ApiProperty({ example: 'LAB010101AB1' }) @IsRfc() supplierRfc: string;
  @ApiProperty({ description: 'Month, YYYY-MM', example: '2026-10' }) @Matches(MONTH, { message: 'month must be YYYY-MM' }) month: string;
  @ApiProperty({ description: 'Pieces that were due that month' }) @IsInt() @Min(0) @Max(1e12) piecesDue: number;
  @ApiProperty({ description: 'Of those, pieces delivered on time' }) @IsInt() @Min(0) @Max(1e12) piecesOnTime: number;
}

export class ComplianceHistoryDto {
  @ApiProperty({ type: [ComplianceHistoryItem] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(10000)
  @ValidateNested({ each: true })
  @Type(() => ComplianceHistoryItem)
  items: ComplianceHistoryItem[];
}

export class ComplianceQuery {
  @ApiPropertyOptional({ description: 'YYYY-MM-DD, default today' })
  @IsOptional()
  @IsCalendarDate()
  asOf?: string;

  @ApiPropertyOptional({ description: 'Whole months before the month of asOf', default: 6 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(36)
  months?: number;
}
