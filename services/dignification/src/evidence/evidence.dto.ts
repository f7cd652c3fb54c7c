import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';

export class RecordEvidenceDto {
  @ApiProperty({ enum: ['BEFORE', 'AFTER'], description: 'Photo taken before or after the works' })
  @IsIn(['BEFORE', 'AFTER'])
  kind: 'BEFORE' | 'AFTER';

  @ApiProperty({ description: 'SHA-256 (hex) of the photo file' })
  @Matches(/^[0-9a-f]{64}$/, { message: 'sha256 must be 64 lowercase hex characters' })
  sha256: string;

  @ApiProperty({ description: 'When the photo was taken (ISO 8601)', example: '2027-03-01T10:00:00Z' })
  @IsISO8601({ strict: true })
  capturedAt: string;

  @ApiProperty({ example: 20.1447 })
  @IsNumber()
  @Min(-90)
  @Max(90)
  latitude: number;

  @ApiProperty({ example: -98.44 })
  @IsNumber()
  @Min(-180)
  @Max(180)
  longitude: number;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}
