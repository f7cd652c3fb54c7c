import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateExerciseCalendar1765000500000 implements MigrationInterface {
  name = 'CreateExerciseCalendar1765000500000';
  async up(q: QueryRunner): Promise<void> {
    // The planned dates of each stage of an exercise's calendar.
    await q.query(`
      CREATE TABLE exercise_stage_plan (
        exercise_code text NOT NULL REFERENCES exercise(code),
        stage         text NOT NULL,
        planned_start date,
        planned_end   date,
        PRIMARY KEY (exercise_code, stage),
        CHECK (planned_end IS NULL OR planned_start IS NULL OR planned_end >= planned_start)
      )`);
    // Every stage an exercise went through: when, from where, and why when going back.
    await q.query(`
      CREATE TABLE exercise_stage_change (
        id            bigserial PRIMARY KEY,
        exercise_code text NOT NULL REFERENCES exercise(code),
        from_stage    text,
        to_stage      text NOT NULL,
        reason        text,
        actor         text NOT NULL,
        changed_at    timestamptz NOT NULL
      )`);
    await q.query(`CREATE INDEX exercise_stage_change_by_exercise ON exercise_stage_change (exercise_code, id)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE exercise_stage_change`);
    await q.query(`DROP TABLE exercise_stage_plan`);
  }
}
