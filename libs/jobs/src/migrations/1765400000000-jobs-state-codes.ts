import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Adds `job.state_codes`: the states whose data a job reads or writes (empty for a national job),
 * so `/jobs` shows a state-bound caller only the jobs of her states. Jobs recorded before it
 * take the state their request names, if any; the others count as national.
 */
export class JobsStateCodes1765400000000 implements MigrationInterface {
  name = 'JobsStateCodes1765400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job ADD COLUMN state_codes text[] NOT NULL DEFAULT '{}'`);
    await q.query(
      `UPDATE job SET state_codes = ARRAY[request->>'stateCode'] WHERE request->>'stateCode' ~ '^(0[1-9]|[12][0-9]|3[0-2])$'`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE job DROP COLUMN state_codes`);
  }
}
