import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { CurrentUser, Principal } from '@imb/auth';
import { MeView } from './me.view';

/** Who the bearer token says the caller is (the dashboard adapts to it). */
@ApiTags('auth')
@Controller('me')
export class MeController {
  @Get()
  @ApiOkResponse({ type: MeView, description: '{ sub, roles, states } of the bearer token' })
  me(@CurrentUser() user: Principal): Principal {
    return { sub: user.sub, roles: user.roles, states: user.states };
  }
}
