import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';

const trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** The metadata fields sent with an uploaded document (multipart form fields). */
export class UploadDocumentDto {
  @ApiProperty({ description: 'What the document is', example: 'Convenio de coordinación IMSS-BIENESTAR – Hidalgo' })
  @trimmed()
  @IsString({ message: 'title is required: what the document is' })
  @Matches(/\S/, { message: 'title must not be blank' })
  @MaxLength(300, { message: 'title must be at most 300 characters' })
  title: string;

  @ApiProperty({ description: 'Its number or reference (agreement number, DOF reference, acta number)', example: 'DOF 15/03/2023' })
  @trimmed()
  @IsString({ message: 'reference is required: the number or reference of the document' })
  @Matches(/\S/, { message: 'reference must not be blank' })
  @MaxLength(200, { message: 'reference must be at most 200 characters' })
  reference: string;

  @ApiProperty({ description: 'Date of the document, YYYY-MM-DD', example: '2023-03-15' })
  @trimmed()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be the date of the document as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'date must be a real calendar date (YYYY-MM-DD)' })
  date: string;
}
