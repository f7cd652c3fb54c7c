import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, StateScope } from '@imb/auth';
import { readScope } from './scope';
import { ListEligibleUnitsQuery } from './units.dto';
import { UnitsService } from './units.service';

@ApiTags('dignification units')
@ApiBearerAuth()
@Controller('dignification/units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @Get()
  @StateScope('stateCode', { optional: true })
  @ApiOkResponse({ description: '{ items, total, page, pageSize }: units with their size tier and amount, or why they are excluded' })
  list(@Query() query: ListEligibleUnitsQuery, @CurrentUser() user: Principal) {
    const eligible = query.eligible === undefined ? null : query.eligible === 'true';
    return this.units.list(readScope(user, query.stateCode), eligible, query.page ?? 1, query.pageSize ?? 100);
  }
}
