import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { recordAudit } from '@imb/audit';
import { currentContext, DeliveryReceived, SupplyOrderIssued } from '@imb/contracts';
import { Principal } from '@imb/auth';
import { publishEvent, publishEvents } from '@imb/messaging';
import { DomainError } from '@imb/platform';
import { requireExercise } from '../tenders/tender-terms';
import { daysLate, orderPenalty } from './penalties';
import { assertSupplyAccess, supplyScope } from './scope';
import { splitProportionally } from './split';
import type { IssueSupplyOrderDto, RecordDeliveryDto, SupplyFilterQuery } from './supply.dto';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const actor = () => currentContext()?.actor ?? 'unknown';

interface ContractRow {
  id: string;
  exercise_code: string;
  clave: string;
  supplier_rfc: string;
  max: string;
  unit_price: string;
  ordered: string;
  penalty_rate_per_day: string;
  penalty_cap_share: string;
}

export interface OrderRow {
  id: string;
  batch_id: string;
  contract_id: string;
  exercise_code: string;
  clave: string;
  supplier_rfc: string;
  state_code: string;
  quantity: string;
  unit_price: string;
  due_date: string;
  delivered: string;
  delivered_on_time: string;
  issued_by: string;
  issued_at: Date;
  penalty_rate_per_day: string;
  penalty_cap_share: string;
}

interface DeliveryRow {
  id: string;
  delivery_key: string;
  order_id: string;
  quantity: string;
  delivered_on: string;
  days_late: number;
  recorded_by: string;
  recorded_at: Date;
}

/** Orders with their contract's penalty terms; dates as YYYY-MM-DD text. */
export const ORDER_SELECT = `SELECT o.id, o.batch_id, o.contract_id, o.exercise_code, o.clave, o.supplier_rfc, o.state_code, o.quantity, o.unit_price,
       to_char(o.due_date, 'YYYY-MM-DD') AS due_date, o.delivered, o.delivered_on_time, o.issued_by, o.issued_at,
       c.penalty_rate_per_day, c.penalty_cap_share
  FROM supply_order o JOIN contract c ON c.id = o.contract_id`;

const DELIVERY_SELECT = `SELECT id, delivery_key, order_id, quantity, to_char(delivered_on, 'YYYY-MM-DD') AS delivered_on, days_late, recorded_by, recorded_at FROM delivery`;

const orderView = (r: OrderRow) => ({
  id: r.id,
  batchId: r.batch_id,
  contractId: r.contract_id,
  exerciseCode: r.exercise_code,
  clave: r.clave,
  supplierRfc: r.supplier_rfc,
  stateCode: r.state_code,
  quantity: Number(r.quantity),
  unitPrice: Number(r.unit_price),
  dueDate: r.due_date,
  delivered: Number(r.delivered),
  deliveredOnTime: Number(r.delivered_on_time),
  pending: Number(r.quantity) - Number(r.delivered),
  issuedBy: r.issued_by,
  issuedAt: r.issued_at,
});

const deliveryView = (r: DeliveryRow) => ({
  id: r.id,
  deliveryKey: r.delivery_key,
  orderId: r.order_id,
  quantity: Number(r.quantity),
  deliveredOn: r.delivered_on,
  daysLate: r.days_late,
  recordedBy: r.recorded_by,
  recordedAt: r.recorded_at,
});

/** The penalty of one order from its deliveries, with its contract's terms. */
export function penaltyOf(o: OrderRow, deliveries: { delivery_key: string; quantity: string; delivered_on: string }[]) {
  return orderPenalty(
    {
      unitPrice: Number(o.unit_price),
      quantity: Number(o.quantity),
      dueDate: o.due_date,
      ratePerDay: Number(o.penalty_rate_per_day),
      capShare: Number(o.penalty_cap_share),
    },
    deliveries.map((d) => ({ deliveryKey: d.delivery_key, quantity: Number(d.quantity), deliveredOn: d.delivered_on })),
  );
}

/**
 * Supply orders on open contracts and their deliveries. An order for N pieces is split among the
 * states with demand of the clave (IMSS-BIENESTAR's per-state demand lines of the exercise) in
 * proportion to their MAX, by largest remainders, so the states' orders sum to exactly N; the
 * contract row is locked, and an order that would take the contract above its MAX is refused
 * whole. Deliveries lock their order, so over-delivery is refused exactly; a delivery key seen
 * before returns the first delivery and changes nothing.
 */
