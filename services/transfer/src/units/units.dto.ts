import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';
import { IsClues, UNIT_STATUSES, UnitStatus } from '@imb/contracts';
import { PageQuery } from '@imb/platform';
import { Ownership, OWNERSHIPS, REGULARIZATION_STATUSES, RegularizationStatus } from './unit-lifecycle';

/** Most units one bulk request may move. */
export const BULK_MAX_UNITS = 5000;

export class HandoverActaDto {
  @ApiProperty({ description: 'Number of the acta de entrega-recepción', example: 'ER-HGO-2024-0117' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  number: string;

  @ApiProperty({ description: 'Date the acta was signed, YYYY-MM-DD', example: '2024-07-18' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'acta.date must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'acta.date must be a real calendar date (YYYY-MM-DD)' })
  date: string;

  @ApiPropertyOptional({ description: 'SHA-256 (hex) of the signed acta stored as a document' })
  @IsOptional()
  @Matches(/^[0-9a-f]{64}$/, { message: 'acta.documentSha256 must be 64 lowercase hex characters (a SHA-256)' })
  documentSha256?: string;
}

/** The optional details of a status change, shared by the single and the bulk request. */
class StatusDetails {
  @ApiPropertyOptional({ description: 'Why: required to exclude a unit or to bring an excluded one back' })
  @IsOptional()
  @IsString()
  @MinLength(5, { message: 'reason must say why in at least 5 characters' })
  @MaxLength(2000)
  reason?: string;

  @ApiPropertyOptional({ enum: OWNERSHIPS, description: 'How the state holds the property' })
  @IsOptional()
  @IsIn(OWNERSHIPS, { message: `ownership must be one of ${OWNERSHIPS.join(', ')}` })
  ownership?: Ownership;

  @ApiPropertyOptional({ enum: REGULARIZATION_STATUSES })
  @IsOptional()
  @IsIn(REGULARIZATION_STATUSES, { message: `regularizationStatus must be one of ${REGULARIZATION_STATUSES.join(', ')}` })
  regularizationStatus?: RegularizationStatus;

  @ApiPropertyOptional({ type: HandoverActaDto, description: 'Required for HANDED_OVER' })
  @IsOptional()
  @ValidateNested()
  @Type(() => HandoverActaDto)
  acta?: HandoverActaDto;

  @ApiPropertyOptional({ description: 'The new CLUES, required for RE_REGISTERED', example: 'HGIMB005191' })
  @IsOptional()
  @IsClues()
  newClues?: string;
}

export class ChangeUnitStatusDto extends StatusDetails {
  @ApiProperty({ enum: UNIT_STATUSES })
  @IsIn(UNIT_STATUSES, { message: `toStatus must be one of ${UNIT_STATUSES.join(', ')}` })
  toStatus: UnitStatus;
}

export class BulkUnitDto extends StatusDetails {
  @ApiProperty({ example: 'HGSSA000016' })
  @IsClues()
  clues: string;
}

export class BulkUnitStatusDto {
  @ApiProperty({ enum: UNIT_STATUSES })
  @IsIn(UNIT_STATUSES, { message: `toStatus must be one of ${UNIT_STATUSES.join(', ')}` })
  toStatus: UnitStatus;

  @ApiPropertyOptional({ description: 'Reason for every unit that gives none of its own' })
  @IsOptional()
  @IsString()
  @MinLength(5, { message: 'reason must say why in at least 5 characters' })
  @MaxLength(2000)
  reason?: string;

  @ApiProperty({ type: [BulkUnitDto], description: `1 to ${BULK_MAX_UNITS} units` })
  @IsArray()
  @ArrayMinSize(1, { message: 'units must list at least one unit' })
  @ArrayMaxSize(BULK_MAX_UNITS, { message: `units may list at most ${BULK_MAX_UNITS} units; split the request` })
  @ValidateNested({ each: true })
  @Type(() => BulkUnitDto)
  units: BulkUnitDto[];
}

/** The page size of a units listing when the caller gives none. */
export const UNITS_DEFAULT_PAGE_SIZE = 100;

export class ListUnitsQuery extends PageQuery(UNITS_DEFAULT_PAGE_SIZE) {
  @ApiPropertyOptional({ enum: UNIT_STATUSES })
  @IsOptional()
  @IsIn(UNIT_STATUSES, { message: `status must be one of ${UNIT_STATUSES.join(', ')}` })
  status?: UnitStatus;
}

export class ImportUnitsQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], description: 'true: validate and count, write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}
