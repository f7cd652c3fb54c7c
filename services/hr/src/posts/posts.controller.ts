import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { StateScope } from '@imb/auth';
import { StateCodePipe } from '@imb/states';
import { ListPostsQuery } from './posts.dto';
import { PostsService } from './posts.service';

@ApiTags('posts')
@ApiBearerAuth()
@Controller('hr/states/:stateCode')
export class PostsController {
  constructor(private readonly posts: PostsService) {}

  @Get('posts')
  @StateScope('stateCode')
  @ApiOkResponse({ description: '{ items, total, page, pageSize }: posts by number, each with its unit, status, reason and occupant' })
  list(@Param('stateCode', StateCodePipe) stateCode: string, @Query() query: ListPostsQuery) {
    return this.posts.list(stateCode, query);
  }

  @Get('curp-flags')
  @StateScope('stateCode')
  @ApiOkResponse({ description: 'CURPs of this state’s rosters already on another state’s roster, for review' })
  curpFlags(@Param('stateCode', StateCodePipe) stateCode: string) {
    return this.posts.curpFlags(stateCode);
  }
}
