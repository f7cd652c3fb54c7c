import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';

/**
 * The caller's `Authorization` header, passed on to the services. Unlike
 * `@Headers('authorization')` it is not documented as a required request parameter: the
 * document's bearer security scheme already says how to authenticate, and the web app's typed
 * client (generated from that document) sets the header once for every call.
 */
export const Authorization = createParamDecorator(
  (_data: unknown, context: ExecutionContext): string | undefined =>
    context.switchToHttp().getRequest<Request>().headers.authorization,
);
