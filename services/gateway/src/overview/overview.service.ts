import { Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { buildOverview, OverviewRows } from './overview-figures';
import { OverviewChanges } from './overview-changes';

/**
 * Longest a built overview is served without a change notice: days in stage move on with the
 * clock, and a notice lost while the LISTEN connection was down must not keep it stale for long.
 */
const MAX_AGE_MS = 60000;

const num = (v: string | number | null) => (v === null ? 0 : Number(v));

/** The overview as sent: its JSON as UTF-8 bytes and an entity tag, both computed once per build. */
export interface OverviewDocument {
  body: Buffer;
  etag: string;
}

/**
 * The national overview from the gateway's own tables, kept built as JSON in memory and rebuilt
 * on the first read after a committed change (announced by PostgreSQL NOTIFY), so a read costs
 * no query while nothing changes.
 */
@Injectable()
export class OverviewService {
  private cached?: { document: OverviewDocument; builtAt: number };
  private building?: { version: number; document: Promise<OverviewDocument> };
  private version = 0;

  constructor(
    private readonly dataSource: DataSource,
    changes: OverviewChanges,
  ) {
    changes.subscribe(() => {
      this.version++;
      this.cached = undefined;
    });
  }

  /** The overview, from memory unless it changed since it was built. */
  current(): Promise<OverviewDocument> {
    if (this.cached && Date.now() - this.cached.builtAt < MAX_AGE_MS)
      return Promise.resolve(this.cached.document);
    // A build started before the latest change may miss it: start another.
    if (this.building?.version === this.version) return this.building.document;
    const version = this.version;
    const document = this.build().then((json): OverviewDocument => {
      const body = Buffer.from(json, 'utf8');
      const built = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
      if (this.version === version) this.cached = { document: built, builtAt: Date.now() };
      return built;
    });
    const building = { version, document };
    this.building = building;
    void document
      .finally(() => {
        if (this.building === building) this.building = undefined;
      })
      .catch(() => undefined);
    return document;
  }

  private async build(): Promise<string> {
    const q = <T>(sql: string, params?: unknown[]) => this.dataSource.query<T[]>(sql, params);
    // The current programme: the latest year's, its latest computation deciding within a year.
    const [programme] = await q<{ programme_id: string; by_state: boolean }>(
      `SELECT programme_id, by_state FROM overview_programme ORDER BY year DESC, computed_at DESC LIMIT 1`,
    );
    const ofProgramme = programme ? `WHERE programme_id = $1` : '';
    const programmeParams = programme ? [programme.programme_id] : [];
    const [stages, transfer, hiring, formalized, supply, allocations, planned, sources] = await Promise.all([
      q<{ state_code: string; stage: string; stage_since: Date }>(
        `SELECT state_code, stage, stage_since FROM state`,
      ),
      q<{
        state_code: string;
        units_total: number;
        units_by_status: Record<string, number>;
        handed_over_percent: string;
        re_registered_percent: string;
      }>(
        `SELECT state_code, units_total, units_by_status, handed_over_percent, re_registered_percent FROM overview_transfer_progress`,
      ),
      q<{ state_code: string; category: string; percent: string | null }>(
        `SELECT state_code, category, percent FROM overview_hiring`,
      ),
      q<{ state_code: string; workers: number }>(
        `SELECT state_code, count(*)::int AS workers FROM overview_formalized_worker GROUP BY state_code`,
      ),
      q<{ state_code: string; ordered: string; delivered: string }>(
        `SELECT state_code, sum(ordered) AS ordered, sum(delivered) AS delivered FROM overview_supply_order GROUP BY state_code`,
      ),
      q<{ state_code: string; allocations: number; allocated: string; disbursed: string; completed: number }>(
        `SELECT state_code, count(*)::int AS allocations, coalesce(sum(allocated), 0) AS allocated, sum(disbursed) AS disbursed,
                count(completed_at)::int AS completed
           FROM overview_allocation ${ofProgramme} GROUP BY state_code`,
        programmeParams,
      ),
      programme?.by_state
        ? q<{ state_code: string; units: number; amount: string }>(
            `SELECT state_code, units, amount FROM overview_programme_state WHERE programme_id = $1`,
            programmeParams,
          )
        : Promise.resolve(null),
      q<{ service: string; as_of: Date }>(`SELECT service, as_of FROM overview_source`),
    ]);
    const rows: OverviewRows = {
      stages: stages.map((r) => ({ stateCode: r.state_code, stage: r.stage, stageSince: r.stage_since })),
      transfer: transfer.map((r) => ({
        stateCode: r.state_code,
        unitsTotal: r.units_total,
        unitsByStatus: r.units_by_status,
        handedOverPercent: num(r.handed_over_percent),
        reRegisteredPercent: num(r.re_registered_percent),
      })),
      hiring: hiring.map((r) => ({
        stateCode: r.state_code,
        category: r.category,
        percent: r.percent === null ? null : Number(r.percent),
      })),
      formalized: formalized.map((r) => ({ stateCode: r.state_code, workers: r.workers })),
      supply: supply.map((r) => ({
        stateCode: r.state_code,
        ordered: num(r.ordered),
        delivered: num(r.delivered),
      })),
      allocations: allocations.map((r) => ({
        stateCode: r.state_code,
        allocations: r.allocations,
        allocated: num(r.allocated),
        disbursed: num(r.disbursed),
        completed: r.completed,
      })),
      allocated:
        planned?.map((r) => ({ stateCode: r.state_code, units: r.units, amount: num(r.amount) })) ?? null,
      sources: sources.map((r) => ({ service: r.service, asOf: r.as_of })),
    };
    return JSON.stringify(buildOverview(rows, new Date()));
  }
}
