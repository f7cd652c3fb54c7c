import {
  BadRequestException,
  type CanActivate,
  type ExecutionContext,
  ForbiddenException,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { currentContext, isStateCode } from '@imb/contracts';
import { decideAccess } from './access-policy';
import { IS_PUBLIC_KEY, ROLES_KEY, STATE_SCOPE_KEY, STATE_SCOPE_OPTIONAL_KEY } from './auth.constants';
import { IdentityProviderUnavailableError, InvalidTokenError } from './auth.errors';
import type { Principal } from './principal';
import type { Role } from './roles';
import { TokenVerifier } from './token-verifier';

/** The parts of an HTTP request the guard reads and writes. */
export interface AuthRequest {
  method: string;
  headers: Record<string, string | string[] | undefined>;
  params?: Record<string, unknown>;
  query?: Record<string, unknown>;
  body?: unknown;
  /** Set by AuthGuard once the access token is verified. */
  user?: Principal;
}

interface AuthResponse {
  setHeader?(name: string, value: string): unknown;
}

const BEARER = /^Bearer[ ]+([^ ]+)[ ]*$/i;

/**
 * The global guard (installed by AuthModule.forRoot as APP_GUARD): authenticates every HTTP
 * route except `@Public()` ones, then applies `@Roles`, the auditors' read-only rule and
 * `@StateScope`. Sets `request.user` and the execution context's actor.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    // Only HTTP carries bearer tokens; message handlers trust the broker and the event's actor.
    if (context.getType() !== 'http') {
      return true;
    }
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets)) {
      return true;
    }
    const http = context.switchToHttp();
    const request = http.getRequest<AuthRequest>();
    const principal = await this.authenticate(request, http.getResponse<AuthResponse>());
    request.user = principal;
    const executionContext = currentContext();
    if (executionContext) {
      executionContext.actor = principal.sub;
    }

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const byRole = decideAccess(principal, { method: request.method, roles });
    if (!byRole.allowed) {
      throw new ForbiddenException(byRole.message);
    }
    const scopeField = this.reflector.getAllAndOverride<string | undefined>(STATE_SCOPE_KEY, targets);
    if (scopeField !== undefined) {
      const optional = this.reflector.getAllAndOverride<boolean | undefined>(STATE_SCOPE_OPTIONAL_KEY, targets);
      const stateCode = readStateCode(request, scopeField, optional === true);
      if (stateCode === undefined) {
        return true;
      }
      const byState = decideAccess(principal, { method: request.method, roles, stateCode });
      if (!byState.allowed) {
        throw new ForbiddenException(byState.message);
      }
    }
    return true;
  }

  private async authenticate(request: AuthRequest, response: AuthResponse): Promise<Principal> {
    const header = request.headers.authorization;
    if (typeof header !== 'string' || header.trim() === '') {
      response.setHeader?.('WWW-Authenticate', 'Bearer');
      throw new UnauthorizedException(
        "Authentication required: send the header 'Authorization: Bearer <access token>'.",
      );
    }
    const match = BEARER.exec(header.trim());
    if (!match) {
      response.setHeader?.('WWW-Authenticate', 'Bearer error="invalid_request"');
      throw new UnauthorizedException(
        "The Authorization header must use the Bearer scheme: 'Authorization: Bearer <access token>'.",
      );
    }
    try {
      return await this.verifier.verify(match[1]);
    } catch (error) {
      if (error instanceof InvalidTokenError) {
        response.setHeader?.('WWW-Authenticate', 'Bearer error="invalid_token"');
        throw new UnauthorizedException(error.message);
      }
      if (error instanceof IdentityProviderUnavailableError) {
        throw new ServiceUnavailableException(error.message);
      }
      throw error;
    }
  }
}

/**
 * The state code named by `field`: route param first, then query, then JSON body (400 when
 * malformed, or when missing unless `optional`).
 */
function readStateCode(request: AuthRequest, field: string, optional: boolean): string | undefined {
  const sources = [request.params, request.query, request.body];
  const value = sources
    .map((source) => (isRecord(source) ? source[field] : undefined))
    .find((candidate) => candidate !== undefined && candidate !== '');
  if (value === undefined && optional) {
    return undefined;
  }
  if (value === undefined) {
    throw new BadRequestException(
      `${field} is required: a two-digit INEGI state code ('01'..'32') in the path, the query or the body.`,
    );
  }
  if (!isStateCode(value)) {
    throw new BadRequestException(
      `${field} must be one two-digit INEGI state code from '01' to '32' (got ${JSON.stringify(value)}).`,
    );
  }
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
