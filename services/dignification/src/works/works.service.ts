import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { AccessKind, assertStateAccess, Principal } from '@imb/auth';
import { ProjectCompleted } from '@imb/contracts';
import { publishEvent } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import type { AssemblyReviewDto, RecordExpenseDto, VerifyProjectDto } from './works.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const cents = (mxn: number | string) => Math.round(Number(mxn) * 100);

interface AllocationRow {
  id: string;
  programme_id: string;
  clues: string;
  state_code: string;
  disbursed: string;
}

interface ProjectRow {
  review_date: string | null;
  review_acta: string | null;
  reviewed_by: string | null;
  verified_by: string | null;
  completed_at: Date | null;
}

interface ExpenseRow {
  id: string;
  category: string;
  amount: string;
  description: string;
  receipt_reference: string;
  spent_on: string;
  recorded_by: string;
  recorded_at: Date;
}

/**
 * The works paid by an allocation: the expense booklet (never more than the funds received),
 * the assembly's review of it, and the officer's verification that closes the project.
 */
@Injectable()
export class WorksService {
  constructor(private readonly dataSource: DataSource) {}

  addExpense(allocationId: string, body: RecordExpenseDto, principal: Principal) {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lock(m, allocationId, principal, 'write');
      await this.assertOpen(m, a);
      const [{ spent }] = await m.query<{ spent: string }[]>(`SELECT coalesce(sum(amount), 0) AS spent FROM expense WHERE allocation_id = $1`, [a.id]);
      if (cents(spent) + cents(body.amount) > cents(a.disbursed)) {
        throw new DomainError(
          'EXPENSES_OVER_FUNDS',
          `MXN ${body.amount} would take the booklet of ${a.clues} over the funds received: MXN ${Number(a.disbursed)} received, ${Number(spent)} already spent`,
          409,
        );
      }
      const id = randomUUID();
      const [row] = await m.query<ExpenseRow[]>(
        `INSERT INTO expense (id, allocation_id, category, amount, description, receipt_reference, spent_on, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING *`,
        [id, a.id, body.category, body.amount, body.description, body.receiptReference, body.spentOn, principal.sub],
      );
      await recordAudit(m, { action: 'expense.recorded', entity: 'Expense', entityId: id, stateCode: a.state_code, after: { allocationId: a.id, ...body } });
      return expenseView(row);
    });
  }

  async booklet(allocationId: string, principal: Principal) {
    const m = this.dataSource.manager;
    const a = await this.find(m, allocationId);
    assertStateAccess(principal, a.state_code, 'read');
    const rows = await m.query<ExpenseRow[]>(`SELECT * FROM expense WHERE allocation_id = $1 ORDER BY spent_on, recorded_at`, [a.id]);
    const [project] = await m.query<ProjectRow[]>(`SELECT * FROM project WHERE allocation_id = $1`, [a.id]);
    return {
      allocationId: a.id,
      clues: a.clues,
      received: Number(a.disbursed),
      spent: rows.reduce((n, r) => n + cents(r.amount), 0) / 100,
      items: rows.map(expenseView),
      review: project?.review_date ? { assemblyDate: project.review_date, actaReference: project.review_acta, recordedBy: project.reviewed_by } : null,
      completedAt: project?.completed_at ?? null,
      verifiedBy: project?.verified_by ?? null,
    };
  }

  review(allocationId: string, body: AssemblyReviewDto, principal: Principal) {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lock(m, allocationId, principal, 'write');
      await this.assertOpen(m, a);
      const [{ n }] = await m.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM expense WHERE allocation_id = $1`, [a.id]);
      if (n === 0) throw new DomainError('BOOKLET_EMPTY', `The expense booklet of ${a.clues} is empty: record the expenses before the assembly reviews them`, 409);
      await m.query(
        `INSERT INTO project (allocation_id, review_date, review_acta, reviewed_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (allocation_id) DO UPDATE SET review_date = EXCLUDED.review_date, review_acta = EXCLUDED.review_acta, reviewed_by = EXCLUDED.reviewed_by`,
        [a.id, body.assemblyDate, body.actaReference, principal.sub],
      );
      await recordAudit(m, { action: 'booklet.reviewed', entity: 'Project', entityId: a.id, stateCode: a.state_code, after: { ...body, expenses: n } });
      return { allocationId: a.id, assemblyDate: body.assemblyDate, actaReference: body.actaReference, expenses: n };
    });
  }

  verify(allocationId: string, body: VerifyProjectDto, principal: Principal) {
    return this.dataSource.transaction(async (m) => {
      const a = await this.lock(m, allocationId, principal, 'write');
      await this.assertOpen(m, a);
      const [project] = await m.query<ProjectRow[]>(`SELECT * FROM project WHERE allocation_id = $1`, [a.id]);
      const [photos] = await m.query<{ before: number; after: number }[]>(
        `SELECT count(*) FILTER (WHERE kind = 'BEFORE')::int AS before, count(*) FILTER (WHERE kind = 'AFTER')::int AS after
           FROM evidence WHERE allocation_id = $1 AND flag_reason IS NULL`,
        [a.id],
      );
      const missing = [
        ...(project?.review_date ? [] : ['the assembly’s review of the expense booklet']),
        ...(photos.before > 0 ? [] : ['a before photo that is not flagged']),
        ...(photos.after > 0 ? [] : ['an after photo that is not flagged']),
      ];
      if (missing.length) throw new DomainError('PROJECT_INCOMPLETE', `${a.clues} cannot be verified yet; missing: ${missing.join('; ')}`, 409, { missing });
      const [{ spent }] = await m.query<{ spent: string }[]>(`SELECT coalesce(sum(amount), 0) AS spent FROM expense WHERE allocation_id = $1`, [a.id]);
      const completedAt = new Date().toISOString();
      await m.query(`UPDATE project SET verified_by = $2, completed_at = $3 WHERE allocation_id = $1`, [a.id, principal.sub, completedAt]);
      await recordAudit(m, {
        action: 'project.completed',
        entity: 'Project',
        entityId: a.id,
        stateCode: a.state_code,
        after: { completedAt, spent: Number(spent) },
        reason: body.note ?? null,
      });
      await publishEvent(m, ProjectCompleted, {
        allocationId: a.id,
        programmeId: a.programme_id,
        clues: a.clues,
        stateCode: a.state_code,
        spent: Number(spent),
        disbursed: Number(a.disbursed),
        verifiedBy: principal.sub,
        completedAt,
      });
      return { allocationId: a.id, completedAt, verifiedBy: principal.sub, spent: Number(spent) };
    });
  }

  private async find(m: EntityManager, id: string, forUpdate = false): Promise<AllocationRow> {
    if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not an allocation id (a UUID)`, 400);
    const [a] = await m.query<AllocationRow[]>(
      `SELECT id, programme_id, clues, state_code, disbursed FROM allocation WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
    if (!a) throw new DomainError('ALLOCATION_NOT_FOUND', `No allocation ${id}`, 404);
    return a;
  }

  private async lock(m: EntityManager, id: string, principal: Principal, access: AccessKind): Promise<AllocationRow> {
    const a = await this.find(m, id, true);
    assertStateAccess(principal, a.state_code, access);
    return a;
  }

  private async assertOpen(m: EntityManager, a: AllocationRow): Promise<void> {
    const [p] = await m.query<{ completed_at: Date | null }[]>(`SELECT completed_at FROM project WHERE allocation_id = $1`, [a.id]);
    if (p?.completed_at) throw new DomainError('PROJECT_CLOSED', `The works of ${a.clues} were verified and closed on ${p.completed_at.toISOString()}`, 409);
  }
}

function expenseView(r: ExpenseRow) {
  return {
    id: r.id,
    category: r.category,
    amount: Number(r.amount),
    description: r.description,
    receiptReference: r.receipt_reference,
    spentOn: r.spent_on,
    recordedBy: r.recorded_by,
    recordedAt: r.recorded_at,
  };
}
