import { Injectable, OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { DemandConsolidated } from '@imb/contracts';
import { JobContext, JobProcessorRegistry, UnrecoverableError } from '@imb/jobs';
import { publishEvent } from '@imb/messaging';
import { requireExercise } from '../exercises/exercises.service';

/** Job kind of a consolidation. */
export const CONSOLIDATION = 'procurement.consolidation';

export interface ConsolidationRequest {
  exerciseCode: string;
}

export interface ConsolidationResult {
  exerciseCode: string;
  claves: number;
  institutions: number;
  totalMin: number;
  totalMax: number;
  enrolledStates: string[];
  consolidatedAt: string;
}

/**
 * The aggregation: one INSERT … SELECT … GROUP BY over the exercise's demand lines, per clave and
 * state (the state of the IMSS-BIENESTAR per-state columns; null for the other institutions).
 * The national figures per clave and the per-state totals come from those few thousand groups.
 * Who buys (IMSS-BIENESTAR for enrolled states) is applied when reading, from the states enrolled
 * when consolidated: enrollment never changes the totals.
 */
export const CONSOLIDATE_SQL = `
  INSERT INTO consolidation_line (exercise_code, dimension, key, state_code, min, max)
  SELECT $1, 'clave-state', clave, state_code, sum(min), sum(max)
    FROM demand_line WHERE exercise_code = $1
   GROUP BY clave, state_code`;

export const DERIVE_SQL = `
  INSERT INTO consolidation_line (exercise_code, dimension, key, state_code, min, max)
  SELECT $1, 'clave', key, NULL, sum(min), sum(max)
    FROM consolidation_line WHERE exercise_code = $1 AND dimension = 'clave-state' GROUP BY key
  UNION ALL
  SELECT $1, 'state', state_code, state_code, sum(min), sum(max)
    FROM consolidation_line WHERE exercise_code = $1 AND dimension = 'clave-state' AND state_code IS NOT NULL GROUP BY state_code`;

/**
 * The consolidation job: replaces the exercise's consolidated figures in one transaction, with
 * the summary, an audit record and the demand-consolidated event.
 */
@Injectable()
export class ConsolidationProcessor implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly registry: JobProcessorRegistry,
  ) {}

  onModuleInit(): void {
    this.registry.register<ConsolidationRequest, ConsolidationResult, unknown>({ kind: CONSOLIDATION, run: (ctx) => this.run(ctx) });
  }

  private run(ctx: JobContext<ConsolidationRequest>): Promise<ConsolidationResult> {
    const { exerciseCode } = ctx.request;
    return this.dataSource.transaction(async (m) => {
      // Locked: two consolidations of one exercise run one after the other.
      await requireExercise(m, exerciseCode, true);
      const before = await m.query<{ claves: number; total_min: string; total_max: string; enrolled_states: string[] }[]>(
        `SELECT claves, total_min, total_max, enrolled_states FROM consolidation WHERE exercise_code = $1`,
        [exerciseCode],
      );
      await m.query(`DELETE FROM consolidation_line WHERE exercise_code = $1`, [exerciseCode]);
      await m.query(CONSOLIDATE_SQL, [exerciseCode]);
      await m.query(DERIVE_SQL, [exerciseCode]);
      const [sum] = await m.query<{ claves: number; institutions: number; total_min: string; total_max: string }[]>(
        `SELECT count(*)::int AS claves, coalesce(sum(min), 0)::text AS total_min, coalesce(sum(max), 0)::text AS total_max,
                (SELECT count(*)::int FROM demand_institution WHERE exercise_code = $1) AS institutions
           FROM consolidation_line WHERE exercise_code = $1 AND dimension = 'clave'`,
        [exerciseCode],
      );
      if (sum.claves === 0) throw new UnrecoverableError(`Exercise ${exerciseCode} has no demand yet: import its annex first. Nothing was consolidated.`);
      const [{ states, at }] = await m.query<{ states: string[]; at: Date }[]>(
        `SELECT coalesce(array_agg(state_code ORDER BY state_code), '{}')::text[] AS states, now() AS at FROM enrollment`,
      );
      await m.query(
        `INSERT INTO consolidation (exercise_code, job_id, claves, institutions, total_min, total_max, enrolled_states, consolidated_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (exercise_code) DO UPDATE SET job_id = EXCLUDED.job_id, claves = EXCLUDED.claves, institutions = EXCLUDED.institutions,
           total_min = EXCLUDED.total_min, total_max = EXCLUDED.total_max, enrolled_states = EXCLUDED.enrolled_states,
           consolidated_at = EXCLUDED.consolidated_at`,
        [exerciseCode, ctx.jobId, sum.claves, sum.institutions, sum.total_min, sum.total_max, states, at],
      );
      const result: ConsolidationResult = {
        exerciseCode,
        claves: sum.claves,
        institutions: sum.institutions,
        totalMin: Number(sum.total_min),
        totalMax: Number(sum.total_max),
        enrolledStates: states.map((s) => s.trim()),
        consolidatedAt: new Date(at).toISOString(),
      };
      await recordAudit(m, {
        action: 'demand.consolidated',
        entity: 'Exercise',
        entityId: exerciseCode,
        before: before[0] ? { claves: before[0].claves, totalMin: Number(before[0].total_min), totalMax: Number(before[0].total_max), enrolledStates: before[0].enrolled_states } : null,
        after: { claves: result.claves, institutions: result.institutions, totalMin: result.totalMin, totalMax: result.totalMax, enrolledStates: result.enrolledStates },
      });
      await publishEvent(m, DemandConsolidated, {
        exerciseCode,
        claves: result.claves,
        institutions: result.institutions,
        totalMin: result.totalMin,
        totalMax: result.totalMax,
        enrolledStates: result.enrolledStates.length,
        consolidatedAt: result.consolidatedAt,
      });
      return result;
    });
  }
}
