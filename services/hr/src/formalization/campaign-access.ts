import { ForbiddenException } from '@nestjs/common';
import { AccessKind, assertStateAccess, canAccessState, Principal } from '@imb/auth';

/** A campaign's id and states, as access checks need them. */
export interface CampaignScope {
  id: string;
  name: string;
  states: string[];
}

/**
 * The campaign states the caller may read (HR officers their own, national roles all); 403 when
 * none. A campaign spans states, so the state scope guard cannot check it from the route alone.
 */
export function readableStates(user: Principal, campaign: CampaignScope): string[] {
  const states = campaign.states.filter((s) => canAccessState(user, s, 'read'));
  if (!states.length) {
    throw new ForbiddenException(
      // Not named: a caller without access learns nothing of the campaign but its states.
      `You may not access campaign ${campaign.id}: it covers the states [${campaign.states.join(', ')}] and your token grants [${user.states.join(', ') || 'none'}] and no national role.`,
    );
  }
  return states;
}

/** Throws 403 unless the caller may act on every state of the campaign (lists and eligibility concern them all). */
export function assertCampaignAccess(user: Principal, campaign: CampaignScope, access: AccessKind): void {
  for (const s of campaign.states) assertStateAccess(user, s, access);
}
