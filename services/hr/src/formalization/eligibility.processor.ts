import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { JobContext, JobProcessorRegistry, UnrecoverableError } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import type { Branch } from '../post-codes/post-code';
import type { ContractType } from '../rosters/roster-row';
import { Campaign, loadCampaign } from './campaign-record';
import { CandidateFacts, CRITERIA, CriterionOutcome, evaluateCandidate } from './criteria';
import { FormalizationConfig } from './formalization.config';

/** Job kind of a campaign's eligibility evaluation. */
export const ELIGIBILITY_JOB = 'hr.formalization-eligibility';

export interface EligibilityRequest {
  campaignId: string;
}

export interface EligibilityResult {
  campaignId: string;
  /** Candidates of the campaign (appointed ones included). */
  candidates: number;
  eligible: number;
  ineligible: number;
  /** Candidates whose outcome this run changed (0 when nothing changed since the last run). */
  changed: number;
  /** Candidates added to and removed from the population by this run. */
  added: number;
  removed: number;
  /** How many candidates fail each criterion. */
  failedBy: Record<string, number>;
}

interface Checkpoint {
  /** People are evaluated in worker id order; the next chunk starts after this id. */
  afterWorker: string;
  evaluated: number;
  added: number;
  changed: number;
  total: number;
  result?: EligibilityResult;
}

interface FactsRow {
  worker_id: string;
  curp: string;
  state_code: string;
  contract_id: string;
  post_id: string;
  contract_type: ContractType;
  starts_on: string;
  ends_on: string | null;
  first_starts_on: string;
  state_stage: string | null;
  unit_status: string | null;
  unit_status_reason: string | null;
  clues: string;
  post_code: string;
  branch: Branch;
  profession: string | null;
  licence: string | null;
  score: string | null;
  training_hours: number | null;
  permanent_row: number | null;
  permanent_detail: string | null;
  barred_row: number | null;
  barred_detail: string | null;
}

const NO_WORKER = '00000000-0000-0000-0000-000000000000';
const CONTRACT_GONE: CriterionOutcome[] = CRITERIA.map((c) => ({ criterion: c.id, pass: false, reason: 'the contract put forward is no longer on the state roster' }));

/**
 * The people a campaign looks at, with every fact the criteria need, in worker id order: for each
 * worker with a non-base contract in the campaign's states, one contract — eventual or temporary
 * first, then the longest-running, then by post number — so a person is put forward (and
 * appointed) once. Appointed candidates are final and left out. One set-based query (hash joins
 * over the whole population), read through a cursor chunk by chunk.
 */
const FACTS_SQL = `
  WITH population AS (
    SELECT DISTINCT ON (k.worker_id) k.worker_id, k.id AS contract_id, k.post_id, k.state_code, k.type, k.starts_on, k.ends_on, p.code, p.unit_id
      FROM contract k JOIN post p ON p.id = k.post_id
     WHERE k.state_code = ANY($2::char(2)[]) AND k.type <> 'base' AND k.worker_id > $3
     ORDER BY k.worker_id, (k.type IN ('eventual', 'temporal')) DESC, k.starts_on, p.number
  )
  SELECT pop.worker_id, w.curp, pop.state_code, pop.contract_id, pop.post_id, pop.type AS contract_type,
         pop.starts_on::text AS starts_on, pop.ends_on::text AS ends_on, f.first_starts_on::text AS first_starts_on,
         s.stage AS state_stage, us.status AS unit_status, us.reason AS unit_status_reason, u.clues, pop.code AS post_code, pc.branch,
         w.profession, w.licence, ev.score, ev.training_hours,
         pp.row AS permanent_row, pp.detail AS permanent_detail, b.row AS barred_row, b.detail AS barred_detail
    FROM population pop
    JOIN worker w ON w.id = pop.worker_id
    JOIN (SELECT worker_id, min(starts_on) AS first_starts_on FROM contract GROUP BY worker_id) f ON f.worker_id = pop.worker_id
    JOIN post_code pc ON pc.code = pop.code
    JOIN hr_unit u ON u.unit_id = pop.unit_id
    LEFT JOIN state s ON s.state_code = u.state_code
    LEFT JOIN formalization_unit_status us ON us.unit_id = pop.unit_id
    LEFT JOIN formalization_list_entry ev ON ev.campaign_id = $1 AND ev.kind = 'evaluations' AND ev.curp = w.curp
    LEFT JOIN formalization_list_entry pp ON pp.campaign_id = $1 AND pp.kind = 'permanent-posts' AND pp.curp = w.curp
    LEFT JOIN formalization_list_entry b ON b.campaign_id = $1 AND b.kind = 'barred' AND b.curp = w.curp
    LEFT JOIN formalization_candidate c ON c.campaign_id = $1 AND c.worker_id = pop.worker_id
   WHERE c.step IS DISTINCT FROM 'appointed'
   ORDER BY pop.worker_id`;

