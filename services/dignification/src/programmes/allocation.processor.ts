import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AllocationComputed } from '@imb/contracts';
import { recordAudit } from '@imb/audit';
import { JobContext, JobProcessorRegistry, UnrecoverableError } from '@imb/jobs';
import { publishEvent } from '@imb/messaging';
import { EligibilityRules, isStateJoined, withDefaults } from '../units/eligibility-rules';
import { allocate, byTier, CandidateUnit, inputHash } from './allocate';

interface ProgrammeRow {
  id: string;
  year: number;
  envelope: string;
  rules: Partial<EligibilityRules>;
  input_hash: string | null;
}

/** Job kind of a programme's allocation. */
export const ALLOCATION_JOB = 'dignification.allocation';

export interface AllocationRequest {
  programmeId: string;
}

/** What the job saves, in the transaction that stored its answer: that answer. */
export interface AllocationCheckpoint {
  result: AllocationResult;
}

export interface AllocationResult {
  programmeId: string;
  units: number;
  total: number;
  leftOut: number;
  /** False when the inputs were those of the stored result, which was kept as it was. */
  changed: boolean;
  inputHash: string;
}

interface CandidateRow {
  unit_id: string;
  clues: string;
  state_code: string;
  establishment_type: string | null;
  typology: string | null;
  care_level: string | null;
  stratum: string | null;
  transfer_status: string;
  state_stage: string | null;
}

/** Reads every unit of the read model with whether its state has joined (by `rules`), as allocation candidates. */
export async function loadCandidates(m: EntityManager, rules: EligibilityRules): Promise<CandidateUnit[]> {
  const rows = await m.query<CandidateRow[]>(
    `SELECT u.unit_id, u.clues, u.state_code, u.establishment_type, u.typology, u.care_level, u.stratum, u.transfer_status,
            s.stage AS state_stage
       FROM eligible_unit u LEFT JOIN state s ON s.state_code = u.state_code`,
  );
  return rows.map((r) => ({
    unitId: r.unit_id,
    clues: r.clues,
    stateCode: r.state_code,
    establishmentType: r.establishment_type,
    typology: r.typology,
    careLevel: r.care_level,
    stratum: r.stratum,
    transferStatus: r.transfer_status,
    stateJoined: isStateJoined(r.state_stage, rules),
  }));
}

/**
 * Computes a programme's allocation with the rules it was created with. The result is stored in
 * one transaction with its audit record and `allocation-computed` event. Running it again with
 * the same inputs (units, joined states, rules, envelope) changes nothing and emits nothing;
 * with different inputs, allocations are updated in place (their ids survive) — unless money
 * has been paid from the programme, when the stored result is final.
 *
 * One request (one job) is answered once. Its answer is saved as the job's checkpoint in the
 * transaction that writes it, so another attempt at the same job — after a crash or a dropped
 * connection between that commit and the job's completion, or a stalled attempt's redelivery —
 * returns that answer instead of computing again. Comparing inputs alone is not enough: unit and
 * stage events keep arriving, so a repeated attempt would see new inputs and emit a second event
 * for the one request. The checkpoint write is fenced by the attempt's run token, so of two live
 * attempts only the one owning the job can commit, and an attempt claimed after that commit reads
 * the saved answer. A new request is a new job: it computes again (and emits only if inputs changed).
 *
 * Why one transaction and no checkpoints mid-way: the priority rule ranks every unit against the one
 * envelope, so a part of the result is not a result — written chunk by chunk, readers (and
 * disbursements) would see allocations of two computations mixed. The set-based transaction of
 * 12,000 units takes a few seconds (bench/src/allocation.ts); a run killed mid-way commits
 * nothing (its transaction can only end by rolling back), and the retried job recomputes from the
 * same inputs, writing the result, its audit record and its one event exactly once
 * (e2e/dignification-allocation-crash.e2e-spec.ts SIGKILLs the service inside this transaction).
 */
