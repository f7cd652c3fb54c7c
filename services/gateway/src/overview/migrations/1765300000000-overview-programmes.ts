import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What each dignification programme allocated per state (from its latest allocation-computed
 * event), and which programme each paid allocation belongs to, so the overview shows the current
 * programme's allocation, including units never paid yet.
 */
export class OverviewProgrammes1765300000000 implements MigrationInterface {
  name = 'OverviewProgrammes1765300000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE overview_programme (
        programme_id uuid PRIMARY KEY,
        year         int NOT NULL,
        computed_at  timestamptz NOT NULL,
        -- false when the latest event carried no per-state figures (published before byState existed)
        by_state     boolean NOT NULL
      )`);
    await q.query(`
      CREATE TABLE overview_programme_state (
        programme_id uuid NOT NULL REFERENCES overview_programme ON DELETE CASCADE,
        state_code   char(2) NOT NULL,
        units        int NOT NULL,
        amount       numeric(16, 2) NOT NULL,
        PRIMARY KEY (programme_id, state_code)
      )`);
    // Rows written before this column existed keep NULL: they count only while no programme is known.
    await q.query(`ALTER TABLE overview_allocation ADD COLUMN programme_id uuid`);
    await q.query(
      `CREATE INDEX overview_allocation_programme ON overview_allocation (programme_id, state_code)`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX overview_allocation_programme`);
    await q.query(`ALTER TABLE overview_allocation DROP COLUMN programme_id`);
    await q.query(`DROP TABLE overview_programme_state`);
    await q.query(`DROP TABLE overview_programme`);
  }
}
