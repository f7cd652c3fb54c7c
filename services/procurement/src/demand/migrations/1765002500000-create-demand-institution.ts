import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDemandInstitution1765002500000 implements MigrationInterface {
  name = 'CreateDemandInstitution1765002500000';
  async up(q: QueryRunner): Promise<void> {
    // The institutions (column pairs) an exercise's annexes brought, with the state of the
    // IMSS-BIENESTAR per-state ones: kept by the imports, read by the consolidation.
    await q.query(`
      CREATE TABLE demand_institution (
        exercise_code text NOT NULL REFERENCES exercise(code),
        institution   text NOT NULL,
        state_code    char(2),
        PRIMARY KEY (exercise_code, institution)
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE demand_institution`);
  }
}
