import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { assertStateAccess, Principal } from '@imb/auth';
import { FundsDisbursed } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import type { DisburseDto } from './disbursements.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Amounts are kept to the centavo; adding them as integers avoids float drift. */
const cents = (mxn: number | string) => Math.round(Number(mxn) * 100);

export interface DisbursementView {
  id: string;
  allocationId: string;
  amount: number;
  reference: string;
  idempotencyKey: string;
  disbursedTotal: number;
  disbursedAt: Date;
  disbursedBy: string;
}

interface DisbursementRow {
  id: string;
  allocation_id: string;
  amount: string;
  reference: string;
  idempotency_key: string;
  disbursed_total: string;
  disbursed_by: string;
  disbursed_at: Date;
}

interface AllocationRow {
  id: string;
  programme_id: string;
  clues: string;
  state_code: string;
  amount: string;
  disbursed: string;
}

const view = (r: DisbursementRow): DisbursementView => ({
  id: r.id,
  allocationId: r.allocation_id,
  amount: Number(r.amount),
  reference: r.reference,
  idempotencyKey: r.idempotency_key,
  disbursedTotal: Number(r.disbursed_total),
  disbursedAt: r.disbursed_at,
  disbursedBy: r.disbursed_by,
});

/**
 * Pays an allocation in tranches. The allocation row is locked for the whole payment, so two
 * requests cannot both pass the "not over the allocation" check; the idempotency key is looked
 * up under that lock, so a repeated request finds the first payment and pays nothing more.
 */
@Injectable()
export class DisbursementsService {
  constructor(private readonly dataSource: DataSource) {}

  async disburse(allocationId: string, body: DisburseDto, principal: Principal): Promise<{ created: boolean; disbursement: DisbursementView }> {
    this.checkId(allocationId);
    return this.dataSource.transaction(async (m) => {
      const a = await this.lockAllocation(m, allocationId);
      assertStateAccess(principal, a.state_code, 'write');
      const [previous] = await m.query<DisbursementRow[]>(`SELECT * FROM disbursement WHERE allocation_id = $1 AND idempotency_key = $2`, [allocationId, body.idempotencyKey]);
      if (previous) {
        if (cents(previous.amount) !== cents(body.amount)) {
          throw new DomainError(
            'IDEMPOTENCY_KEY_REUSED',
            `idempotencyKey ${body.idempotencyKey} already paid MXN ${Number(previous.amount)} on this allocation; use a new key for a different tranche`,
            409,
          );
        }
        return { created: false, disbursement: view(previous) };
      }
      const paid = cents(a.disbursed);
      const allocated = cents(a.amount);
      const requested = cents(body.amount);
      if (paid + requested > allocated) {
        throw new DomainError(
          'OVERSPEND',
          `MXN ${body.amount} would exceed the allocation of ${a.clues}: MXN ${allocated / 100} allocated, ${paid / 100} paid, ${(allocated - paid) / 100} left`,
          409,
          { allocated: allocated / 100, disbursed: paid / 100, available: (allocated - paid) / 100 },
        );
      }
      const id = randomUUID();
      const total = (paid + requested) / 100;
      const [row] = await m.query<DisbursementRow[]>(
        `INSERT INTO disbursement (id, allocation_id, amount, reference, idempotency_key, disbursed_total, disbursed_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING *`,
        [id, allocationId, body.amount, body.reference, body.idempotencyKey, total, principal.sub],
      );
      await m.query(`UPDATE allocation SET disbursed = $2 WHERE id = $1`, [allocationId, total]);
      await recordAudit(m, {
        action: 'funds.disbursed',
        entity: 'Allocation',
        entityId: allocationId,
        stateCode: a.state_code,
        before: { disbursed: paid / 100 },
        after: { disbursed: total, disbursementId: id, amount: body.amount, reference: body.reference },
      });
      await publishEvent(m, FundsDisbursed, {
        disbursementId: id,
        programmeId: a.programme_id,
        allocationId,
        clues: a.clues,
        stateCode: a.state_code,
        amount: body.amount,
        disbursedTotal: total,
        allocated: allocated / 100,
        reference: body.reference,
        disbursedAt: new Date(row.disbursed_at).toISOString(),
      });
      return { created: true, disbursement: view(row) };
    });
  }

  async list(allocationId: string, principal: Principal) {
    this.checkId(allocationId);
    const [a] = await this.dataSource.query<AllocationRow[]>(`SELECT id, programme_id, clues, state_code, amount, disbursed FROM allocation WHERE id = $1`, [allocationId]);
    if (!a) throw this.notFound(allocationId);
    assertStateAccess(principal, a.state_code, 'read');
    const rows = await this.dataSource.query<DisbursementRow[]>(`SELECT * FROM disbursement WHERE allocation_id = $1 ORDER BY disbursed_at, id`, [allocationId]);
    return { allocationId, clues: a.clues, stateCode: a.state_code, allocated: Number(a.amount), disbursed: Number(a.disbursed), items: rows.map(view) };
  }

  private async lockAllocation(m: EntityManager, id: string): Promise<AllocationRow> {
    const [a] = await m.query<AllocationRow[]>(`SELECT id, programme_id, clues, state_code, amount, disbursed FROM allocation WHERE id = $1 FOR UPDATE`, [id]);
    if (!a) throw this.notFound(id);
    return a;
  }

  private checkId(id: string): void {
    if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not an allocation id (a UUID)`, 400);
  }

  private notFound(id: string): DomainError {
    return new DomainError('ALLOCATION_NOT_FOUND', `No allocation ${id}`, 404);
  }
}
