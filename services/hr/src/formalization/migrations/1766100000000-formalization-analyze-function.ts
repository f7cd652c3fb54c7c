import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `formalization_analyze()`: ANALYZE of the tables the eligibility job plans its queries on.
 *
 * The service runs as a role that does not own the tables, and PostgreSQL 15 lets only the
 * owner (or a superuser) ANALYZE a table: anyone else gets a warning and nothing is analyzed.
 * SECURITY DEFINER runs the body as the function's owner, the role that runs this migration;
 * the fixed search_path keeps the caller from swapping the tables it names. EXECUTE stays
 * granted to PUBLIC: only the service's own roles can connect to its database, and all the
 * function can do is refresh statistics.
 */
export class FormalizationAnalyzeFunction1766100000000 implements MigrationInterface {
  name = 'FormalizationAnalyzeFunction1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION formalization_analyze() RETURNS void
        LANGUAGE sql SECURITY DEFINER SET search_path = public
        AS $$ ANALYZE contract, formalization_candidate $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION formalization_analyze()`);
  }
}
