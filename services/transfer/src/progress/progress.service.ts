import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { TransferStage } from '@imb/contracts';
import { DomainError } from '@imb/platform';
import { nationalTotals, StateProgress, stateProgress } from './progress-figures';
import { ProgressQueryRow, progressQuery, ProgressSources } from './progress.query';

/** The country's figures and each state's. */
export interface NationalProgress {
  computedAt: string;
  totals: ReturnType<typeof nationalTotals>;
  states: StateProgress[];
}

/**
 * Computes transfer progress from the service's own tables: units by status (table `unit`),
 * days in the current stage (`state_transfer`) and open gate items (`checklist_item`).
 */
@Injectable()
export class ProgressService {
  private sources: ProgressSources = { units: false, checklist: false };

  constructor(private readonly dataSource: DataSource) {}

  /** Every state's figures, read in one statement (inside `manager`'s transaction when given). */
  async allStates(manager: EntityManager = this.dataSource.manager): Promise<StateProgress[]> {
    const sources = await this.presentSources(manager);
    const rows = await manager.query<ProgressQueryRow[]>(progressQuery(sources, false));
    return rows.map(toProgress);
  }

  /** One state's figures; 404 when the state has no transfer. */
  async forState(stateCode: string): Promise<StateProgress> {
    const manager = this.dataSource.manager;
    const sources = await this.presentSources(manager);
    const [row] = await manager.query<ProgressQueryRow[]>(progressQuery(sources, true), [stateCode]);
    if (!row) throw new DomainError('STATE_NOT_FOUND', `No transfer for state ${stateCode}`, 404);
    return toProgress(row);
  }

  async national(): Promise<NationalProgress> {
    const states = await this.allStates();
    const computedAt = states[0]?.computedAt ?? new Date().toISOString();
    return { computedAt, totals: nationalTotals(states), states };
  }

  // The unit and checklist tables come with features built alongside this one, and tables are
  // never dropped at run time: once seen, a table is not looked up again.
  private async presentSources(manager: EntityManager): Promise<ProgressSources> {
    if (this.sources.units && this.sources.checklist) return this.sources;
    const [found] = await manager.query<{ units: boolean; checklist: boolean }[]>(
      `SELECT to_regclass('unit') IS NOT NULL AS units, to_regclass('checklist_item') IS NOT NULL AS checklist`,
    );
    this.sources = { units: found.units, checklist: found.checklist };
    return this.sources;
  }
}

function toProgress(row: ProgressQueryRow): StateProgress {
  return stateProgress({
    stateCode: row.state_code,
    stateName: row.state_name,
    stage: row.stage as TransferStage,
    stageSince: row.stage_since,
    unitsByStatus: row.units_by_status,
    openGateItems: row.open_gate_items,
    computedAt: row.computed_at,
  });
}