/** The criterion outcomes of one person. */
function outcomesOf(r: FactsRow, campaign: Campaign): CriterionOutcome[] {
  const facts: CandidateFacts = {
    contractType: r.contract_type,
    startsOn: r.starts_on,
    endsOn: r.ends_on,
    firstStartsOn: r.first_starts_on,
    stateStage: r.state_stage,
    unitStatus: r.unit_status,
    unitStatusReason: r.unit_status_reason,
    clues: r.clues,
    postCode: r.post_code,
    branch: r.branch,
    profession: r.profession,
    licence: r.licence,
    evaluation: r.score === null ? null : { score: Number(r.score), trainingHours: r.training_hours ?? 0 },
    permanentPost: r.permanent_row === null ? null : { row: r.permanent_row, detail: r.permanent_detail },
    barred: r.barred_row === null ? null : { row: r.barred_row, detail: r.barred_detail },
  };
  return evaluateCandidate(facts, campaign.cutoffDate, campaign.rules);
}

/** Inserts the chunk's candidates with their outcomes, or updates those whose contract or outcome changed. */
async function storeCandidates(m: EntityManager, campaign: Campaign, rows: FactsRow[]): Promise<{ added: number; changed: number }> {
  // One JSON document for the chunk: far less to build and escape than one array per column.
  const chunk = rows.map((r) => {
    const outcomes = outcomesOf(r, campaign);
    const failed = outcomes.filter((o) => !o.pass).map((o) => o.criterion);
    return { worker_id: r.worker_id, curp: r.curp, state_code: r.state_code, contract_id: r.contract_id, post_id: r.post_id, eligible: !failed.length, failed, outcomes };
  });
  const [written] = await m.query<{ added: number; changed: number }[]>(
    `WITH written AS (
       INSERT INTO formalization_candidate (id, campaign_id, worker_id, curp, state_code, contract_id, post_id, eligible, failed, outcomes, evaluated_at)
       SELECT gen_random_uuid(), $1, v.worker_id, v.curp, v.state_code, v.contract_id, v.post_id, v.eligible, v.failed, v.outcomes, now()
         FROM jsonb_to_recordset($2::jsonb)
              AS v(worker_id uuid, curp text, state_code char(2), contract_id uuid, post_id uuid, eligible boolean, failed text[], outcomes jsonb)
       ON CONFLICT (campaign_id, worker_id) DO UPDATE SET curp = EXCLUDED.curp, state_code = EXCLUDED.state_code, contract_id = EXCLUDED.contract_id,
         post_id = EXCLUDED.post_id, eligible = EXCLUDED.eligible, failed = EXCLUDED.failed, outcomes = EXCLUDED.outcomes, evaluated_at = EXCLUDED.evaluated_at
       WHERE formalization_candidate.step <> 'appointed'
         AND (formalization_candidate.curp, formalization_candidate.state_code, formalization_candidate.contract_id, formalization_candidate.post_id,
              formalization_candidate.eligible, formalization_candidate.outcomes)
             IS DISTINCT FROM (EXCLUDED.curp, EXCLUDED.state_code, EXCLUDED.contract_id, EXCLUDED.post_id, EXCLUDED.eligible, EXCLUDED.outcomes)
       RETURNING (xmax = 0) AS inserted)
     SELECT count(*) FILTER (WHERE inserted)::int AS added, count(*)::int AS changed FROM written`,
    [campaign.id, JSON.stringify(chunk)],
  );
  return written;
}

/**
 * Candidates no roster puts forward any more: dropped while they have not started their steps;
 * kept, but ineligible, once they have (their file stays with the campaign). Returns how many.
 */
async function settleDeparted(m: EntityManager, campaign: Campaign): Promise<{ removed: number; changed: number }> {
  const departed = `c.campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM contract k WHERE k.worker_id = c.worker_id AND k.state_code = ANY($2::char(2)[]) AND k.type <> 'base')`;
  const [{ removed }] = await m.query<{ removed: number }[]>(
    `WITH removed AS (DELETE FROM formalization_candidate c WHERE ${departed} AND c.step = 'evaluated' RETURNING 1) SELECT count(*)::int AS removed FROM removed`,
    [campaign.id, campaign.states],
  );
  const [{ changed }] = await m.query<{ changed: number }[]>(
    `WITH changed AS (
       UPDATE formalization_candidate c SET eligible = false, failed = $3::text[], outcomes = $4::jsonb, evaluated_at = now()
        WHERE ${departed} AND c.step NOT IN ('evaluated', 'appointed') AND c.outcomes IS DISTINCT FROM $4::jsonb
       RETURNING 1)
     SELECT count(*)::int AS changed FROM changed`,
    [campaign.id, campaign.states, CRITERIA.map((c) => c.id), JSON.stringify(CONTRACT_GONE)],
  );
  return { removed, changed };
}

/**
 * The eligibility job of a campaign: the population and every fact the criteria need come from
 * one set-based query read in chunks; the 7 criteria are decided by the rule functions; each
 * chunk's candidates and outcomes are written with one statement, committed with its audit
 * record and checkpoint, so a crash resumes after the last committed chunk. Appointed candidates
 * are final and not re-evaluated. Running it again with the same rosters and lists changes nothing.
 */
