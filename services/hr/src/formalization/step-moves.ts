import type { EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { WorkerFormalized, WorkerFormalizedV1 } from '@imb/contracts';
import { publishEvents } from '@imb/messaging';
import { lockRosterWrites } from '../rosters/roster-import.writer';
import type { Campaign } from './campaign-record';
import type { Step, StepSubject, TargetStep } from './steps';

/** A candidate locked for a step move, with what its appointment needs. */
export interface LockedCandidate extends StepSubject {
  id: string;
  workerId: string;
  stateCode: string;
  contractId: string;
  postId: string;
  contractType: string | null;
  postNumber: string | null;
  postCode: string | null;
  category: string | null;
  clues: string | null;
  postPermanent: boolean | null;
}

/** Locks the campaign's candidates with these CURPs (FOR UPDATE), keyed by CURP. */
export async function lockCandidates(m: EntityManager, campaignId: string, curps: string[]): Promise<Map<string, LockedCandidate>> {
  // Roster imports wait meanwhile: the contracts read here stay as read until this transaction ends.
  await lockRosterWrites(m);
  const rows = await m.query<LockedCandidate[]>(
    `SELECT c.id, c.curp, c.worker_id AS "workerId", c.state_code AS "stateCode", c.contract_id AS "contractId", c.post_id AS "postId",
            c.eligible, c.failed, c.step, c.step_reason AS "stepReason",
            k.type AS "contractType", p.number AS "postNumber", p.code AS "postCode", pc.category, u.clues, p.permanent AS "postPermanent"
       FROM formalization_candidate c
       LEFT JOIN contract k ON k.id = c.contract_id AND k.post_id = c.post_id
       LEFT JOIN post p ON p.id = k.post_id
       LEFT JOIN post_code pc ON pc.code = p.code
       LEFT JOIN hr_unit u ON u.unit_id = p.unit_id
      WHERE c.campaign_id = $1 AND c.curp = ANY($2::text[])
      ORDER BY c.id
      FOR UPDATE OF c`,
    [campaignId, curps],
  );
  return new Map(rows.map((r) => [r.curp, r]));
}

/** Why this candidate's contract cannot become base any more, or null. */
export function appointmentProblem(c: LockedCandidate): string | null {
  if (!c.contractType || !c.postNumber || !c.postCode || !c.clues) return `the contract of CURP ${c.curp} is no longer on the state roster; run the eligibility job again`;
  if (c.contractType === 'base') return `the contract of CURP ${c.curp} is already base`;
  return null;
}

/** Moves candidates to a step other than the appointment, each with its audit record. */
export async function applySteps(m: EntityManager, campaign: Campaign, to: Exclude<TargetStep, 'appointed'>, moves: { candidate: LockedCandidate; reason: string | null }[]): Promise<void> {
  if (!moves.length) return;
  await m.query(
    `UPDATE formalization_candidate c SET step = $1, step_reason = v.reason, step_changed_at = now()
       FROM unnest($2::uuid[], $3::text[]) AS v(id, reason) WHERE c.id = v.id`,
    [to, moves.map((mv) => mv.candidate.id), moves.map((mv) => mv.reason)],
  );
  for (const { candidate: c, reason } of moves) {
    await recordAudit(m, {
      action: 'formalization.step-moved',
      entity: 'FormalizationCandidate',
      entityId: c.id,
      stateCode: c.stateCode,
      before: { curp: c.curp, step: c.step },
      after: { curp: c.curp, step: to, reason },
      reason: reason ?? `campaign "${campaign.name}": ${to}`,
    });
  }
}

/**
 * Appoints candidates in the caller's transaction: the appointment row (unique per contract and
 * per person and campaign, so it happens once whatever is retried), the contract made base and
 * open-ended, the post made permanent, the candidate at `appointed`, an audit record per person
 * and worker-formalized through the outbox. Returns the candidates appointed now; the others
 * were appointed before.
 */
export async function appointCandidates(m: EntityManager, campaign: Campaign, candidates: LockedCandidate[], jobId: string | null): Promise<LockedCandidate[]> {
  if (!candidates.length) return [];
  const inserted = await m.query<{ candidate_id: string; appointed_at: Date }[]>(
    `INSERT INTO formalization_appointment (id, campaign_id, candidate_id, worker_id, contract_id, post_id, state_code, previous_contract_type, job_id)
     SELECT gen_random_uuid(), $1, v.candidate_id, v.worker_id, v.contract_id, v.post_id, v.state_code, v.previous_type, $2
       FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::char(2)[], $8::text[]) AS v(candidate_id, worker_id, contract_id, post_id, state_code, previous_type)
     ON CONFLICT DO NOTHING
     RETURNING candidate_id, appointed_at`,
    [
      campaign.id,
      jobId,
      candidates.map((c) => c.id),
      candidates.map((c) => c.workerId),
      candidates.map((c) => c.contractId),
      candidates.map((c) => c.postId),
      candidates.map((c) => c.stateCode),
      candidates.map((c) => c.contractType),
    ],
  );
  const at = new Map(inserted.map((r) => [r.candidate_id, r.appointed_at]));
  const appointed = candidates.filter((c) => at.has(c.id));
  if (!appointed.length) return [];
  const reason = `formalized: base appointment in campaign "${campaign.name}"`;
  await m.query(`UPDATE contract SET type = 'base', ends_on = NULL, updated_at = now() WHERE id = ANY($1::uuid[])`, [appointed.map((c) => c.contractId)]);
  await m.query(`UPDATE post SET permanent = true, status_reason = $2, updated_at = now() WHERE id = ANY($1::uuid[])`, [appointed.map((c) => c.postId), reason]);
  await m.query(`UPDATE formalization_candidate SET step = 'appointed', step_reason = NULL, step_changed_at = now() WHERE id = ANY($1::uuid[])`, [appointed.map((c) => c.id)]);
  for (const c of appointed) {
    await recordAudit(m, {
      action: 'worker.formalized',
      entity: 'Contract',
      entityId: c.contractId,
      stateCode: c.stateCode,
      before: { curp: c.curp, contractType: c.contractType, postNumber: c.postNumber, postPermanent: c.postPermanent, step: c.step },
      after: { curp: c.curp, contractType: 'base', postNumber: c.postNumber, postPermanent: true, step: 'appointed' as Step, campaignId: campaign.id },
      reason,
    });
  }
  await publishEvents(
    m,
    WorkerFormalized,
    appointed.map(
      (c): WorkerFormalizedV1 => ({
        workerId: c.workerId,
        curp: c.curp,
        stateCode: c.stateCode,
        campaignId: campaign.id,
        contractId: c.contractId,
        postId: c.postId,
        postNumber: c.postNumber!,
        postCode: c.postCode!,
        category: c.category!,
        clues: c.clues!,
        previousContractType: c.contractType!,
        appointedAt: at.get(c.id)!.toISOString(),
      }),
    ),
  );
  return appointed;
}
