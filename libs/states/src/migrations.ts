import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStateSnapshot1764300000000 implements MigrationInterface {
  name = 'CreateStateSnapshot1764300000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE state (
        state_code         char(2) PRIMARY KEY,
        state_name         text NOT NULL,
        stage              text NOT NULL,
        stage_since        timestamptz NOT NULL,
        definition_version int NOT NULL,
        last_event_id      uuid NOT NULL,
        last_event_at      timestamptz NOT NULL,
        updated_at         timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE state`);
  }
}

export const StatesMigrations = [CreateStateSnapshot1764300000000];