@Injectable()
export class SupplyService {
  constructor(private readonly dataSource: DataSource) {}

  /** Issues the states' orders of one request; `created` is false when its requestKey was used before (nothing changes then). */
  async issue(contractId: string, body: IssueSupplyOrderDto, principal: Principal) {
    checkId(contractId, 'contract');
    return this.dataSource.transaction(async (m) => {
      const [c] = await m.query<ContractRow[]>(`SELECT * FROM contract WHERE id = $1 FOR UPDATE`, [contractId]);
      if (!c) throw new DomainError('CONTRACT_NOT_FOUND', `No contract ${contractId}`, 404);
      const max = Number(c.max);
      const ordered = Number(c.ordered);
      const states = await m.query<{ state_code: string; max: string }[]>(
        `SELECT state_code, sum(max) AS max FROM demand_line
          WHERE exercise_code = $1 AND clave = $2 AND state_code IS NOT NULL GROUP BY state_code HAVING sum(max) > 0 ORDER BY state_code`,
        [c.exercise_code, c.clave],
      );
      if (!states.length) {
        throw new DomainError('NO_STATE_DEMAND', `No state has demand of ${c.clave} in ${c.exercise_code}; there is nothing to split the order by`, 409);
      }
      // The order touches every state it is split among: the caller must be allowed to change each.
      for (const s of states) assertSupplyAccess(principal, s.state_code, 'write');
      if (body.requestKey) {
        const previous = await this.previousBatch(m, c, body);
        if (previous) return { created: false, ...previous };
      }
      if (ordered + body.quantity > max) {
        throw new DomainError(
          'OVER_CONTRACT_MAX',
          `${body.quantity} pieces would take contract ${contractId} (${c.clave}, ${c.supplier_rfc}) above its MAX of ${max}: ${ordered} already ordered, ${max - ordered} available. Nothing was ordered.`,
          409,
          { max, ordered, available: max - ordered },
        );
      }
      const parts = splitProportionally(
        body.quantity,
        states.map((s) => Number(s.max)),
      );
      const batchId = randomUUID();
      const orders = states
        .map((s, i) => ({ id: randomUUID(), stateCode: s.state_code, quantity: parts[i] }))
        .filter((o) => o.quantity > 0);
      const rows = await m.query<{ id: string; issued_at: Date }[]>(
        `INSERT INTO supply_order (id, batch_id, request_key, contract_id, exercise_code, clave, supplier_rfc, state_code, quantity, unit_price, due_date, issued_by)
         SELECT o.id, $1, $12, $2, $3, $4, $5, o.state, o.quantity, $8, $9, $10 FROM unnest($6::uuid[], $7::text[], $11::bigint[]) AS o(id, state, quantity)
         RETURNING id, issued_at`,
        [
          batchId,
          contractId,
          c.exercise_code,
          c.clave,
          c.supplier_rfc,
          orders.map((o) => o.id),
          orders.map((o) => o.stateCode),
          c.unit_price,
          body.dueDate,
          actor(),
          orders.map((o) => o.quantity),
          body.requestKey ?? null,
        ],
      );
      const total = ordered + body.quantity;
      await m.query(`UPDATE contract SET ordered = $2 WHERE id = $1`, [contractId, total]);
      await recordAudit(m, {
        action: 'supply-orders.issued',
        entity: 'Contract',
        entityId: contractId,
        before: { ordered },
        after: { ordered: total, batchId, quantity: body.quantity, dueDate: body.dueDate, orders: orders.map((o) => ({ id: o.id, stateCode: o.stateCode, quantity: o.quantity })) },
      });
      const issuedAt = new Date(rows[0].issued_at).toISOString();
      await publishEvents(
        m,
        SupplyOrderIssued,
        orders.map((o) => ({
          orderId: o.id,
          contractId,
          exerciseCode: c.exercise_code,
          clave: c.clave,
          supplierRfc: c.supplier_rfc,
          stateCode: o.stateCode,
          quantity: o.quantity,
          unitPrice: Number(c.unit_price),
          dueDate: body.dueDate,
          contractOrdered: total,
          issuedAt,
        })),
      );
      return {
        created: true,
        batchId,
        contractId,
        clave: c.clave,
        supplierRfc: c.supplier_rfc,
        quantity: body.quantity,
        dueDate: body.dueDate,
        contractOrdered: total,
        contractMax: max,
        orders,
      };
    });
  }

