import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobContext, JobProcessorRegistry, JobRowError, UnrecoverableError } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { loadCampaign } from './campaign-record';
import { FormalizationConfig } from './formalization.config';
import { appointCandidates, appointmentProblem, applySteps, LockedCandidate, lockCandidates } from './step-moves';
import { checkStepMove, TargetStep } from './steps';

/** Job kind of a bulk step move (e.g. a wave of appointments). */
export const STEP_MOVES_JOB = 'hr.formalization-steps';

export interface StepMovesRequest {
  campaignId: string;
  toStep: TargetStep;
  reason?: string;
  curps: string[];
}

/** One person's outcome: `ok` at the new step, or `error` with why nothing changed for them. */
export interface StepMoveOutcome {
  curp: string;
  outcome: 'ok' | 'error';
  step?: TargetStep;
  message?: string;
}

export interface StepMovesResult {
  campaignId: string;
  toStep: TargetStep;
  total: number;
  ok: number;
  failed: number;
  outcomes: StepMoveOutcome[];
}

interface Checkpoint {
  nextIndex: number;
  ok: number;
  /** Position in the request → why that person was refused. */
  failures: Record<number, string>;
}

/**
 * Moves many people of a campaign to a step in chunks; each chunk's moves, appointments, audit
 * records, events and checkpoint commit together, so a crash resumes after the last committed
 * chunk and nobody is moved (or appointed) twice — the appointment's unique keys hold even if a
 * chunk were redone. One refusal never blocks the others; row errors name the position (1-based).
 */
@Injectable()
export class StepMovesProcessor implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
    private readonly config: FormalizationConfig,
  ) {}

  onModuleInit(): void {
    this.registry.register<StepMovesRequest, StepMovesResult, Checkpoint>({ kind: STEP_MOVES_JOB, run: (ctx) => this.run(ctx) });
  }

  async run(ctx: JobContext<StepMovesRequest, Checkpoint>): Promise<StepMovesResult> {
    const { campaignId, toStep, reason, curps } = ctx.request;
    const campaign = await loadCampaign(this.dataSource, campaignId).catch((err: unknown) => {
      throw err instanceof DomainError ? new UnrecoverableError(`${err.code}: ${err.message}`) : err;
    });
    const firstIndexOf = new Map<string, number>();
    curps.forEach((c, i) => {
      if (!firstIndexOf.has(c)) firstIndexOf.set(c, i);
    });
    let ok = ctx.checkpoint?.ok ?? 0;
    let failures = ctx.checkpoint?.failures ?? {};
    const chunk = this.config.FORMALIZATION_STEP_CHUNK;

    for (let start = ctx.checkpoint?.nextIndex ?? 0; start < curps.length; start += chunk) {
      const slice = curps.slice(start, start + chunk);
      const done = await this.dataSource.transaction(async (m) => {
        const locked = await lockCandidates(m, campaignId, slice);
        const refused: Record<number, string> = {};
        const moving: LockedCandidate[] = [];
        slice.forEach((curp, offset) => {
          const index = start + offset;
          const first = firstIndexOf.get(curp)!;
          if (first !== index) return (refused[index] = `CURP ${curp} is listed twice (first at position ${first + 1}); it is moved once`);
          const candidate = locked.get(curp);
          if (!candidate) return (refused[index] = `CURP ${curp} is not a candidate of campaign "${campaign.name}"`);
          try {
            checkStepMove(candidate, toStep, reason);
          } catch (err) {
            if (err instanceof DomainError) return (refused[index] = err.message);
            throw err;
          }
          const problem = toStep === 'appointed' ? appointmentProblem(candidate) : null;
          if (problem) return (refused[index] = problem);
          moving.push(candidate);
        });
        let moved = moving.length;
        if (toStep === 'appointed') {
          const appointed = new Set((await appointCandidates(m, campaign, moving, ctx.jobId)).map((c) => c.id));
          moved = appointed.size;
          moving.forEach((c) => {
            if (!appointed.has(c.id)) refused[firstIndexOf.get(c.curp)!] = `CURP ${c.curp} or its contract was already appointed; nothing changed`;
          });
        } else {
          await applySteps(m, campaign, toStep, moving.map((candidate) => ({ candidate, reason: reason ?? null })));
        }
        const errors: JobRowError[] = Object.entries(refused).map(([index, message]) => ({ row: Number(index) + 1, field: 'curp', message }));
        if (errors.length) await ctx.addErrors(errors, { manager: m });
        const next: Checkpoint = { nextIndex: start + slice.length, ok: ok + moved, failures: { ...failures, ...refused } };
        await ctx.saveCheckpoint(next, { manager: m });
        return next;
      });
      await ctx.progress(done.nextIndex, curps.length);
      ok = done.ok;
      failures = done.failures;
    }

    const outcomes: StepMoveOutcome[] = curps.map((curp, i) =>
      failures[i] !== undefined ? { curp, outcome: 'error', message: failures[i] } : { curp, outcome: 'ok', step: toStep },
    );
    return { campaignId, toStep, total: curps.length, ok, failed: curps.length - ok, outcomes };
  }
}
