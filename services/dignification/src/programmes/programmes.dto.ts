import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsNumber, IsOptional, Matches, Max, Min } from 'class-validator';
import { PageQuery } from '@imb/platform';

export class CreateProgrammeDto {
  @ApiProperty({ example: 2027 })
  @IsInt()
  @Min(2020)
  @Max(2100)
  year: number;

  @ApiProperty({ description: 'National budget envelope, MXN', example: 1_866_000_000 })
  @IsNumber({ maxDecimalPlaces: 2 }, { message: 'envelope must be an amount in MXN with at most 2 decimals' })
  @Min(1)
  @Max(1e13)
  envelope: number;
}

export class AllocationsQuery {
  @ApiPropertyOptional({ example: '13' })
  @IsOptional()
  @Matches(/^(0[1-9]|[12]\d|3[0-2])$/, { message: 'stateCode must be an INEGI state code, 01 to 32' })
  stateCode?: string;
}

export class ListProgrammesQuery extends PageQuery(100) {
  @ApiPropertyOptional({ example: 2027, description: 'Only the programme of this year' })
  @IsOptional()
  @Type(() => Number)
  @IsInt({ message: 'year must be a whole year, e.g. 2027' })
  @Min(2020)
  @Max(2100)
  year?: number;
}
