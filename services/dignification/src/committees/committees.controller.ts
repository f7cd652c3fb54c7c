import { Body, Controller, Get, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { IsClues } from '@imb/contracts';
import { IsString } from 'class-validator';
import { ElectCommitteeDto } from './committees.dto';
import { CommitteesService } from './committees.service';

class CluesParam {
  @IsString()
  @IsClues()
  clues: string;
}

@ApiTags('dignification committees')
@ApiBearerAuth()
@Controller('dignification/units/:clues/committee')
export class CommitteesController {
  constructor(private readonly committees: CommitteesService) {}

  @Put()
  @Roles('federal-coordinator', 'dignification-officer')
  @ApiOkResponse({ description: 'The committee (COSABI) elected by the assembly; replaces the previous one, audited' })
  elect(@Param() params: CluesParam, @Body() body: ElectCommitteeDto, @CurrentUser() user: Principal) {
    return this.committees.elect(params.clues, body, user);
  }

  @Get()
  @ApiOkResponse({ description: 'The unit’s committee' })
  get(@Param() params: CluesParam, @CurrentUser() user: Principal) {
    return this.committees.get(params.clues, user);
  }
}
