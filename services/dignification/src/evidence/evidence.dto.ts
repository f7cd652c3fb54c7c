import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

// Multipart fields arrive as text: a number field is converted only when it is one, so a bad value is reported as sent.
const NumberFromField = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? Number(value) : value));
const EmptyAsAbsent = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' && value.trim() === '' ? undefined : value));

/**
 * The form fields sent with a photo (multipart/form-data, the photo in `file`). The time and place
 * are read from the photo's EXIF first; `capturedAt`, `latitude` and `longitude` are used only for
 * what the photo does not record (e.g. HEIC, or a camera without GPS).
 */
export class RecordEvidenceDto {
  @ApiProperty({ enum: ['BEFORE', 'AFTER'], description: 'Photo taken before or after the works' })
  @IsIn(['BEFORE', 'AFTER'], { message: 'kind must be BEFORE or AFTER (the works)' })
  kind: 'BEFORE' | 'AFTER';

  @ApiPropertyOptional({ description: 'When the photo was taken (ISO 8601); used only when its EXIF has no DateTimeOriginal', example: '2027-03-01T10:00:00-06:00' })
  @EmptyAsAbsent()
  @IsOptional()
  @IsISO8601({ strict: true }, { message: 'capturedAt must be an ISO 8601 date-time, e.g. 2027-03-01T10:00:00-06:00' })
  capturedAt?: string;

  @ApiPropertyOptional({ example: 20.1447, description: 'Used only when the photo’s EXIF has no GPS position' })
  @EmptyAsAbsent()
  @NumberFromField()
  @IsOptional()
  @IsNumber({}, { message: 'latitude must be a number of degrees (-90 to 90)' })
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ApiPropertyOptional({ example: -98.44, description: 'Used only when the photo’s EXIF has no GPS position' })
  @EmptyAsAbsent()
  @NumberFromField()
  @IsOptional()
  @IsNumber({}, { message: 'longitude must be a number of degrees (-180 to 180)' })
  @Min(-180)
  @Max(180)
  longitude?: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
