import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a route or controller as reachable without a bearer token. */
export const PUBLIC_ROUTE = 'imb:public-route';

/** Marks a route or controller as public; the auth guard lets these through unauthenticated. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(PUBLIC_ROUTE, true);
