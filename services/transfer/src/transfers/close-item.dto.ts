import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDefined, IsISO8601, IsNotEmpty, IsOptional, IsString, Matches, MaxLength, ValidateNested } from 'class-validator';
import { EvidenceV1 } from '@imb/contracts';

export class EvidenceDto implements EvidenceV1 {
  @ApiProperty({ example: 'DOF 14/03/2026, edición matutina', description: 'document number, DOF reference, acta number…' })
  @IsString()
  @IsNotEmpty({ message: 'reference must say where the evidence is' })
  @MaxLength(200)
  reference: string;

  @ApiProperty({ example: '2026-03-14', description: 'date of the evidence, YYYY-MM-DD' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date written YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date' })
  date: string;

  @ApiPropertyOptional({ description: 'SHA-256 (lower-case hex) of a document uploaded to the transfer service' })
  @IsOptional()
  @Matches(/^[a-f0-9]{64}$/, { message: 'documentSha256 must be 64 lower-case hexadecimal characters' })
  documentSha256?: string;
}

/** Closes a manual checklist item: the evidence that it is done, and an optional note. */
export class CloseChecklistItemDto {
  @ApiProperty({ type: EvidenceDto })
  @IsDefined({ message: 'evidence is required: { reference, date, documentSha256? }' })
  @ValidateNested()
  @Type(() => EvidenceDto)
  evidence: EvidenceDto;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}
