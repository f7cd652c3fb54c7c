import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateEnrollment1765003000000 implements MigrationInterface {
  name = 'CreateEnrollment1765003000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE enrollment (
        state_code    char(2) PRIMARY KEY,
        exercise_code text,
        enrolled_at   timestamptz NOT NULL
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE enrollment`);
  }
}
