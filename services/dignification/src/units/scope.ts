import { ForbiddenException } from '@nestjs/common';
import { assertStateAccess, NATIONAL_ROLES, Principal } from '@imb/auth';

/**
 * The states a read may cover: the one asked for (if the caller may see it), or every state for a
 * national role; a state-scoped caller must name one of their states.
 */
export function readScope(principal: Principal, stateCode: string | undefined): string | null {
  if (stateCode) {
    assertStateAccess(principal, stateCode, 'read');
    return stateCode;
  }
  if (principal.roles.some((r) => NATIONAL_ROLES.includes(r))) return null;
  throw new ForbiddenException(`Name a stateCode: your token grants the states [${principal.states.join(', ')}] and no national role.`);
}
