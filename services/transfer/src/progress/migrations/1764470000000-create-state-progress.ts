import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStateProgress1764470000000 implements MigrationInterface {
  name = 'CreateStateProgress1764470000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE state_progress (
        state_code  char(2) PRIMARY KEY REFERENCES state_transfer (state_code),
        figures     jsonb NOT NULL,
        computed_at timestamptz NOT NULL
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE state_progress`);
  }
}
