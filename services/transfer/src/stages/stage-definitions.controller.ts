import { Body, Controller, Get, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCreatedResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal, Roles } from '@imb/auth';
import { CreateStageDefinitionDto } from './stage-definition.dto';
import { StageDefinitionsService } from './stage-definitions.service';

/**
 * The versions of the stage definitions. Registered before TransfersController (see
 * TransfersModule) so that `/transfers/stage-definitions` is not read as a state code.
 */
@ApiTags('stage definitions')
@ApiBearerAuth()
@Controller('transfers/stage-definitions')
export class StageDefinitionsController {
  constructor(private readonly definitions: StageDefinitionsService) {}

  @Get()
  @ApiOkResponse({ description: 'Every version, oldest first' })
  list() {
    return this.definitions.list();
  }

  @Get(':version')
  get(@Param('version', ParseIntPipe) version: number) {
    return this.definitions.get(version);
  }

  @Post()
  @Roles('federal-coordinator')
  @ApiCreatedResponse({ description: 'The new version; it applies to transfers started from now on' })
  create(@CurrentUser() user: Principal, @Body() body: CreateStageDefinitionDto) {
    return this.definitions.create(user, { stages: body.stages }, body.note);
  }
}
