import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { stateByCode } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { requireExercise } from '../exercises/exercises.service';
import { CONSOLIDATION, ConsolidationRequest } from './consolidation.processor';
import type { ConsolidationFilter } from './consolidation.dto';

/** The buyer that purchases for an enrolled state. */
export const CONSOLIDATED_BUYER = 'IMSS-BIENESTAR';

interface Summary {
  claves: number;
  institutions: number;
  totalMin: number;
  totalMax: number;
  enrolledStates: string[];
  consolidatedAt: Date;
  jobId: string | null;
}

/** Consolidated demand of an exercise: running the job and reading its figures. */
@Injectable()
export class ConsolidationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
  ) {}

  async request(exerciseCode: string): Promise<{ jobId: string }> {
    await requireExercise(this.dataSource.manager, exerciseCode);
    const request: ConsolidationRequest = { exerciseCode };
    return { jobId: await this.jobs.enqueue(CONSOLIDATION, request, { stateCode: null }) };
  }

  private async summary(exerciseCode: string): Promise<Summary> {
    await requireExercise(this.dataSource.manager, exerciseCode);
    const [row] = await this.dataSource.query<Summary[]>(
      `SELECT claves, institutions, total_min::float8 AS "totalMin", total_max::float8 AS "totalMax",
              enrolled_states::text[] AS "enrolledStates", consolidated_at AS "consolidatedAt", job_id AS "jobId"
         FROM consolidation WHERE exercise_code = $1`,
      [exerciseCode],
    );
    if (!row) {
      throw new DomainError('NOT_CONSOLIDATED', `Exercise ${exerciseCode} has not been consolidated yet: POST /api/procurement/exercises/${exerciseCode}/consolidate`, 409);
    }
    return row;
  }

  /** Where the items of a filter come from: national per clave, or one state's per clave. */
  private scope(exerciseCode: string, filter: ConsolidationFilter) {
    const params: unknown[] = [exerciseCode];
    let where: string;
    if (filter.stateCode) {
      params.push(filter.stateCode);
      where = `l.exercise_code = $1 AND l.dimension = 'clave-state' AND l.state_code = $2`;
    } else {
      where = `l.exercise_code = $1 AND l.dimension = 'clave'`;
    }
    if (filter.clave) {
      params.push(filter.clave);
      where += ` AND l.key = $${params.length}`;
    }
    return { where, params, claveOf: 'l.key' };
  }

  /** The contract's view: `{ claves, institutions, totalMin, totalMax, items: [{ clave, description, min, max }], total, page, pageSize }`. */
  async get(exerciseCode: string, filter: ConsolidationFilter) {
    const summary = await this.summary(exerciseCode);
    const page = filter.page ?? 1;
    const pageSize = filter.pageSize ?? 100;
    const { where, params, claveOf } = this.scope(exerciseCode, filter);
    const [totals] = await this.dataSource.query<{ claves: number; totalMin: number; totalMax: number }[]>(
      `SELECT count(*)::int AS claves, coalesce(sum(l.min), 0)::float8 AS "totalMin", coalesce(sum(l.max), 0)::float8 AS "totalMax"
         FROM consolidation_line l WHERE ${where}`,
      params,
    );
    let institutions = summary.institutions;
    if (filter.stateCode || filter.clave) {
      // Institutions with demand in the scope asked for.
      const [row] = await this.dataSource.query<{ n: number }[]>(
        `SELECT count(DISTINCT institution)::int AS n FROM demand_line
          WHERE exercise_code = $1 ${filter.stateCode ? 'AND state_code = $2' : ''} ${filter.clave ? `AND clave = $${filter.stateCode ? 3 : 2}` : ''}`,
        [exerciseCode, ...(filter.stateCode ? [filter.stateCode] : []), ...(filter.clave ? [filter.clave] : [])],
      );
      institutions = row.n;
    }
    const items = await this.dataSource.query<{ clave: string; description: string | null; min: number; max: number }[]>(
      `SELECT ${claveOf} AS clave, c.description, l.min::float8 AS min, l.max::float8 AS max
         FROM consolidation_line l LEFT JOIN clave c ON c.clave = ${claveOf}
        WHERE ${where} ORDER BY ${claveOf} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return {
      claves: totals.claves,
      institutions,
      totalMin: totals.totalMin,
      totalMax: totals.totalMax,
      items,
      total: totals.claves,
      page,
      pageSize,
    };
  }

  /**
   * The breakdowns: per institution (from the exercise's demand lines) and per state (from the
   * consolidation), each with its buyer (IMSS-BIENESTAR for the states enrolled when
   * consolidated, otherwise the institution itself), and per buyer.
   */
  async breakdown(exerciseCode: string) {
    const summary = await this.summary(exerciseCode);
    const enrolled = new Set(summary.enrolledStates.map((s) => s.trim()));
    const byInstitution = (
      await this.dataSource.query<{ institution: string; stateCode: string | null; lines: number; min: number; max: number }[]>(
        `SELECT institution, min(state_code) AS "stateCode", count(*)::int AS lines, sum(min)::float8 AS min, sum(max)::float8 AS max
           FROM demand_line WHERE exercise_code = $1 GROUP BY institution ORDER BY institution`,
        [exerciseCode],
      )
    ).map((i) => ({ ...i, buyer: i.stateCode && enrolled.has(i.stateCode) ? CONSOLIDATED_BUYER : i.institution }));
    const byState = (
      await this.dataSource.query<{ stateCode: string; min: number; max: number }[]>(
        `SELECT key AS "stateCode", min::float8 AS min, max::float8 AS max
           FROM consolidation_line WHERE exercise_code = $1 AND dimension = 'state' ORDER BY key`,
        [exerciseCode],
      )
    ).map((s) => ({
      ...s,
      stateName: stateByCode(s.stateCode)?.name ?? s.stateCode,
      enrolled: enrolled.has(s.stateCode),
      buyer: enrolled.has(s.stateCode) ? CONSOLIDATED_BUYER : null,
    }));
    const buyers = new Map<string, { buyer: string; institutions: number; states: string[]; min: number; max: number }>();
    for (const i of byInstitution) {
      const b = buyers.get(i.buyer) ?? { buyer: i.buyer, institutions: 0, states: [], min: 0, max: 0 };
      b.institutions++;
      if (i.buyer === CONSOLIDATED_BUYER && i.stateCode) b.states.push(i.stateCode);
      b.min += i.min;
      b.max += i.max;
      buyers.set(i.buyer, b);
    }
    return {
      exerciseCode,
      consolidatedAt: summary.consolidatedAt,
      jobId: summary.jobId,
      claves: summary.claves,
      institutions: summary.institutions,
      totalMin: summary.totalMin,
      totalMax: summary.totalMax,
      enrolledStates: [...enrolled],
      byBuyer: [...buyers.values()].sort((a, b) => b.max - a.max),
      byInstitution,
      byState,
    };
  }

  /** Every item of a filter, in clave order, for the exports (a few thousand rows). */
  async *exportRows(exerciseCode: string, filter: ConsolidationFilter): AsyncGenerator<{ clave: string; description: string | null; min: string; max: string }> {
    await this.summary(exerciseCode);
    const { where, params, claveOf } = this.scope(exerciseCode, filter);
    const pageSize = 5000;
    for (let offset = 0; ; offset += pageSize) {
      const rows = await this.dataSource.query<{ clave: string; description: string | null; min: string; max: string }[]>(
        `SELECT ${claveOf} AS clave, c.description, l.min::text AS min, l.max::text AS max
           FROM consolidation_line l LEFT JOIN clave c ON c.clave = ${claveOf}
          WHERE ${where} ORDER BY ${claveOf} LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
        [...params, pageSize, offset],
      );
      yield* rows;
      if (rows.length < pageSize) return;
    }
  }
}
