import type { EntityManager } from 'typeorm';
import { DomainError } from '@imb/platform';
import type { CampaignRules } from './criteria';

/** A formalization campaign as stored. */
export interface Campaign {
  id: string;
  name: string;
  states: string[];
  cutoffDate: string;
  rules: CampaignRules;
  createdBy: string;
  createdAt: Date;
  evaluatedAt: Date | null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The campaign, or a 404 (400 for an id that is not a UUID). `lock` takes it FOR UPDATE. */
export async function loadCampaign(q: Pick<EntityManager, 'query'>, id: string, lock = false): Promise<Campaign> {
  if (!UUID.test(id)) throw new DomainError('INVALID_CAMPAIGN_ID', `"${id.slice(0, 60)}" is not a campaign id (a UUID)`, 400);
  const [c] = await q.query<Campaign[]>(
    `SELECT id, name, states::text[] AS states, cutoff_date::text AS "cutoffDate", rules, created_by AS "createdBy",
            created_at AS "createdAt", evaluated_at AS "evaluatedAt"
       FROM formalization_campaign WHERE id = $1 ${lock ? 'FOR UPDATE' : ''}`,
    [id],
  );
  if (!c) throw new DomainError('CAMPAIGN_NOT_FOUND', `No formalization campaign ${id}`, 404);
  return c;
}
