import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, Principal } from '@imb/auth';
import { DomainError } from '@imb/platform';
import type { ElectCommitteeDto } from './committees.dto';

interface CommitteeRow {
  unit_id: string;
  clues: string;
  state_code: string;
  assembly_date: string;
  acta_reference: string;
  members: { name: string; role: string }[];
  card_last4: string | null;
  version: number;
  updated_by: string;
  updated_at: Date;
}

const view = (r: CommitteeRow) => ({
  unitId: r.unit_id,
  clues: r.clues,
  stateCode: r.state_code,
  assemblyDate: r.assembly_date,
  actaReference: r.acta_reference,
  members: r.members,
  cardLast4: r.card_last4,
  version: r.version,
  updatedBy: r.updated_by,
  updatedAt: r.updated_at,
});

/** A unit's COSABI: elected (or re-elected) by an assembly, every change audited with before and after. */
@Injectable()
export class CommitteesService {
  constructor(private readonly dataSource: DataSource) {}

  async elect(clues: string, body: ElectCommitteeDto, principal: Principal) {
    const presidents = body.members.filter((m) => m.role === 'PRESIDENTE').length;
    const treasurers = body.members.filter((m) => m.role === 'TESORERO').length;
    if (presidents !== 1 || treasurers !== 1) {
      throw new DomainError('COMMITTEE_ROLES', `a COSABI has one PRESIDENTE and one TESORERO; got ${presidents} and ${treasurers}`, 400);
    }
    return this.dataSource.transaction(async (m) => {
      const [unit] = await m.query<{ unit_id: string; state_code: string }[]>(
        `SELECT unit_id, state_code FROM eligible_unit WHERE clues = $1 OR previous_clues = $1 FOR UPDATE`,
        [clues],
      );
      if (!unit) throw new DomainError('UNIT_NOT_FOUND', `No unit ${clues} among the units this service has heard of`, 404);
      assertStateAccess(principal, unit.state_code, 'write');
      const [before] = await m.query<CommitteeRow[]>(`SELECT * FROM committee WHERE unit_id = $1`, [unit.unit_id]);
      const [after] = await m.query<CommitteeRow[]>(
        `INSERT INTO committee (unit_id, clues, state_code, assembly_date, acta_reference, members, card_last4, updated_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
         ON CONFLICT (unit_id) DO UPDATE SET clues = EXCLUDED.clues, assembly_date = EXCLUDED.assembly_date,
           acta_reference = EXCLUDED.acta_reference, members = EXCLUDED.members, card_last4 = EXCLUDED.card_last4,
           version = committee.version + 1, updated_by = EXCLUDED.updated_by, updated_at = now()
         RETURNING *`,
        [unit.unit_id, clues, unit.state_code, body.assemblyDate, body.actaReference, JSON.stringify(body.members), body.cardLast4 ?? null, principal.sub],
      );
      await recordAudit(m, {
        action: before ? 'committee.changed' : 'committee.elected',
        entity: 'Committee',
        entityId: unit.unit_id,
        stateCode: unit.state_code,
        before: before ? view(before) : null,
        after: view(after),
        reason: `assembly of ${body.assemblyDate}, acta ${body.actaReference}`,
      });
      return view(after);
    });
  }

  async get(clues: string, principal: Principal) {
    const [row] = await this.dataSource.query<CommitteeRow[]>(
      `SELECT c.* FROM committee c JOIN eligible_unit u USING (unit_id) WHERE u.clues = $1 OR u.previous_clues = $1`,
      [clues],
    );
    if (!row) throw new DomainError('COMMITTEE_NOT_FOUND', `Unit ${clues} has no committee yet`, 404);
    assertStateAccess(principal, row.state_code, 'read');
    return view(row);
  }
}
