import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { currentContext } from '@imb/contracts';
import { JobsService } from '@imb/jobs';
import { DomainError } from '@imb/platform';
import { RulesInForce } from '../units/rules.config';
import { ALLOCATION_JOB, AllocationRequest } from './allocation.processor';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface ProgrammeRow {
  id: string;
  year: number;
  envelope: string;
  rules: unknown;
  input_hash: string | null;
  total: string | null;
  computed_at: Date | null;
  created_at: Date;
}

interface LeftOutRow {
  unit_id: string;
  clues: string;
  state_code: string;
  reason: string;
  message: string;
  tier: string | null;
  amount: string | null;
}

interface ItemRow {
  id: string;
  unit_id: string;
  clues: string;
  state_code: string;
  tier: string;
  amount: string;
  rank: number;
  disbursed: string;
}

/** Annual programmes: creation, the allocation job, and its results. */
@Injectable()
export class ProgrammesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly jobs: JobsService,
    private readonly rules: RulesInForce,
  ) {}

  async create(year: number, envelope: number): Promise<{ id: string }> {
    const id = randomUUID();
    await this.dataSource.transaction(async (m) => {
      const inserted = await m.query(
        `INSERT INTO programme (id, year, envelope, rules, created_by)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (year) DO NOTHING RETURNING id`,
        [id, year, envelope, JSON.stringify(this.rules.rules), currentContext()?.actor ?? 'unknown'],
      );
      if (!inserted.length) throw new DomainError('PROGRAMME_EXISTS', `There is already a programme for ${year}; allocate or correct that one`, 409);
      await recordAudit(m, { action: 'programme.created', entity: 'Programme', entityId: id, after: { year, envelope, rules: this.rules.rules } });
    });
    return { id };
  }

  /** Programmes, newest year first, optionally only the one of `year`. */
  async list(year: number | undefined, page: number, pageSize: number) {
    const rows = await this.dataSource.query<ProgrammeRow[]>(
      `SELECT id, year, envelope, rules, input_hash, total, computed_at, created_at
         FROM programme WHERE $1::int IS NULL OR year = $1 ORDER BY year DESC LIMIT $2 OFFSET $3`,
      [year ?? null, pageSize, (page - 1) * pageSize],
    );
    const [{ n }] = await this.dataSource.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM programme WHERE $1::int IS NULL OR year = $1`, [year ?? null]);
    return { items: rows.map((p) => this.view(p)), total: n, page, pageSize };
  }

  async get(id: string) {
    const [p] = await this.dataSource.query<ProgrammeRow[]>(`SELECT id, year, envelope, rules, input_hash, total, computed_at, created_at FROM programme WHERE id = $1`, [
      this.checkId(id),
    ]);
    if (!p) throw this.notFound(id);
    return this.view(p);
  }

  private view(p: ProgrammeRow) {
    return {
      id: p.id,
      year: p.year,
      envelope: Number(p.envelope),
      rules: p.rules,
      computedAt: p.computed_at,
      total: p.total === null ? null : Number(p.total),
      createdAt: p.created_at,
    };
  }

  async requestAllocation(id: string): Promise<{ jobId: string }> {
    await this.get(id);
    const jobId = await this.jobs.enqueue(ALLOCATION_JOB, { programmeId: id } satisfies AllocationRequest, { stateCode: null });
    return { jobId };
  }

  /** The computed allocation, for one state or the whole country. */
  async allocations(id: string, stateCode: string | null) {
    const programme = await this.get(id);
    if (!programme.computedAt) {
      throw new DomainError('NOT_ALLOCATED', `Programme ${programme.year} has no allocation yet: POST /api/dignification/programmes/${id}/allocate`, 409);
    }
    const tiers = await this.dataSource.query<{ tier: string; units: number; amount: string }[]>(
      `SELECT tier, count(*)::int AS units, sum(amount) AS amount FROM allocation
        WHERE programme_id = $1 AND ($2::char(2) IS NULL OR state_code = $2) GROUP BY tier ORDER BY tier`,
      [id, stateCode],
    );
    const leftOut = await this.dataSource.query<LeftOutRow[]>(
      `SELECT unit_id, clues, state_code, reason, message, tier, amount FROM allocation_left_out
        WHERE programme_id = $1 AND ($2::char(2) IS NULL OR state_code = $2) ORDER BY clues`,
      [id, stateCode],
    );
    const byTier = tiers.map((t) => ({ tier: t.tier, units: t.units, amount: Number(t.amount) }));
    return {
      programmeId: id,
      year: programme.year,
      envelope: programme.envelope,
      stateCode,
      computedAt: programme.computedAt,
      units: byTier.reduce((n, t) => n + t.units, 0),
      total: byTier.reduce((n, t) => n + t.amount, 0),
      byTier,
      leftOut: leftOut.map((r) => ({
        unitId: r.unit_id,
        clues: r.clues,
        stateCode: r.state_code,
        reason: r.reason,
        message: r.message,
        tier: r.tier,
        amount: r.amount === null ? null : Number(r.amount),
      })),
    };
  }

  /** One page of a programme's funded units, in funding order, with what has been paid. */
  async allocationItems(id: string, stateCode: string | null, page: number, pageSize: number) {
    await this.get(id);
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(
      `SELECT count(*)::int AS total FROM allocation WHERE programme_id = $1 AND ($2::char(2) IS NULL OR state_code = $2)`,
      [id, stateCode],
    );
    const rows = await this.dataSource.query<ItemRow[]>(
      `SELECT id, unit_id, clues, state_code, tier, amount, rank, disbursed FROM allocation
        WHERE programme_id = $1 AND ($2::char(2) IS NULL OR state_code = $2) ORDER BY rank LIMIT $3 OFFSET $4`,
      [id, stateCode, pageSize, (page - 1) * pageSize],
    );
    const items = rows.map((r) => ({
      id: r.id,
      unitId: r.unit_id,
      clues: r.clues,
      stateCode: r.state_code,
      tier: r.tier,
      amount: Number(r.amount),
      rank: r.rank,
      disbursed: Number(r.disbursed),
    }));
    return { items, total, page, pageSize };
  }

  private checkId(id: string): string {
    if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not a programme id (a UUID)`, 400);
    return id;
  }

  private notFound(id: string): DomainError {
    return new DomainError('PROGRAMME_NOT_FOUND', `No programme ${id}`, 404);
  }
}