@Injectable()
export class EligibilityProcessor implements OnModuleInit {
  private readonly logger = new Logger(EligibilityProcessor.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly config: FormalizationConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<EligibilityRequest, EligibilityResult, Checkpoint>({ kind: ELIGIBILITY_JOB, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext<EligibilityRequest, Checkpoint>): Promise<EligibilityResult> {
    if (ctx.checkpoint?.result) return ctx.checkpoint.result;
    const campaign = await loadCampaign(this.dataSource, ctx.request.campaignId).catch((err: unknown) => {
      throw err instanceof DomainError ? new UnrecoverableError(`${err.code}: ${err.message}`) : err;
    });
    const reason = `eligibility job ${ctx.jobId} of campaign "${campaign.name}"`;
    let at: Checkpoint = ctx.checkpoint ?? { afterWorker: NO_WORKER, evaluated: 0, added: 0, changed: 0, total: 0 };
    // A roster import may just have filled these tables: planned on stale statistics, the departed
    // candidates' anti-join ran for many minutes over 100,000 contracts (seen in the fault suite).
    // Through a SECURITY DEFINER function: the service's role does not own the tables, and only
    // the owner may ANALYZE them (its migration explains).
    await this.dataSource.query(`SELECT formalization_analyze()`);
    if (!ctx.checkpoint) {
      const [{ total }] = await this.dataSource.query<{ total: number }[]>(
        `SELECT count(DISTINCT worker_id)::int AS total FROM contract WHERE state_code = ANY($1::char(2)[]) AND type <> 'base'`,
        [campaign.states],
      );
      at.total = total;
    }
    await ctx.progress(at.evaluated, at.total);

    // The facts are read through a cursor in a transaction of their own; each chunk is written,
    // audited and checkpointed in its own transaction.
    const reader = this.dataSource.createQueryRunner();
    await reader.connect();
    try {
      await reader.startTransaction();
      // Plan for the whole result (hash joins), not for its first rows; sort in memory.
      await reader.query(`SET LOCAL cursor_tuple_fraction = 1`);
      await reader.query(`SET LOCAL work_mem = '64MB'`);
      await reader.query(`DECLARE facts NO SCROLL CURSOR FOR ${FACTS_SQL}`, [campaign.id, campaign.states, at.afterWorker]);
      for (;;) {
        const rows: FactsRow[] = await reader.query(`FETCH ${this.config.FORMALIZATION_EVALUATION_CHUNK} FROM facts`);
        if (!rows.length) break;
        at = await this.dataSource.transaction(async (m) => {
          const written = await storeCandidates(m, campaign, rows);
          if (written.changed) {
            await recordAudit(m, { action: 'formalization.candidates-evaluated', entity: 'FormalizationCampaign', entityId: campaign.id, after: { evaluated: rows.length, ...written }, reason });
          }
          const moved: Checkpoint = {
            ...at,
            afterWorker: rows[rows.length - 1].worker_id,
            evaluated: at.evaluated + rows.length,
            added: at.added + written.added,
            changed: at.changed + written.changed,
          };
          await ctx.saveCheckpoint(moved, { manager: m });
          return moved;
        });
        await ctx.progress(at.evaluated, Math.max(at.total, at.evaluated));
      }
      await reader.commitTransaction();
    } finally {
      if (reader.isTransactionActive) await reader.rollbackTransaction();
      await reader.release();
    }

    const result = await this.dataSource.transaction(async (m) => {
      const departed = await settleDeparted(m, campaign);
      const [counts] = await m.query<{ candidates: number; eligible: number; ineligible: number }[]>(
        `SELECT count(*)::int AS candidates, count(*) FILTER (WHERE eligible)::int AS eligible, count(*) FILTER (WHERE NOT eligible)::int AS ineligible
           FROM formalization_candidate WHERE campaign_id = $1`,
        [campaign.id],
      );
      const failed = await m.query<{ criterion: string; n: number }[]>(
        `SELECT f AS criterion, count(*)::int AS n FROM formalization_candidate, unnest(failed) AS f WHERE campaign_id = $1 GROUP BY f`,
        [campaign.id],
      );
      const failedBy = Object.fromEntries(CRITERIA.map((c) => [c.id, failed.find((f) => f.criterion === c.id)?.n ?? 0]));
      const done: EligibilityResult = {
        campaignId: campaign.id,
        ...counts,
        changed: at.changed + departed.changed + departed.removed,
        added: at.added,
        removed: departed.removed,
        failedBy,
      };
      await m.query(`UPDATE formalization_campaign SET evaluated_at = now() WHERE id = $1`, [campaign.id]);
      await recordAudit(m, { action: 'formalization.eligibility-evaluated', entity: 'FormalizationCampaign', entityId: campaign.id, before: { evaluatedAt: campaign.evaluatedAt }, after: done, reason });
      await ctx.saveCheckpoint({ ...at, result: done }, { manager: m });
      return done;
    });
    await ctx.progress(at.evaluated, at.evaluated);
    this.logger.log(`${ELIGIBILITY_JOB} ${ctx.jobId}: ${result.candidates} candidates, ${result.eligible} eligible, ${result.changed} changed`);
    return result;
  }
}
