import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource, DataSourceOptions, MigrationInterface, QueryRunner } from 'typeorm';
import { AuditLogEntity, AuditMigrations, recordAudit, verifyAuditChain } from '@imb/audit';
import { runMigrationsCli } from '@imb/platform';
import { testPg } from '@imb/testing';

/**
 * The role a service runs as cannot rewrite its audit log: infra/db/bootstrap.mjs and the audit
 * migrations against the real PostgreSQL, with a scratch service of a unique name. Migrations run
 * as the owner <name> (as MIGRATIONS_DATABASE_URL does), the checks as <name>_app (DATABASE_URL).
 */
const BOOTSTRAP = join(__dirname, 'bootstrap.mjs');
const service = `rr_${randomBytes(4).toString('hex')}`;
const app = `${service}_app`;

/** Stands for any table a service's migration creates after the audit log. */
class CreateProbe1799999999999 implements MigrationInterface {
  name = 'CreateProbe1799999999999';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE probe_item (id serial PRIMARY KEY, label text NOT NULL)`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE probe_item`);
  }
}

function bootstrap(...args: string[]): string {
  const run = spawnSync(process.execPath, [BOOTSTRAP, `--services=${service}`, '--no-redis', ...args], {
    encoding: 'utf8',
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(`bootstrap exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** Options of a DataSource of the scratch database as `role` (dev password = role name). */
function optionsAs(role: string): DataSourceOptions {
  return {
    type: 'postgres',
    host: testPg.host,
    port: testPg.port,
    username: role,
    password: role,
    database: service,
    entities: [AuditLogEntity],
    migrations: [...AuditMigrations, CreateProbe1799999999999],
    migrationsTransactionMode: 'each',
    logging: false,
  };
}

const dataSourceAs = (role: string) => new DataSource(optionsAs(role));

async function asSuperuser<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...testPg, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The privileges `role` holds on `table`, as has_table_privilege reports them. */
const privileges = (role: string, table: string) =>
  asSuperuser(service, async (c) => {
    const kinds = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
    const { rows } = await c.query<{ kind: string }>(
      `SELECT kind FROM unnest($3::text[]) AS kind WHERE has_table_privilege($1, $2, kind)`,
      [role, table, kinds],
    );
    return rows.map((r) => r.kind);
  });

const refused = { code: '42501' }; // insufficient_privilege: "permission denied" or "must be owner"

describe('the runtime role and the audit log', () => {
  let runtime: DataSource;

  beforeAll(async () => {
    expect(bootstrap()).toContain(`role ${app} created`);
    // As a service's migrate.js runs them (MIGRATIONS_DATABASE_URL: the owner).
    const lines: string[] = [];
    const quiet = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
    expect(await runMigrationsCli(optionsAs(service), ['run'], quiet)).toBe(0);
    process.exitCode = 0;
    runtime = dataSourceAs(app);
    await runtime.initialize();
  });

  afterAll(async () => {
    if (runtime?.isInitialized) await runtime.destroy();
    bootstrap('--drop');
    // Their grants and default privileges went with the database; nothing else refers to them.
    await asSuperuser('postgres', (c) => c.query(`DROP ROLE IF EXISTS "${app}", "${service}"`));
  });

  const record = (n: number) =>
    runtime.transaction((m) =>
      recordAudit(m, {
        action: 'probe.recorded',
        entity: 'Probe',
        entityId: `p-${n}`,
        actor: 'user-1',
        after: { n },
      }),
    );

  it('lets the service append to the audit log and read it', async () => {
    const first = await record(1);
    const second = await record(2);
    expect(second.prevHash).toBe(first.hash);
    expect(await verifyAuditChain(runtime)).toEqual({ valid: true, checked: 2 });
  });

  it('gives the service INSERT and SELECT on audit_log, nothing more', async () => {
    await expect(privileges(app, 'audit_log')).resolves.toEqual(['SELECT', 'INSERT']);
  });

  it.each([
    ['UPDATE', `UPDATE audit_log SET actor = 'someone-else'`],
    ['DELETE', `DELETE FROM audit_log`],
    ['TRUNCATE', `TRUNCATE audit_log`],
    ['disabling the append-only trigger', `ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`],
    ['dropping the trigger', `DROP TRIGGER audit_log_append_only ON audit_log`],
    [
      'replacing the trigger function',
      `CREATE OR REPLACE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NULL; END $$`,
    ],
    ['DROP TABLE', `DROP TABLE audit_log`],
    ['creating a table', `CREATE TABLE public.audit_log_copy (id int)`],
  ])('refuses the service %s', async (_what, sql) => {
    await expect(runtime.query(sql)).rejects.toMatchObject(refused);
  });

  it('leaves the records as they were written', async () => {
    expect(await verifyAuditChain(runtime)).toEqual({ valid: true, checked: 2 });
  });

  it('lets the service read and write the rows of a table a later migration created', async () => {
    await runtime.query(`INSERT INTO probe_item (label) VALUES ('a'), ('b')`);
    await runtime.query(`UPDATE probe_item SET label = 'c' WHERE label = 'a'`);
    await runtime.query(`DELETE FROM probe_item WHERE label = 'b'`);
    await expect(runtime.query(`SELECT label FROM probe_item`)).resolves.toEqual([{ label: 'c' }]);
    await expect(runtime.query(`TRUNCATE probe_item`)).rejects.toMatchObject(refused);
  });

  it('lets the service read, not write, the list of applied migrations (migrate.js leaves it so)', async () => {
    await expect(privileges(app, 'migrations')).resolves.toEqual(['SELECT']);
    await expect(runtime.query(`DELETE FROM migrations`)).rejects.toMatchObject(refused);
    await expect(runtime.query(`INSERT INTO migrations (timestamp, name) VALUES (1, 'Skip1')`)).rejects.toMatchObject(refused);
  });

  it('keeps UPDATE and DELETE on audit_log away after bootstrap runs again over existing tables', async () => {
    expect(bootstrap()).toContain('(no changes)');
    await expect(privileges(app, 'audit_log')).resolves.toEqual(['SELECT', 'INSERT']);
    await expect(runtime.query(`DELETE FROM audit_log`)).rejects.toMatchObject(refused);
    await expect(privileges(app, 'probe_item')).resolves.toEqual(['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
    await record(3);
  });

  it('keeps the owner the owner: the migrations role still holds every privilege', async () => {
    await expect(privileges(service, 'audit_log')).resolves.toHaveLength(7);
  });
});
