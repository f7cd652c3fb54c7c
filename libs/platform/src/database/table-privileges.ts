import { QueryRunner } from 'typeorm';

/**
 * Leaves every role but the table's owner with INSERT and SELECT on `table` at most: for tables
 * that must only grow (the audit log, the audit anchors). A service runs as a role that does not
 * own its tables (infra/db/bootstrap.mjs), whose default privileges give it UPDATE and DELETE on
 * every table a migration creates; they are taken back here from whoever holds them (PUBLIC
 * included), so the database refuses a change by privilege. Call it from a migration run as the
 * owner or a superuser: for anyone else REVOKE only warns, so the check at the end fails it.
 */
export async function insertAndSelectOnly(queryRunner: QueryRunner, table: string): Promise<void> {
  await keepOnly(queryRunner, table, ['INSERT', 'SELECT']);
}

/**
 * Leaves every role but the owner with SELECT at most on TypeORM's `migrations` table: which
 * migrations ran is the owner's record, and a runtime role that could edit it could make the next
 * deploy skip a migration or run one again. `migrate.js` calls it after every run.
 */
export async function readOnlyMigrationsTable(queryRunner: QueryRunner): Promise<void> {
  await keepOnly(queryRunner, 'migrations', ['SELECT']);
}

async function keepOnly(queryRunner: QueryRunner, table: string, kept: ('INSERT' | 'SELECT')[]): Promise<void> {
  const keptList = kept.map((p) => `'${p}'`).join(', ');
  // aclexplode lists each grant; grantee 0 is PUBLIC. CASCADE also removes what a grantee
  // holding the grant option passed on.
  const others = `
    SELECT DISTINCT a.privilege_type, a.grantee
      FROM pg_class c, aclexplode(c.relacl) a
     WHERE c.oid = ${quoteLiteral(table)}::regclass
       AND a.grantee <> c.relowner
       AND a.privilege_type NOT IN (${keptList})`;
  await queryRunner.query(`
    DO $$
    DECLARE
      g record;
    BEGIN
      FOR g IN ${others}
      LOOP
        EXECUTE format('REVOKE %s ON %I FROM %s CASCADE', g.privilege_type, ${quoteLiteral(table)},
          CASE WHEN g.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(g.grantee)) END);
      END LOOP;
      IF EXISTS (${others}) THEN
        RAISE EXCEPTION '%: privileges beyond ${kept.join(' and ')} remain after REVOKE', ${quoteLiteral(table)}
          USING HINT = 'Run the migrations as the owner of the table (MIGRATIONS_DATABASE_URL) or as a superuser.';
      END IF;
    END
    $$`);
}

function quoteLiteral(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain table name: ${name}`);
  return `'${name}'`;
}
