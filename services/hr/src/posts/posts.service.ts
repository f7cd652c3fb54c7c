import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { applyPersonalDataView, type PersonalDataView } from '@imb/auth';
import type { ListPostsQuery } from './posts.dto';

/** Reads of a state's posts (with the person and contract in each) and of its flagged CURPs. */
@Injectable()
export class PostsService {
  constructor(private readonly dataSource: DataSource) {}

  /** The state's posts; each occupant as the caller's `view` of `hr.posts` allows (docs/data-access.md). */
  async list(stateCode: string, q: ListPostsQuery, view: PersonalDataView) {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `p.state_code = $1 AND ($2::text IS NULL OR u.clues = $2 OR u.previous_clues = $2) AND ($3::text IS NULL OR p.status = $3)`;
    const params = [stateCode, q.clues ?? null, q.status ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM post p JOIN hr_unit u ON u.unit_id = p.unit_id WHERE ${where}`,
      params,
    );
    const rows = await this.dataSource.query<{ occupant: Record<string, unknown> | null }[]>(
      `SELECT p.number, p.code, pc.title, pc.category, u.clues, p.funded, p.status, p.status_reason AS "statusReason", p.updated_at AS "updatedAt",
              CASE WHEN k.id IS NULL THEN NULL ELSE json_build_object(
                'curp', w.curp, 'name', w.name, 'rfc', w.rfc, 'profession', w.profession, 'licence', w.licence,
                'type', k.type, 'origin', k.origin, 'startsOn', k.starts_on::text, 'endsOn', k.ends_on::text) END AS "occupant"
         FROM post p JOIN hr_unit u ON u.unit_id = p.unit_id JOIN post_code pc ON pc.code = p.code
         LEFT JOIN contract k ON k.post_id = p.id LEFT JOIN worker w ON w.id = k.worker_id
        WHERE ${where} ORDER BY p.number LIMIT $4 OFFSET $5`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const items = rows.map((row) =>
      row.occupant ? { ...row, occupant: applyPersonalDataView(row.occupant, 'hr.posts', view) } : row,
    );
    return { items, total, page, pageSize };
  }

  curpFlags(stateCode: string) {
    return this.dataSource.query(
      `SELECT curp, worker_state AS "workerState", job_id AS "jobId", row, flagged_at AS "flaggedAt" FROM curp_flag WHERE state_code = $1 ORDER BY curp`,
      [stateCode],
    );
  }
}
