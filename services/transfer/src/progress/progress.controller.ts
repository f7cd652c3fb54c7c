import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StateCodePipe } from '@imb/states';
import { StateProgress } from './progress-figures';
import { NationalProgress, ProgressService } from './progress.service';

/**
 * Transfer progress, computed when asked (never a stale copy). Readable by every role, like the
 * transfers themselves: the figures are the national overview's.
 */
@ApiTags('transfers')
@ApiBearerAuth()
@Controller('transfers')
export class ProgressController {
  constructor(private readonly progress: ProgressService) {}

  @Get('progress')
  @ApiOkResponse({ description: 'National summary (sums over the 32 states) and every state’s figures' })
  national(): Promise<NationalProgress> {
    return this.progress.national();
  }

  @Get(':stateCode/progress')
  @ApiOkResponse({
    description: 'Units by status, % handed over and % re-registered (of the units not excluded), days in the current stage, open gate items',
  })
  @ApiNotFoundResponse({ description: 'No transfer for the state' })
  forState(@Param('stateCode', StateCodePipe) stateCode: string): Promise<StateProgress> {
    return this.progress.forState(stateCode);
  }
}
