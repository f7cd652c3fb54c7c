import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsISO8601, IsString, Matches, MaxLength } from 'class-validator';
import { IsStateCode } from '@imb/contracts';

const trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/** The metadata fields sent with an uploaded document (multipart form fields). */
export class UploadDocumentDto {
  @ApiProperty({
    description:
      'INEGI code of the state the document is evidence of: one of the states of your token (federal coordinators: any). ' +
      "Only that state's readers see it, and only that state's checklist items and actas may cite it.",
    example: '13',
  })
  @trimmed()
  @IsStateCode({
    message: ({ value }) =>
      value === undefined
        ? 'stateCode is required: the two-digit INEGI code (01 to 32) of the state the document is evidence of'
        : `stateCode: ${JSON.stringify(value)} is not a state code: expected two digits from 01 to 32`,
  })
  stateCode: string;

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
