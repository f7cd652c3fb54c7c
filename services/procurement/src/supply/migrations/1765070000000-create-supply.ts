import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSupply1765070000000 implements MigrationInterface {
  name = 'CreateSupply1765070000000';
  async up(q: QueryRunner): Promise<void> {
    // One order per state of one request (batch) on a contract; delivered / delivered_on_time are
    // kept with the deliveries under the order's row lock, so over-delivery is refused exactly.
    await q.query(`
      CREATE TABLE supply_order (
        id                 uuid PRIMARY KEY,
        batch_id           uuid NOT NULL,
        request_key        text,
        contract_id        uuid NOT NULL REFERENCES contract (id),
        exercise_code      text NOT NULL,
        clave              text NOT NULL,
        supplier_rfc       text NOT NULL,
        state_code         char(2) NOT NULL,
        quantity           bigint NOT NULL CHECK (quantity > 0),
        unit_price         numeric(16, 4) NOT NULL,
        due_date           date NOT NULL,
        delivered          bigint NOT NULL DEFAULT 0 CHECK (delivered >= 0 AND delivered <= quantity),
        delivered_on_time  bigint NOT NULL DEFAULT 0 CHECK (delivered_on_time >= 0 AND delivered_on_time <= delivered),
        issued_by          text NOT NULL,
        issued_at          timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX supply_order_by_exercise ON supply_order (exercise_code, state_code)`);
    await q.query(`CREATE INDEX supply_order_by_contract ON supply_order (contract_id)`);
    // A request repeated with its key finds the orders it issued the first time.
    await q.query(`CREATE UNIQUE INDEX supply_order_request_key ON supply_order (contract_id, request_key, state_code) WHERE request_key IS NOT NULL`);
    await q.query(`CREATE INDEX supply_order_by_supplier ON supply_order (supplier_rfc, due_date)`);
    // The delivery key (e.g. the remisión number) is unique: the same delivery reported twice counts once.
    await q.query(`
      CREATE TABLE delivery (
        id            uuid PRIMARY KEY,
        delivery_key  text NOT NULL UNIQUE,
        order_id      uuid NOT NULL REFERENCES supply_order (id),
        quantity      bigint NOT NULL CHECK (quantity > 0),
        delivered_on  date NOT NULL,
        days_late     int NOT NULL CHECK (days_late >= 0),
        recorded_by   text NOT NULL,
        recorded_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX delivery_by_order ON delivery (order_id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE delivery, supply_order`);
  }
}