@Injectable()
export class AllocationProcessor implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register<AllocationRequest, AllocationResult, AllocationCheckpoint>({ kind: ALLOCATION_JOB, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext<AllocationRequest, AllocationCheckpoint>): Promise<AllocationResult> {
    // An earlier attempt at this request committed its answer (and its event, if any): keep it.
    if (ctx.checkpoint) return ctx.checkpoint.result;
    const { programmeId } = ctx.request;
    return this.dataSource.transaction(async (m) => {
      const [programme] = await m.query<ProgrammeRow[]>(`SELECT id, year, envelope, rules, input_hash FROM programme WHERE id = $1 FOR UPDATE`, [programmeId]);
      if (!programme) throw new UnrecoverableError(`PROGRAMME_NOT_FOUND: no programme ${programmeId}`);
      const rules = withDefaults(programme.rules);
      const envelope = Number(programme.envelope);
      const candidates = await loadCandidates(m, rules);
      await ctx.progress(0, candidates.length);
      // Hashed as stored, so a programme created before a rule key existed keeps its fingerprint.
      const hash = inputHash(candidates, envelope, programme.rules);
      if (programme.input_hash === hash) {
        const [s] = await m.query<{ units: number; total: string; left_out: number }[]>(
          `SELECT (SELECT count(*)::int FROM allocation WHERE programme_id = $1) AS units,
                  (SELECT coalesce(sum(amount), 0) FROM allocation WHERE programme_id = $1) AS total,
                  (SELECT count(*)::int FROM allocation_left_out WHERE programme_id = $1) AS left_out`,
          [programmeId],
        );
        return this.answer(ctx, m, candidates.length, {
          programmeId,
          units: s.units,
          total: Number(s.total),
          leftOut: s.left_out,
          changed: false,
          inputHash: hash,
        });
      }
      const [{ paid }] = await m.query<{ paid: number }[]>(
        `SELECT count(*)::int AS paid FROM disbursement d JOIN allocation a ON a.id = d.allocation_id WHERE a.programme_id = $1`,
        [programmeId],
      );
      if (paid > 0) {
        throw new UnrecoverableError(`ALLOCATION_FINAL: ${paid} disbursements were already paid from programme ${programme.year}; its allocation can no longer change`);
      }
      const outcome = allocate(candidates, envelope, rules);
      await ctx.heartbeat();
      const f = outcome.funded;
      await m.query(
        `INSERT INTO allocation (id, programme_id, unit_id, clues, state_code, tier, amount, rank)
         SELECT gen_random_uuid(), $1, * FROM unnest($2::uuid[], $3::text[], $4::char(2)[], $5::text[], $6::numeric[], $7::int[])
         ON CONFLICT (programme_id, unit_id) DO UPDATE SET clues = EXCLUDED.clues, state_code = EXCLUDED.state_code,
           tier = EXCLUDED.tier, amount = EXCLUDED.amount, rank = EXCLUDED.rank`,
        [programmeId, f.map((u) => u.unitId), f.map((u) => u.clues), f.map((u) => u.stateCode), f.map((u) => u.tier), f.map((u) => u.amount), f.map((u) => u.rank)],
      );
      // NOT IN over a subquery is hashed; "<> ALL(array)" would compare every row with every funded id.
      await m.query(`DELETE FROM allocation WHERE programme_id = $1 AND unit_id NOT IN (SELECT unnest($2::uuid[]))`, [programmeId, f.map((u) => u.unitId)]);
      await m.query(`DELETE FROM allocation_left_out WHERE programme_id = $1`, [programmeId]);
      const l = outcome.leftOut;
      await m.query(
        `INSERT INTO allocation_left_out (programme_id, unit_id, clues, state_code, reason, message, tier, amount)
         SELECT $1, * FROM unnest($2::uuid[], $3::text[], $4::char(2)[], $5::text[], $6::text[], $7::text[], $8::numeric[])`,
        [programmeId, l.map((u) => u.unitId), l.map((u) => u.clues), l.map((u) => u.stateCode), l.map((u) => u.reason), l.map((u) => u.message), l.map((u) => u.tier), l.map((u) => u.amount)],
      );
      const computedAt = new Date().toISOString();
      const before = { inputHash: programme.input_hash };
      await m.query(`UPDATE programme SET input_hash = $2, total = $3, computed_at = $4 WHERE id = $1`, [programmeId, hash, outcome.total, computedAt]);
      const tiers = Object.fromEntries(byTier(f).map((t) => [t.tier, { units: t.units, amount: t.amount }]));
      // Per state from the rows just written, so the national overview can show what each state was allocated.
      const states = await m.query<{ state_code: string; units: number; amount: string }[]>(
        `SELECT state_code, count(*)::int AS units, sum(amount) AS amount FROM allocation WHERE programme_id = $1 GROUP BY state_code ORDER BY state_code`,
        [programmeId],
      );
      await recordAudit(m, {
        action: 'allocation.computed',
        entity: 'Programme',
        entityId: programmeId,
        before,
        after: { inputHash: hash, units: f.length, total: outcome.total, leftOut: l.length, byTier: tiers },
      });
      await publishEvent(m, AllocationComputed, {
        programmeId,
        year: programme.year,
        envelope,
        units: f.length,
        total: outcome.total,
        leftOut: l.length,
        byTier: tiers,
        byState: states.map((r) => ({ stateCode: r.state_code, units: r.units, amount: Number(r.amount) })),
        inputHash: hash,
        computedAt,
      });
      return this.answer(ctx, m, candidates.length, {
        programmeId,
        units: f.length,
        total: outcome.total,
        leftOut: l.length,
        changed: true,
        inputHash: hash,
      });
    });
  }

  /** Saves `result` as the request's answer in the transaction `m` that stored it, and returns it. */
  private async answer(
    ctx: JobContext<AllocationRequest, AllocationCheckpoint>,
    m: EntityManager,
    candidates: number,
    result: AllocationResult,
  ): Promise<AllocationResult> {
    await ctx.progress(candidates, candidates);
    await ctx.saveCheckpoint({ result }, { manager: m });
    return result;
  }
}
