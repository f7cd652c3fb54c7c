import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateProgramme1764510000000 implements MigrationInterface {
  name = 'CreateProgramme1764510000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE programme (
        id           uuid PRIMARY KEY,
        year         int NOT NULL CONSTRAINT programme_year_key UNIQUE,
        envelope     numeric(16, 2) NOT NULL CHECK (envelope > 0),
        rules        jsonb NOT NULL,
        input_hash   char(64),
        total        numeric(16, 2),
        computed_at  timestamptz,
        created_by   text NOT NULL,
        created_at   timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE allocation (
        id            uuid PRIMARY KEY,
        programme_id  uuid NOT NULL REFERENCES programme (id),
        unit_id       uuid NOT NULL,
        clues         text NOT NULL,
        state_code    char(2) NOT NULL,
        tier          text NOT NULL,
        amount        numeric(16, 2) NOT NULL CHECK (amount > 0),
        rank          int NOT NULL,
        disbursed     numeric(16, 2) NOT NULL DEFAULT 0,
        CONSTRAINT allocation_unit_key UNIQUE (programme_id, unit_id),
        CONSTRAINT allocation_not_overspent CHECK (disbursed >= 0 AND disbursed <= amount)
      )`);
    await q.query(`CREATE INDEX allocation_programme_state ON allocation (programme_id, state_code)`);
    await q.query(`
      CREATE TABLE allocation_left_out (
        programme_id  uuid NOT NULL REFERENCES programme (id),
        unit_id       uuid NOT NULL,
        clues         text NOT NULL,
        state_code    char(2) NOT NULL,
        reason        text NOT NULL,
        message       text NOT NULL,
        tier          text,
        amount        numeric(16, 2),
        PRIMARY KEY (programme_id, unit_id)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE allocation_left_out`);
    await q.query(`DROP TABLE allocation`);
    await q.query(`DROP TABLE programme`);
  }
}
