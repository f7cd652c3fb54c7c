import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles, StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { ChecklistService } from '../stages/checklist.service';
import { AdvanceStageDto } from './advance.dto';
import { CloseChecklistItemDto } from './close-item.dto';
import { TransfersService } from './transfers.service';

@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class TransfersController {
  constructor(
    private readonly transfers: TransfersService,
    private readonly checklist: ChecklistService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'The 32 states with their transfer stage and the open items of their current gate' })
  list() {
    return this.transfers.list();
  }

  @Get(':stateCode')
  @ApiOkResponse({ description: "The state's stage, its history, and the checklist of its current gate" })
  get(@Param('stateCode', StateCodePipe) stateCode: string) {
    return this.transfers.get(stateCode);
  }

  @Post(':stateCode/advance')
  @HttpCode(200)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'The transfer in its new stage' })
  @ApiConflictResponse({ description: 'GATE_OPEN with `missing: [itemId…]`, or a move not allowed from the current stage' })
  advance(
    @CurrentUser() user: Principal,
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Body() body: AdvanceStageDto,
  ) {
    return this.transfers.changeStage(user, stateCode, body.toStage, body.reason);
  }

  @Post(':stateCode/checklist/:itemId')
  @HttpCode(200)
  @Roles('federal-coordinator', 'state-coordinator')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'The closed item' })
  @ApiBadRequestResponse({ description: 'Malformed evidence, or DOCUMENT_NOT_FOUND: a documentSha256 of no uploaded document' })
  @ApiForbiddenResponse({ description: "The state is not one of the caller's, or DOCUMENT_OF_ANOTHER_STATE: evidence.documentSha256 names no document of this state" })
  @ApiConflictResponse({ description: 'The item is already done, is closed by an event, or is not in the current gate' })
  closeItem(
    @CurrentUser() user: Principal,
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Param('itemId') itemId: string,
    @Body() body: CloseChecklistItemDto,
  ) {
    return this.checklist.closeManual(user, stateCode, itemId, body.evidence, body.note);
  }
}
