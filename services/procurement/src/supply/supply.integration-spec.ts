import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Principal } from '@imb/auth';
import { EXERCISE_STAGES, runInContext } from '@imb/contracts';
import { DomainError } from '@imb/platform';
import { createTestDataSource } from '@imb/testing';
import { procurementSchema } from '../schema';
import { SupplyService } from './supply.service';

/**
 * The supply rules under concurrency, on a real PostgreSQL: orders racing for the last pieces of a
 * contract never take it above its MAX, deliveries racing for the last pieces of an order never
 * over-deliver it, and one delivery key reported many times at once counts once.
 */
describe('supply orders and deliveries under concurrency', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;
  let ds: DataSource;
  let supply: SupplyService;
  let contractId: string;
  const officer: Principal = { sub: 'olga', roles: ['procurement-officer'], states: ['13', '18'] };
  const hidalgoOnly: Principal = { sub: 'hugo', roles: ['procurement-officer'], states: ['13'] };
  const asOfficer = <T>(fn: () => Promise<T>) => runInContext({ correlationId: randomUUID(), actor: 'olga' }, fn);
  const settle = async <T>(work: (() => Promise<T>)[]) => Promise.allSettled(work.map((w) => asOfficer(w)));

  beforeAll(async () => {
    db = await createTestDataSource({ name: 'proc_supply', entities: procurementSchema.entities, migrations: procurementSchema.migrations });
    ds = db.dataSource;
    supply = new SupplyService(ds);
    await ds.query(`INSERT INTO exercise (code, name, stage, stage_since) VALUES ('2031-2032', 'test', $1, now())`, [EXERCISE_STAGES[0]]);
    await ds.query(
      `INSERT INTO demand_line (exercise_code, clave, institution, state_code, min, max) VALUES
         ('2031-2032', '010.000.0104.00', 'IMSS BIENESTAR EF_ADHERIDA_HIDALGO', '13', 200, 500),
         ('2031-2032', '010.000.0104.00', 'IMSS BIENESTAR EF_ADHERIDA_NAYARIT', '18', 120, 300),
         ('2031-2032', '010.000.0104.00', 'IMSS', NULL, 400, 1000)`,
    );
    const bidId = randomUUID();
    await ds.query(
      `INSERT INTO bid (id, exercise_code, clave, supplier_rfc, unit_price, offered_quantity, source) VALUES ($1, '2031-2032', '010.000.0104.00', 'LAB010101AB1', 9, 2000, 'api')`,
      [bidId],
    );
    await ds.query(`INSERT INTO clave_outcome (exercise_code, clave, outcome, reference_price, bids, solvent_bids, evaluated_at) VALUES ('2031-2032', '010.000.0104.00', 'AWARDED', 10, 1, 1, now())`);
    const awardId = randomUUID();
    await ds.query(
      `INSERT INTO award (id, exercise_code, clave, supplier_rfc, bid_id, unit_price, share_pct, min, max, rank) VALUES ($1, '2031-2032', '010.000.0104.00', 'LAB010101AB1', $2, 9, 100, 400, 1000, 0)`,
      [awardId, bidId],
    );
    contractId = randomUUID();
    await ds.query(
      `INSERT INTO contract (id, award_id, exercise_code, clave, supplier_rfc, min, max, unit_price, penalty_rate_per_day, penalty_cap_share, created_by)
       VALUES ($1, $2, '2031-2032', '010.000.0104.00', 'LAB010101AB1', 400, 1000, 9, 0.01, 0.1, 'olga')`,
      [contractId, awardId],
    );
  });

  afterAll(async () => {
    await db?.destroy();
  });

  it('never orders above the contract MAX, however many orders race', async () => {
    // Eight orders of 300 for a MAX of 1,000: exactly three fit.
    const outcomes = await settle(Array.from({ length: 8 }, () => () => supply.issue(contractId, { quantity: 300, dueDate: '2026-10-01' }, officer)));
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(won).toHaveLength(3);
    expect(lost.every((o) => o.reason instanceof DomainError && o.reason.code === 'OVER_CONTRACT_MAX')).toBe(true);
    const [c] = await ds.query(`SELECT ordered FROM contract WHERE id = $1`, [contractId]);
    const [o] = await ds.query(`SELECT sum(quantity)::int AS n, count(*)::int AS orders FROM supply_order WHERE contract_id = $1`, [contractId]);
    expect([Number(c.ordered), o.n, o.orders]).toEqual([900, 900, 6]);
    // Each order of 300 split 500:300 → 187.5 / 112.5 → 188 / 112 (tie on remainder: the larger weight).
    const split = await ds.query(`SELECT state_code, quantity::int AS q FROM supply_order WHERE contract_id = $1 GROUP BY state_code, quantity ORDER BY state_code`, [contractId]);
    expect(split).toEqual([
      { state_code: '13', q: 188 },
      { state_code: '18', q: 112 },
    ]);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE type = 'procurement.supply-order-issued.v1'`))[0].n)).toBe(6);
    // An officer who does not carry every state of the split may not order; nothing is written.
    await expect(asOfficer(() => supply.issue(contractId, { quantity: 10, dueDate: '2026-10-01' }, hidalgoOnly))).rejects.toMatchObject({ status: 403 });
    expect(Number((await ds.query(`SELECT ordered FROM contract WHERE id = $1`, [contractId]))[0].ordered)).toBe(900);
  });

  it('orders once for a request repeated with its key', async () => {
    const [before] = await ds.query(`SELECT ordered FROM contract WHERE id = $1`, [contractId]);
    const repeats = await settle(Array.from({ length: 4 }, () => () => supply.issue(contractId, { quantity: 100, dueDate: '2026-11-01', requestKey: 'OS-1' }, officer)));
    const batches = repeats.map((r) => (r.status === 'fulfilled' ? r.value : null));
    expect(batches.filter((b) => b?.created)).toHaveLength(1);
    expect(new Set(batches.map((b) => b?.batchId)).size).toBe(1);
    const [after] = await ds.query(`SELECT ordered FROM contract WHERE id = $1`, [contractId]);
    expect(Number(after.ordered) - Number(before.ordered)).toBe(100);
    await expect(asOfficer(() => supply.issue(contractId, { quantity: 99, dueDate: '2026-11-01', requestKey: 'OS-1' }, officer))).rejects.toMatchObject({ code: 'REQUEST_KEY_REUSED' });
  });

  it('never over-delivers an order, and counts a repeated delivery key once', async () => {
    const [order] = await ds.query(`SELECT id FROM supply_order WHERE contract_id = $1 AND state_code = '18' LIMIT 1`, [contractId]);
    await expect(asOfficer(() => supply.deliver(order.id, { deliveryKey: 'REM-0', quantity: 1, deliveredOn: '2026-10-01' }, hidalgoOnly))).rejects.toMatchObject({ status: 403 });
    // The same remisión reported five times at once.
    const same = await settle(Array.from({ length: 5 }, () => () => supply.deliver(order.id, { deliveryKey: 'REM-1', quantity: 50, deliveredOn: '2026-10-01' }, officer)));
    expect(same.every((s) => s.status === 'fulfilled')).toBe(true);
    expect(same.filter((s) => s.status === 'fulfilled' && s.value.created)).toHaveLength(1);
    // 62 pieces pending; six deliveries of 20 race for them: three fit.
    const race = await settle(Array.from({ length: 6 }, (_, i) => () => supply.deliver(order.id, { deliveryKey: `REM-R${i}`, quantity: 20, deliveredOn: '2026-10-03' }, officer)));
    expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    const [row] = await ds.query(`SELECT quantity::int AS q, delivered::int AS d, delivered_on_time::int AS t FROM supply_order WHERE id = $1`, [order.id]);
    expect(row).toEqual({ q: 112, d: 110, t: 50 });
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM delivery WHERE order_id = $1`, [order.id]);
    expect(n).toBe(4);
    expect(Number((await ds.query(`SELECT count(*) AS n FROM outbox WHERE type = 'procurement.delivery-received.v1'`))[0].n)).toBe(4);
  });
});

