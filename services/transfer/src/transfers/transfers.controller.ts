import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles, StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { AdvanceStageDto } from './advance.dto';
import { TransfersService } from './transfers.service';

@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransfersController {
  constructor(private readonly transfers: TransfersService) {}

  @Get()
  @ApiOkResponse({ description: 'The 32 states with their transfer stage' })
  async list() {
    return (await this.transfers.list()).map((t) => ({
      stateCode: t.stateCode,
      stateName: t.stateName,
      stage: t.stage,
      stageSince: t.stageSince,
      definitionVersion: t.definitionVersion,
      joinedYear: t.joinedYear,
    }));
  }

  @Get(':stateCode')
  get(@Param('stateCode', StateCodePipe) stateCode: string) {
    return this.transfers.get(stateCode);
  }

  @Post(':stateCode/advance')
  @HttpCode(200)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @ApiConflictResponse({ description: 'The move is not allowed from the current stage' })
  advance(
    @CurrentUser() user: Principal,
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Body() body: AdvanceStageDto,
  ) {
    return this.transfers.changeStage(user, stateCode, body.toStage, body.reason);
  }
}
