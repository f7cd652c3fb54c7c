import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStateTransfer1764400000000 implements MigrationInterface {
  name = 'CreateStateTransfer1764400000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE state_transfer (
        state_code         char(2) PRIMARY KEY,
        state_name         text NOT NULL,
        stage              text NOT NULL,
        stage_since        timestamptz NOT NULL,
        definition_version int NOT NULL,
        joined_year        int
      )`);
    await q.query(`
      CREATE TABLE stage_change (
        id         uuid PRIMARY KEY,
        state_code char(2) NOT NULL REFERENCES state_transfer (state_code),
        from_stage text,
        to_stage   text NOT NULL,
        reason     text,
        actor      text NOT NULL,
        changed_at timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX stage_change_by_state ON stage_change (state_code, changed_at)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stage_change`);
    await q.query(`DROP TABLE state_transfer`);
  }
}
