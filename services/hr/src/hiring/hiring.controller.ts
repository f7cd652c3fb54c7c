import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Roles, StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { SetHiringTargetsDto } from './hiring.dto';
import { HiringService } from './hiring.service';

@ApiTags('hiring')
@ApiBearerAuth()
@Controller('hr/states/:stateCode')
export class HiringController {
  constructor(private readonly hiring: HiringService) {}

  @Put('targets')
  @Roles('federal-coordinator', 'hr-officer')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'The progress with the new targets' })
  setTargets(@Param('stateCode', StateCodePipe) stateCode: string, @Body() body: SetHiringTargetsDto) {
    return this.hiring.setTargets(stateCode, body);
  }

  @Get('progress')
  @StateScope('stateCode')
  @ApiOkResponse({ description: '{ stateCode, categories: [{ category, target, filled, percent }] }' })
  progress(@Param('stateCode', StateCodePipe) stateCode: string) {
    return this.hiring.progress(stateCode);
  }
}
