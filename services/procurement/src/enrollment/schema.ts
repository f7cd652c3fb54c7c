import { MigrationInterface } from 'typeorm';
import { Enrollment } from './enrollment.entity';
import { CreateEnrollment1765003000000 } from './migrations/1765003000000-create-enrollment';

/** Tables of the enrollment feature (added to the procurement database by ../schema.ts). */
export const enrollmentSchema = {
  entities: [Enrollment] as (new () => object)[],
  migrations: [CreateEnrollment1765003000000] as (new () => MigrationInterface)[],
};
