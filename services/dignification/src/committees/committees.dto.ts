import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsISO8601, IsOptional, IsString, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

export const COMMITTEE_ROLES = ['PRESIDENTE', 'SECRETARIO', 'TESORERO', 'VOCAL'] as const;

export class CommitteeMemberDto {
  @ApiProperty({ example: 'MARÍA LÓPEZ HERNÁNDEZ' })
  @IsString()
  @MinLength(3)
  @MaxLength(200)
  name: string;

  @ApiProperty({ enum: COMMITTEE_ROLES })
  @IsIn(COMMITTEE_ROLES, { message: `role must be one of ${COMMITTEE_ROLES.join(', ')}` })
  role: (typeof COMMITTEE_ROLES)[number];
}

export class ElectCommitteeDto {
  @ApiProperty({ description: 'Date of the community assembly, YYYY-MM-DD', example: '2027-02-14' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'assemblyDate must be a date as YYYY-MM-DD' })
  @IsISO8601({ strict: true }, { message: 'assemblyDate must be a real calendar date' })
  assemblyDate: string;

  @ApiProperty({ description: 'Reference of the assembly’s acta', example: 'ACTA-HG-2027-0042' })
  @IsString()
  @MinLength(3)
  @MaxLength(100)
  actaReference: string;

  @ApiProperty({ type: [CommitteeMemberDto], description: 'The 5 members elected' })
  @IsArray()
  @ArrayMinSize(5, { message: 'a COSABI has exactly 5 members' })
  @ArrayMaxSize(5, { message: 'a COSABI has exactly 5 members' })
  @ValidateNested({ each: true })
  @Type(() => CommitteeMemberDto)
  members: CommitteeMemberDto[];

  @ApiPropertyOptional({ description: 'Last 4 digits of the committee’s bank card; the full number is never accepted', example: '4821' })
  @IsOptional()
  @Matches(/^\d{4}$/, { message: 'cardLast4 must be exactly the last 4 digits of the card (never the full number)' })
  cardLast4?: string;
}
