import { MigrationInterface } from 'typeorm';
import { Exercise } from './exercise.entity';
import { CreateExercise1765000000000 } from './migrations/1765000000000-create-exercise';
import { CreateExerciseCalendar1765000500000 } from './migrations/1765000500000-create-exercise-calendar';

/** Tables of the exercises feature (added to the procurement database by ../schema.ts). */
export const exercisesSchema = {
  entities: [Exercise] as (new () => object)[],
  migrations: [CreateExercise1765000000000, CreateExerciseCalendar1765000500000] as (new () => MigrationInterface)[],
};
