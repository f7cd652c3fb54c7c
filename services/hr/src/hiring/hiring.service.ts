import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { HiringProgressUpdated } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { Category, CATEGORIES } from '../post-codes/post-code';
import { CategoryProgress, percentFilled } from './hiring-progress';
import type { SetHiringTargetsDto } from './hiring.dto';

/** Hiring targets per state × category and how far the state's occupied posts fill them. */
@Injectable()
export class HiringService {
  constructor(private readonly dataSource: DataSource) {}

  setTargets(stateCode: string, dto: SetHiringTargetsDto) {
    const categories = dto.targets.map((t) => t.category);
    const repeated = categories.find((c, i) => categories.indexOf(c) !== i);
    if (repeated) throw new DomainError('DUPLICATE_CATEGORY', `targets names ${repeated} twice; give one target per category`, 400);
    return this.dataSource.transaction(async (m) => {
      const before = await m.query<{ category: string; target: number }[]>(`SELECT category, target FROM hiring_target WHERE state_code = $1 ORDER BY category`, [stateCode]);
      await m.query(
        `INSERT INTO hiring_target (state_code, category, target)
         SELECT $1, v.category, v.target FROM unnest($2::text[], $3::int[]) AS v(category, target)
         ON CONFLICT (state_code, category) DO UPDATE SET target = EXCLUDED.target, updated_at = now()`,
        [stateCode, categories, dto.targets.map((t) => t.target)],
      );
      await recordAudit(m, { action: 'hiring-targets.set', entity: 'HiringTargets', entityId: stateCode, stateCode, before, after: dto.targets, reason: 'hiring targets set' });
      const changed = dto.targets.some((t) => before.find((b) => b.category === t.category)?.target !== t.target);
      return changed ? this.publishProgress(m, stateCode) : this.progressIn(m.query.bind(m), stateCode);
    });
  }

  /** Computes the state's progress and emits it (hiring-progress-updated) in the caller's transaction. */
  async publishProgress(m: EntityManager, stateCode: string) {
    const progress = await this.progressIn(m.query.bind(m), stateCode);
    await publishEvent(m, HiringProgressUpdated, { ...progress, computedAt: new Date().toISOString() });
    return progress;
  }

  progress(stateCode: string) {
    return this.progressIn(this.dataSource.query.bind(this.dataSource), stateCode);
  }

  /** Filled = occupied posts of the category with a contract in the state. */
  private async progressIn(query: DataSource['query'], stateCode: string): Promise<{ stateCode: string; categories: CategoryProgress[] }> {
    const rows = await query<{ category: Category; target: number | null; filled: number }[]>(
      `SELECT c.category, t.target, coalesce(f.filled, 0)::int AS filled
         FROM unnest($2::text[]) AS c(category)
         LEFT JOIN hiring_target t ON t.state_code = $1 AND t.category = c.category
         LEFT JOIN (SELECT pc.category, count(*) AS filled
                      FROM post p JOIN post_code pc ON pc.code = p.code JOIN contract k ON k.post_id = p.id
                     WHERE p.state_code = $1 AND p.status = 'occupied'
                     GROUP BY pc.category) f ON f.category = c.category`,
      [stateCode, CATEGORIES],
    );
    const order = new Map(CATEGORIES.map((c, i) => [c, i]));
    return {
      stateCode,
      categories: rows
        .sort((a, b) => order.get(a.category)! - order.get(b.category)!)
        .map((r) => ({ category: r.category, target: r.target ?? 0, filled: r.filled, percent: percentFilled(r.filled, r.target) })),
    };
  }
}
