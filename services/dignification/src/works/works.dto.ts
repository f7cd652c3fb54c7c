import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength } from 'class-validator';

/** Categories of the expense booklet (the typical works of DOMAIN.md §4). */
export const EXPENSE_CATEGORIES = [
  'WATERPROOFING',
  'PERIMETER_WALLS',
  'RAMPS',
  'AIR_CONDITIONING',
  'PLUMBING_ELECTRICAL',
  'MEDICAL_EQUIPMENT',
  'OTHER',
] as const;

export class RecordExpenseDto {
  @ApiProperty({ enum: EXPENSE_CATEGORIES })
  @IsIn(EXPENSE_CATEGORIES, { message: `category must be one of ${EXPENSE_CATEGORIES.join(', ')}` })
  category: (typeof EXPENSE_CATEGORIES)[number];

  @ApiProperty({ example: 85000 })
  @IsNumber({ maxDecimalPlaces: 2 })
  @Min(0.01)
  @Max(1e9)
  amount: number;

  @ApiProperty({ example: 'Impermeabilización de azotea, 120 m²' })
  @IsString()
  @MinLength(3)
  @MaxLength(500)
  description: string;

  @ApiProperty({ description: 'Invoice or receipt reference (folio fiscal, nota)', example: 'CFDI-8F3A…' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  receiptReference: string;

  @ApiProperty({ example: '2027-03-10' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'spentOn must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  spentOn: string;
}

export class AssemblyReviewDto {
  @ApiProperty({ example: '2027-05-20' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'assemblyDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  assemblyDate: string;

  @ApiProperty({ description: 'Reference of the assembly’s acta approving the booklet' })
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  actaReference: string;
}

export class VerifyProjectDto {
  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
