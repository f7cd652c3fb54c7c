import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, Matches } from 'class-validator';
import { PageQuery } from '@imb/platform';

export class ListEligibleUnitsQuery extends PageQuery(100) {
  @ApiPropertyOptional({
    description: 'INEGI state code; required unless the caller has a national role',
    example: '13',
  })
  @IsOptional()
  @Matches(/^(0[1-9]|[12]\d|3[0-2])$/, { message: 'stateCode must be an INEGI state code, 01 to 32' })
  stateCode?: string;

  @ApiPropertyOptional({
    enum: ['true', 'false'],
    description: 'Only eligible (true) or only excluded (false) units',
  })
  @IsOptional()
  @IsIn(['true', 'false'])
  eligible?: 'true' | 'false';
}
