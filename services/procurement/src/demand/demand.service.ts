import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { JobsService } from '@imb/jobs';
import { requireExercise } from '../exercises/exercises.service';
import type { ReceivedAnnex } from './annex-upload.interceptor';
import { DEMAND_IMPORT, DemandImportRequest } from './demand-import.processor';
import type { ListDemandQuery } from './demand.dto';
import { parseMapping } from './mapping.dto';

/** Demand of an exercise: imports of the published annexes and the lines they brought. */
@Injectable()
export class DemandService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
  ) {}

  /** Queues the import of a received annex; the job owns the stored file from now on. */
  async requestImport(exerciseCode: string, file: ReceivedAnnex, dryRun: boolean): Promise<{ jobId: string }> {
    const mapping = parseMapping(file.mapping);
    await requireExercise(this.dataSource.manager, exerciseCode);
    const request: DemandImportRequest = {
      exerciseCode,
      dryRun,
      mapping,
      file: { name: file.originalname.slice(0, 255), stored: file.filename, size: file.size, sha256: file.sha256 },
    };
    return { jobId: await this.jobs.enqueue(DEMAND_IMPORT, request, { stateCode: null }) };
  }

  /** Demand lines of an exercise, by clave and institution. */
  async lines(exerciseCode: string, query: ListDemandQuery) {
    await requireExercise(this.dataSource.manager, exerciseCode);
    const page = query.page ?? 1;
    const pageSize = query.pageSize ?? 100;
    const where = ['exercise_code = $1'];
    const params: unknown[] = [exerciseCode];
    for (const [column, value] of [['clave', query.clave], ['state_code', query.stateCode], ['institution', query.institution]] as const) {
      if (value) {
        params.push(value);
        where.push(`${column} = $${params.length}`);
      }
    }
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM demand_line WHERE ${where.join(' AND ')}`, params);
    const items = await this.dataSource.query(
      `SELECT clave, institution, state_code AS "stateCode", min::float8 AS min, max::float8 AS max
         FROM demand_line WHERE ${where.join(' AND ')}
        ORDER BY clave, institution LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return { items, total, page, pageSize };
  }

  /** Institutions of an exercise's demand, with their lines and MIN/MAX totals. */
  async institutions(exerciseCode: string) {
    await requireExercise(this.dataSource.manager, exerciseCode);
    const items = await this.dataSource.query(
      `SELECT institution, min(state_code) AS "stateCode", count(*)::int AS lines, sum(min)::float8 AS min, sum(max)::float8 AS max
         FROM demand_line WHERE exercise_code = $1 GROUP BY institution ORDER BY institution`,
      [exerciseCode],
    );
    return { items, total: items.length, page: 1, pageSize: items.length };
  }
}
