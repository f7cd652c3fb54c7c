import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The national overview's read model, kept from events only. The stage of each state lives in
 * the `state` table of @imb/states (StatesMigrations); these tables hold the rest.
 */
export class CreateOverview1765200000000 implements MigrationInterface {
  name = 'CreateOverview1765200000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE overview_source (
        service text PRIMARY KEY,
        as_of   timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE overview_transfer_progress (
        state_code            char(2) PRIMARY KEY,
        units_total           int NOT NULL,
        units_by_status       jsonb NOT NULL,
        handed_over_percent   numeric(5, 1) NOT NULL,
        re_registered_percent numeric(5, 1) NOT NULL,
        computed_at           timestamptz NOT NULL
      )`);
    await q.query(`
      CREATE TABLE overview_hiring (
        state_code  char(2) NOT NULL,
        category    text NOT NULL,
        percent     numeric(6, 1),
        computed_at timestamptz NOT NULL,
        PRIMARY KEY (state_code, category)
      )`);
    await q.query(`
      CREATE TABLE overview_formalized_worker (
        worker_key    text PRIMARY KEY,
        state_code    char(2) NOT NULL,
        formalized_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX overview_formalized_worker_state ON overview_formalized_worker (state_code)`);
    await q.query(`
      CREATE TABLE overview_supply_order (
        order_id   text PRIMARY KEY,
        state_code char(2) NOT NULL,
        ordered    numeric(18, 2) NOT NULL DEFAULT 0,
        delivered  numeric(18, 2) NOT NULL DEFAULT 0
      )`);
    await q.query(`CREATE INDEX overview_supply_order_state ON overview_supply_order (state_code)`);
    await q.query(`
      CREATE TABLE overview_allocation (
        allocation_id uuid PRIMARY KEY,
        state_code    char(2) NOT NULL,
        allocated     numeric(16, 2),
        disbursed     numeric(16, 2) NOT NULL DEFAULT 0,
        completed_at  timestamptz
      )`);
    await q.query(`CREATE INDEX overview_allocation_state ON overview_allocation (state_code)`);
    await q.query(`
      CREATE TABLE overview_event (
        event_id    uuid PRIMARY KEY,
        state_code  char(2) NOT NULL,
        occurred_at timestamptz NOT NULL,
        service     text NOT NULL,
        type        text NOT NULL,
        summary     text NOT NULL,
        actor       text NOT NULL,
        entity_id   text NOT NULL
      )`);
    await q.query(`CREATE INDEX overview_event_state_time ON overview_event (state_code, occurred_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'overview_event',
      'overview_allocation',
      'overview_supply_order',
      'overview_formalized_worker',
      'overview_hiring',
      'overview_transfer_progress',
      'overview_source',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}
