import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDemandLine1765002000000 implements MigrationInterface {
  name = 'CreateDemandLine1765002000000';
  async up(q: QueryRunner): Promise<void> {
    // institution is the column title as published; state_code is set for the IMSS-BIENESTAR
    // per-state columns only. Imports write hundreds of thousands of lines set-based.
    await q.query(`
      CREATE TABLE demand_line (
        exercise_code text NOT NULL REFERENCES exercise(code),
        clave         text NOT NULL,
        institution   text NOT NULL,
        state_code    char(2),
        min           bigint NOT NULL,
        max           bigint NOT NULL,
        PRIMARY KEY (exercise_code, clave, institution)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demand_line`);
  }
}
