import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { RulesInForce } from './rules.config';

/** A unit as the API shows it, with why it is or is not eligible. */
export interface EligibleUnitView {
  unitId: string;
  clues: string;
  previousClues: string | null;
  stateCode: string;
  name: string;
  typology: string | null;
  stratum: string | null;
  locality: string | null;
  transferStatus: string;
  stateJoined: boolean;
  eligible: boolean;
  tier: string | null;
  amount: number | null;
  exclusion: { reason: string; message: string } | null;
}

interface UnitRow {
  unit_id: string;
  clues: string;
  previous_clues: string | null;
  state_code: string;
  name: string;
  typology: string | null;
  stratum: string | null;
  locality: string | null;
  transfer_status: string;
  state_joined: boolean;
  eligible: boolean;
  tier: string | null;
  amount: string | null;
  exclusion_reason: string | null;
  exclusion_message: string | null;
}

/** Reads the eligible-units read model. */
@Injectable()
export class UnitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly rules: RulesInForce,
  ) {}

  async list(stateCode: string | null, eligible: boolean | null, page: number, pageSize: number) {
    const where = `($1::char(2) IS NULL OR u.state_code = $1) AND ($2::bool IS NULL OR u.eligible = $2)`;
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM eligible_unit u WHERE ${where}`, [stateCode, eligible]);
    const rows = await this.dataSource.query<UnitRow[]>(
      `SELECT u.*, coalesce(s.stage = ANY($5::text[]), false) AS state_joined
         FROM eligible_unit u LEFT JOIN state s ON s.state_code = u.state_code
        WHERE ${where} ORDER BY u.state_code, u.clues LIMIT $3 OFFSET $4`,
      [stateCode, eligible, pageSize, (page - 1) * pageSize, this.rules.rules.joinedStages],
    );
    const items: EligibleUnitView[] = rows.map((r) => ({
      unitId: r.unit_id,
      clues: r.clues,
      previousClues: r.previous_clues,
      stateCode: r.state_code,
      name: r.name,
      typology: r.typology,
      stratum: r.stratum,
      locality: r.locality,
      transferStatus: r.transfer_status,
      stateJoined: r.state_joined,
      eligible: r.eligible,
      tier: r.tier,
      amount: r.amount === null ? null : Number(r.amount),
      exclusion: r.exclusion_reason ? { reason: r.exclusion_reason, message: r.exclusion_message ?? '' } : null,
    }));
    return { items, total, page, pageSize };
  }
}
