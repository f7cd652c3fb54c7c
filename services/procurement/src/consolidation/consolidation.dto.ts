import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, Matches } from 'class-validator';
import { IsClave } from '@imb/contracts';
import { PageQuery } from '@imb/jobs';

export class ConsolidationFilter extends PageQuery {
  @ApiPropertyOptional({ example: '010.000.4272.00' })
  @IsOptional()
  @IsClave()
  clave?: string;

  @ApiPropertyOptional({ example: '13', description: "Only this state's demand (its IMSS-BIENESTAR column)" })
  @IsOptional()
  @Matches(/^(0[1-9]|[12]\d|3[0-2])$/, { message: 'stateCode must be an INEGI state code, 01 to 32' })
  stateCode?: string;
}