  /** The orders a request with this key issued before (under the contract's lock), or null. */
  private async previousBatch(m: EntityManager, c: ContractRow, body: IssueSupplyOrderDto) {
    const rows = await m.query<{ id: string; batch_id: string; state_code: string; quantity: string; due_date: string }[]>(
      `SELECT id, batch_id, state_code, quantity, to_char(due_date, 'YYYY-MM-DD') AS due_date FROM supply_order
        WHERE contract_id = $1 AND request_key = $2 ORDER BY state_code`,
      [c.id, body.requestKey],
    );
    if (!rows.length) return null;
    const quantity = rows.reduce((s, r) => s + Number(r.quantity), 0);
    if (quantity !== body.quantity || rows[0].due_date !== body.dueDate) {
      throw new DomainError(
        'REQUEST_KEY_REUSED',
        `requestKey ${body.requestKey} already ordered ${quantity} pieces due ${rows[0].due_date} on contract ${c.id}; use a new key for another order`,
        409,
      );
    }
    return {
      batchId: rows[0].batch_id,
      contractId: c.id,
      clave: c.clave,
      supplierRfc: c.supplier_rfc,
      quantity,
      dueDate: body.dueDate,
      contractOrdered: Number(c.ordered),
      contractMax: Number(c.max),
      orders: rows.map((r) => ({ id: r.id, stateCode: r.state_code, quantity: Number(r.quantity) })),
    };
  }

  async list(code: string, q: SupplyFilterQuery, principal: Principal) {
    await requireExercise(this.dataSource.manager, code);
    const states = supplyScope(principal, q.stateCode);
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 100;
    const where = `o.exercise_code = $1 AND ($2::text[] IS NULL OR o.state_code = ANY($2)) AND ($3::text IS NULL OR o.clave = $3) AND ($4::text IS NULL OR o.supplier_rfc = $4)`;
    const params = [code, states, q.clave ?? null, q.supplierRfc ?? null];
    const [{ total }] = await this.dataSource.query<{ total: number }[]>(`SELECT count(*)::int AS total FROM supply_order o WHERE ${where}`, params);
    const rows = await this.dataSource.query<OrderRow[]>(`${ORDER_SELECT} WHERE ${where} ORDER BY o.due_date, o.clave, o.state_code, o.id LIMIT $5 OFFSET $6`, [
      ...params,
      pageSize,
      (page - 1) * pageSize,
    ]);
    return { items: rows.map(orderView), total, page, pageSize };
  }

  async get(orderId: string, principal: Principal) {
    const order = await this.loadOrder(this.dataSource.manager, orderId, false);
    assertSupplyAccess(principal, order.state_code);
    const deliveries = await this.dataSource.query<DeliveryRow[]>(`${DELIVERY_SELECT} WHERE order_id = $1 ORDER BY delivered_on, recorded_at`, [orderId]);
    const { deliveries: perDelivery, ...penalty } = penaltyOf(order, deliveries);
    return {
      ...orderView(order),
      deliveries: deliveries.map((d, i) => ({ ...deliveryView(d), penalty: perDelivery[i].penalty })),
      penalty,
    };
  }

  async deliveries(orderId: string, principal: Principal) {
    const order = await this.loadOrder(this.dataSource.manager, orderId, false);
    assertSupplyAccess(principal, order.state_code);
    const rows = await this.dataSource.query<DeliveryRow[]>(`${DELIVERY_SELECT} WHERE order_id = $1 ORDER BY delivered_on, recorded_at`, [orderId]);
    return { orderId, stateCode: order.state_code, items: rows.map(deliveryView), total: rows.length, page: 1, pageSize: rows.length };
  }

