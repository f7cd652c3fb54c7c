import { MigrationInterface, QueryRunner } from 'typeorm';
import { EXERCISE_STAGES } from '../exercise-stages';

const quoted = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export class CreateExercise1765000000000 implements MigrationInterface {
  name = 'CreateExercise1765000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE exercise (
        code        text PRIMARY KEY,
        name        text NOT NULL,
        stage       text NOT NULL CHECK (stage IN (${quoted(EXERCISE_STAGES)})),
        stage_since timestamptz NOT NULL,
        created_at  timestamptz NOT NULL DEFAULT now()
      )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exercise`);
  }
}
