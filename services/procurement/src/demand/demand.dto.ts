import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsClave } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';

export class ImportDemandQuery {
  @ApiPropertyOptional({ enum: ['true', 'false'], default: 'false', description: 'Read and check only; write nothing' })
  @IsOptional()
  @IsIn(['true', 'false'], { message: 'dryRun must be true or false' })
  dryRun?: 'true' | 'false';
}

export class ListDemandQuery extends PageQuery {
  @ApiPropertyOptional({ example: '010.000.4272.00' })
  @IsOptional()
  @IsClave()
  clave?: string;

  @ApiPropertyOptional({ example: '13' })
  @IsOptional()
  @Matches(/^(0[1-9]|[12]\d|3[0-2])$/, { message: 'stateCode must be an INEGI state code, 01 to 32' })
  stateCode?: string;

  @ApiPropertyOptional({ example: 'ISSSTE', description: 'Institution column title, exactly as published' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  institution?: string;
}
