import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateContract1765060000000 implements MigrationInterface {
  name = 'CreateContract1765060000000';
  async up(q: QueryRunner): Promise<void> {
    // One open contract per award; its penalty terms are copied from the exercise's terms when it
    // is opened, so changing the terms later never changes a signed contract. `ordered` is the sum
    // of its supply orders, kept under `max` while the row is locked.
    await q.query(`
      CREATE TABLE contract (
        id                    uuid PRIMARY KEY,
        award_id              uuid NOT NULL UNIQUE REFERENCES award (id),
        exercise_code         text NOT NULL REFERENCES exercise (code),
        clave                 text NOT NULL,
        supplier_rfc          text NOT NULL,
        min                   bigint NOT NULL CHECK (min >= 0),
        max                   bigint NOT NULL CHECK (max >= min),
        unit_price            numeric(16, 4) NOT NULL CHECK (unit_price > 0),
        penalty_rate_per_day  numeric(7, 6) NOT NULL,
        penalty_cap_share     numeric(5, 4) NOT NULL,
        ordered               bigint NOT NULL DEFAULT 0 CHECK (ordered >= 0 AND ordered <= max),
        created_by            text NOT NULL,
        created_at            timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX contract_by_exercise ON contract (exercise_code, clave)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE contract`);
  }
}
