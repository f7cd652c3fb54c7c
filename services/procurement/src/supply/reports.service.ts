import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Principal } from '@imb/auth';
import { requireExercise } from '../tenders/tender-terms';
import { supplyScope } from './scope';
import { ORDER_SELECT, OrderRow, penaltyOf } from './supply.service';
import type { ComplianceListQuery, FillRateQuery, SupplyFilterQuery } from './supply.dto';

const GROUP_COLUMN = { state: 'state_code', clave: 'clave', supplier: 'supplier_rfc' } as const;
const GROUP_FIELD = { state: 'stateCode', clave: 'clave', supplier: 'supplierRfc' } as const;

/** A share with 4 decimals, or null when there is nothing to divide by. */
const ratio = (part: number, whole: number) => (whole > 0 ? Math.round((part / whole) * 10_000) / 10_000 : null);

interface FigureRow {
  key: string;
  orders: number;
  ordered: string;
  delivered: string;
  on_time: string;
}

const figures = (r: Omit<FigureRow, 'key'>) => {
  const ordered = Number(r.ordered);
  const delivered = Number(r.delivered);
  const onTime = Number(r.on_time);
  return { orders: r.orders, ordered, delivered, deliveredOnTime: onTime, pending: ordered - delivered, fillRate: ratio(delivered, ordered) };
};

/**
 * The weekly figures of supply (as the public reports give them), from the orders' running
 * counters: fill rate (abasto) = pieces delivered / pieces ordered, per state, clave or
 * supplier; supplier compliance = pieces delivered on time / pieces ordered that were due;
 * penalties per order (./penalties.ts). State coordinators see their states' figures only.
 */
@Injectable()
export class SupplyReportsService {
  constructor(private readonly dataSource: DataSource) {}

  async fillRate(code: string, q: FillRateQuery, principal: Principal) {
    await requireExercise(this.dataSource.manager, code);
    const states = supplyScope(principal, q.stateCode);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const column = GROUP_COLUMN[q.by];
    const where = `exercise_code = $1 AND ($2::text[] IS NULL OR state_code = ANY($2)) AND ($3::text IS NULL OR clave = $3)
      AND ($4::text IS NULL OR supplier_rfc = $4) AND ($5::date IS NULL OR due_date <= $5)`;
    const params = [code, states, q.clave ?? null, q.supplierRfc ?? null, q.dueBy ?? null];
    const [all] = await this.dataSource.query<(Omit<FigureRow, 'key'> & { groups: number })[]>(
      `SELECT count(*)::int AS orders, coalesce(sum(quantity), 0) AS ordered, coalesce(sum(delivered), 0) AS delivered,
              coalesce(sum(delivered_on_time), 0) AS on_time, count(DISTINCT ${column})::int AS groups
         FROM supply_order WHERE ${where}`,
      params,
    );
    const rows = await this.dataSource.query<FigureRow[]>(
      `SELECT ${column} AS key, count(*)::int AS orders, sum(quantity) AS ordered, sum(delivered) AS delivered, sum(delivered_on_time) AS on_time
         FROM supply_order WHERE ${where} GROUP BY ${column} ORDER BY ${column} LIMIT $6 OFFSET $7`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    return {
      exerciseCode: code,
      by: q.by,
      dueBy: q.dueBy ?? null,
      totals: figures(all),
      items: rows.map((r) => ({ [GROUP_FIELD[q.by]]: r.key.trim(), ...figures(r) })),
      total: all.groups,
      page,
      pageSize,
    };
  }

  /** Per supplier: pieces of orders due by `asOf`, and how many arrived by their due date. */
  async supplierCompliance(code: string, q: ComplianceListQuery, principal: Principal) {
    await requireExercise(this.dataSource.manager, code);
    const states = supplyScope(principal, q.stateCode);
    const asOf = q.asOf ?? new Date().toISOString().slice(0, 10);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `exercise_code = $1 AND ($2::text[] IS NULL OR state_code = ANY($2)) AND ($3::text IS NULL OR clave = $3)
      AND ($4::text IS NULL OR supplier_rfc = $4) AND due_date <= $5`;
    const params = [code, states, q.clave ?? null, q.supplierRfc ?? null, asOf];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(DISTINCT supplier_rfc)::int AS total FROM supply_order WHERE ${where}`, params);
    const rows = await this.dataSource.query<FigureRow[]>(
      `SELECT supplier_rfc AS key, count(*)::int AS orders, sum(quantity) AS ordered, sum(delivered) AS delivered, sum(delivered_on_time) AS on_time
         FROM supply_order WHERE ${where} GROUP BY supplier_rfc ORDER BY supplier_rfc LIMIT $6 OFFSET $7`,
      [...params, pageSize, (page - 1) * pageSize],
    );
    const items = rows.map((r) => {
      const f = figures(r);
      return { supplierRfc: r.key, orders: f.orders, piecesDue: f.ordered, piecesOnTime: f.deliveredOnTime, delivered: f.delivered, compliance: ratio(f.deliveredOnTime, f.ordered) };
    });
    return { exerciseCode: code, asOf, items, total, page, pageSize };
  }

  /**
   * Penalties of the orders with late deliveries, with totals over every such order in scope.
   * Computed from the deliveries each time (the contract's rate and cap are fixed), so a
   * correction never leaves a stale amount behind.
   */
  async penalties(code: string, q: SupplyFilterQuery, principal: Principal) {
    await requireExercise(this.dataSource.manager, code);
    const states = supplyScope(principal, q.stateCode);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const orders = await this.dataSource.query<OrderRow[]>(
      `${ORDER_SELECT}
        WHERE o.exercise_code = $1 AND ($2::text[] IS NULL OR o.state_code = ANY($2)) AND ($3::text IS NULL OR o.clave = $3)
          AND ($4::text IS NULL OR o.supplier_rfc = $4) AND EXISTS (SELECT 1 FROM delivery d WHERE d.order_id = o.id AND d.days_late > 0)
        ORDER BY o.due_date, o.clave, o.state_code, o.id`,
      [code, states, q.clave ?? null, q.supplierRfc ?? null],
    );
    const late = await this.dataSource.query<{ order_id: string; delivery_key: string; quantity: string; delivered_on: string }[]>(
      `SELECT order_id, delivery_key, quantity, to_char(delivered_on, 'YYYY-MM-DD') AS delivered_on FROM delivery
        WHERE order_id = ANY($1) AND days_late > 0 ORDER BY delivered_on, delivery_key`,
      [orders.map((o) => o.id)],
    );
    const byOrder = new Map<string, typeof late>();
    for (const d of late) byOrder.set(d.order_id, [...(byOrder.get(d.order_id) ?? []), d]);
    const all = orders.map((o) => {
      const p = penaltyOf(o, byOrder.get(o.id) ?? []);
      return {
        orderId: o.id,
        contractId: o.contract_id,
        clave: o.clave,
        supplierRfc: o.supplier_rfc,
        stateCode: o.state_code,
        dueDate: o.due_date,
        penaltyRatePerDay: Number(o.penalty_rate_per_day),
        penaltyCapShare: Number(o.penalty_cap_share),
        ...p,
      };
    });
    const cents = (f: (x: (typeof all)[number]) => number) => all.reduce((s, x) => s + Math.round(f(x) * 100), 0) / 100;
    return {
      exerciseCode: code,
      totals: { orders: all.length, latePieces: all.reduce((s, x) => s + x.latePieces, 0), uncapped: cents((x) => x.uncapped), penalty: cents((x) => x.penalty) },
      items: all.slice((page - 1) * pageSize, page * pageSize),
      total: all.length,
      page,
      pageSize,
    };
  }
}