  /** Records a delivery; `created` is false when its key was reported before (nothing changes then). */
  async deliver(orderId: string, body: RecordDeliveryDto, principal: Principal): Promise<{ created: boolean; delivery: ReturnType<typeof deliveryView> }> {
    const today = new Date().toISOString().slice(0, 10);
    if (body.deliveredOn > today) throw new DomainError('DELIVERY_IN_FUTURE', `deliveredOn ${body.deliveredOn} is after today (${today}); record deliveries once received`, 400);
    try {
      return await this.dataSource.transaction(async (m) => {
        const order = await this.loadOrder(m, orderId, true);
        assertSupplyAccess(principal, order.state_code, 'write');
        const [previous] = await m.query<DeliveryRow[]>(`${DELIVERY_SELECT} WHERE delivery_key = $1`, [body.deliveryKey]);
        if (previous) return { created: false, delivery: this.sameDelivery(previous, orderId, body) };
        const quantity = Number(order.quantity);
        const delivered = Number(order.delivered);
        if (delivered + body.quantity > quantity) {
          throw new DomainError(
            'OVER_DELIVERY',
            `${body.quantity} pieces would exceed supply order ${orderId} (${order.clave}, state ${order.state_code}): ${quantity} ordered, ${delivered} delivered, ${quantity - delivered} pending. Nothing was recorded.`,
            409,
            { ordered: quantity, delivered, pending: quantity - delivered },
          );
        }
        const late = daysLate(order.due_date, body.deliveredOn);
        const id = randomUUID();
        const [row] = await m.query<DeliveryRow[]>(
          `INSERT INTO delivery (id, delivery_key, order_id, quantity, delivered_on, days_late, recorded_by) VALUES ($1, $2, $3, $4, $5, $6, $7)
           RETURNING id, delivery_key, order_id, quantity, to_char(delivered_on, 'YYYY-MM-DD') AS delivered_on, days_late, recorded_by, recorded_at`,
          [id, body.deliveryKey, orderId, body.quantity, body.deliveredOn, late, actor()],
        );
        const after = { delivered: delivered + body.quantity, deliveredOnTime: Number(order.delivered_on_time) + (late === 0 ? body.quantity : 0) };
        await m.query(`UPDATE supply_order SET delivered = $2, delivered_on_time = $3 WHERE id = $1`, [orderId, after.delivered, after.deliveredOnTime]);
        await recordAudit(m, {
          action: 'delivery.received',
          entity: 'SupplyOrder',
          entityId: orderId,
          stateCode: order.state_code,
          before: { delivered, deliveredOnTime: Number(order.delivered_on_time) },
          after: { ...after, deliveryId: id, deliveryKey: body.deliveryKey, quantity: body.quantity, deliveredOn: body.deliveredOn, daysLate: late },
        });
        await publishEvent(m, DeliveryReceived, {
          deliveryId: id,
          deliveryKey: body.deliveryKey,
          orderId,
          contractId: order.contract_id,
          exerciseCode: order.exercise_code,
          clave: order.clave,
          supplierRfc: order.supplier_rfc,
          stateCode: order.state_code,
          quantity: body.quantity,
          deliveredOn: body.deliveredOn,
          daysLate: late,
          orderDelivered: after.delivered,
          orderQuantity: quantity,
        });
        return { created: true, delivery: deliveryView(row) };
      });
    } catch (err) {
      // The same key reported at once for two orders: the loser finds the winner's row.
      if (err instanceof QueryFailedError && (err.driverError as { code?: string }).code === '23505') {
        const [previous] = await this.dataSource.query<DeliveryRow[]>(`${DELIVERY_SELECT} WHERE delivery_key = $1`, [body.deliveryKey]);
        if (previous) return { created: false, delivery: this.sameDelivery(previous, orderId, body) };
      }
      throw err;
    }
  }

  /** A repeated report must be the same delivery; a key reused for something else is refused. */
  private sameDelivery(previous: DeliveryRow, orderId: string, body: RecordDeliveryDto) {
    if (previous.order_id !== orderId || Number(previous.quantity) !== body.quantity || previous.delivered_on !== body.deliveredOn) {
      throw new DomainError(
        'DELIVERY_KEY_REUSED',
        `deliveryKey ${body.deliveryKey} was already recorded for ${previous.quantity} pieces on ${previous.delivered_on} against order ${previous.order_id}; use a new key for another delivery`,
        409,
      );
    }
    return deliveryView(previous);
  }

  private async loadOrder(m: EntityManager, id: string, lock: boolean): Promise<OrderRow> {
    checkId(id, 'supply order');
    const [row] = await m.query<OrderRow[]>(`${ORDER_SELECT} WHERE o.id = $1${lock ? ' FOR UPDATE OF o' : ''}`, [id]);
    if (!row) throw new DomainError('SUPPLY_ORDER_NOT_FOUND', `No supply order ${id}`, 404);
    return row;
  }
}

function checkId(id: string, what: string): void {
  if (!UUID.test(id)) throw new DomainError('BAD_ID', `"${id}" is not a ${what} id (a UUID)`, 400);
}
