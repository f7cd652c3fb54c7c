import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiForbiddenResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  assertPersonalDataAccess,
  CurrentUser,
  personalDataView,
  Principal,
  Roles,
  rolesWithPersonalDataAccess,
  StateScope,
} from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { ListPostsQuery } from './posts.dto';
import { PostsService } from './posts.service';

/** Posts and CURP flags of a state; who sees the people in them follows docs/data-access.md. */
@ApiTags('posts')
@ApiBearerAuth()
@Controller('hr/states/:stateCode')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('posts')
  @StateScope('stateCode')
  @ApiOkResponse({
    description:
      '{ items, total, page, pageSize }: posts by number, each with its unit, status, reason and occupant. ' +
      'Personal data (docs/data-access.md, resource hr.posts): hr-officers of the state, federal coordinators and auditors get the ' +
      'occupant’s CURP, name, RFC and licence whole; state coordinators, dignification and procurement officers get them masked ' +
      '(CURP and RFC keep their first 4 characters, the name becomes initials, the licence asterisks).',
  })
  list(
    @CurrentUser() user: Principal,
    @Param('stateCode', StateCodePipe) stateCode: string,
    @Query() query: ListPostsQuery,
  ) {
    return this.posts.list(stateCode, query, personalDataView(user, 'hr.posts', stateCode));
  }

  @Get('curp-flags')
  @StateScope('stateCode')
  @Roles(...rolesWithPersonalDataAccess('hr.curp-flags'))
  @ApiOkResponse({
    description:
      'CURPs of this state’s rosters already on another state’s roster, for review. Personal data (docs/data-access.md, ' +
      'resource hr.curp-flags): hr-officers of the state, federal coordinators and auditors only.',
  })
  @ApiForbiddenResponse({ description: 'Other roles (state coordinators, dignification and procurement officers)' })
  curpFlags(@CurrentUser() user: Principal, @Param('stateCode', StateCodePipe) stateCode: string) {
    assertPersonalDataAccess(user, 'hr.curp-flags', stateCode);
    return this.posts.curpFlags(stateCode);
  }
}
