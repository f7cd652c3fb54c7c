import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateConsolidation1765004000000 implements MigrationInterface {
  name = 'CreateConsolidation1765004000000';
  async up(q: QueryRunner): Promise<void> {
    // The last consolidation of an exercise: its national totals and the states enrolled then.
    await q.query(`
      CREATE TABLE consolidation (
        exercise_code   text PRIMARY KEY REFERENCES exercise(code),
        job_id          text,
        claves          integer NOT NULL,
        institutions    integer NOT NULL,
        total_min       bigint NOT NULL,
        total_max       bigint NOT NULL,
        enrolled_states char(2)[] NOT NULL,
        consolidated_at timestamptz NOT NULL
      )`);
    // Its figures: per clave and state ('clave-state': key = clave, state_code null for the
    // institutions that are not a state's), national per clave ('clave': key = clave) and per
    // state ('state': key = state code).
    await q.query(`
      CREATE TABLE consolidation_line (
        exercise_code text NOT NULL REFERENCES exercise(code),
        dimension     text NOT NULL CHECK (dimension IN ('clave-state', 'clave', 'state')),
        key           text NOT NULL,
        state_code    char(2),
        min           bigint NOT NULL,
        max           bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX consolidation_line_by_key ON consolidation_line (exercise_code, dimension, key)`);
    await q.query(`CREATE INDEX consolidation_line_by_state ON consolidation_line (exercise_code, state_code, key) WHERE dimension = 'clave-state'`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE consolidation_line`);
    await q.query(`DROP TABLE consolidation`);
  }
}
