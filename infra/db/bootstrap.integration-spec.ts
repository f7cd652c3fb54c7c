import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * infra/db/bootstrap.mjs against the real PostgreSQL (superuser, trust auth): the database, not
 * a convention, keeps each service out of the others' data (architecture rule 1). What the
 * runtime role <s>_app may do inside its database: runtime-role.integration-spec.ts.
 */
const SERVICES = ['transfer', 'hr', 'procurement', 'dignification', 'gateway'];
/** Both roles of every service: the owner <s> and the runtime role <s>_app. */
const ROLES = SERVICES.flatMap((s) => [s, `${s}_app`]);
const serviceOf = (role: string) => role.replace(/_app$/, '');
const BOOTSTRAP = join(__dirname, 'bootstrap.mjs');
const DOCKER_INIT = join(__dirname, 'docker-init.sql');
const pgHost = process.env.PGHOST ?? '127.0.0.1';
const pgPort = Number(process.env.PGPORT ?? 5432);
const superuser = {
  host: pgHost,
  port: pgPort,
  user: process.env.PGUSER ?? 'postgres',
  password: process.env.PGPASSWORD,
};

function bootstrap(...args: string[]): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [BOOTSTRAP, ...args], { encoding: 'utf8', timeout: 60000 });
}

function expectOk(run: SpawnSyncReturns<string>): string {
  if (run.status !== 0) throw new Error(`bootstrap exited ${run.status}:\n${run.stdout}${run.stderr}`);
  return run.stdout;
}

/** Opens a session as `user` (dev password = role name) and says who and where it is. */
async function sessionAs(user: string, database: string): Promise<{ user: string; database: string }> {
  const client = new Client({
    host: pgHost,
    port: pgPort,
    user,
    password: user,
    database,
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ user: string; database: string }>(
      'SELECT current_user AS user, current_database() AS database',
    );
    return rows[0];
  } finally {
    await client.end();
  }
}

async function asSuperuser<T>(database: string, work: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ ...superuser, database });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Whether PUBLIC (grantee 0) holds CREATE on schema public of `database`. */
const publicMayCreate = (database: string) =>
  asSuperuser(database, async (c) => {
    const { rows } = await c.query(
      `SELECT count(*)::int AS n FROM pg_namespace n, aclexplode(n.nspacl) a
        WHERE n.nspname = 'public' AND a.grantee = 0 AND a.privilege_type = 'CREATE'`,
    );
    return rows[0].n > 0;
  });

describe('bootstrap of the five service databases', () => {
  beforeAll(() => {
    expectOk(bootstrap());
  });

  it('is idempotent: a second run succeeds and changes nothing', () => {
    const out = expectOk(bootstrap());
    expect(out).toContain('transfer, hr, procurement, dignification, gateway ready, isolated (no changes)');
    expect(out).toMatch(/redis [^ ]+: PONG/);
    expect(out.trim().split('\n')).toHaveLength(1);
  });

  it('gives each service a database owned by its own role', async () => {
    const owners = await asSuperuser('postgres', async (c) => {
      const { rows } = await c.query<{ datname: string; owner: string }>(
        'SELECT datname, pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = ANY($1)',
        [SERVICES],
      );
      return Object.fromEntries(rows.map((r) => [r.datname, r.owner]));
    });
    expect(owners).toEqual(Object.fromEntries(SERVICES.map((s) => [s, s])));
  });

  it('lets role transfer into database transfer', async () => {
    await expect(sessionAs('transfer', 'transfer')).resolves.toEqual({
      user: 'transfer',
      database: 'transfer',
    });
  });

  it('refuses role hr a session on database transfer', async () => {
    await expect(sessionAs('hr', 'transfer')).rejects.toMatchObject({
      code: '42501',
      message: expect.stringContaining('permission denied for database "transfer"'),
    });
  });

  it.each(SERVICES)('lets only roles %s and its _app into its database', async (db) => {
    await expect(sessionAs(db, db)).resolves.toEqual({ user: db, database: db });
    await expect(sessionAs(`${db}_app`, db)).resolves.toEqual({ user: `${db}_app`, database: db });
    for (const role of ROLES.filter((r) => serviceOf(r) !== db)) {
      await expect(sessionAs(role, db)).rejects.toMatchObject({ code: '42501' });
    }
  });

  it('lets the owner create tables in schema public, and neither the runtime role nor PUBLIC', async () => {
    const client = new Client({
      host: pgHost,
      port: pgPort,
      user: 'procurement',
      password: 'procurement',
      database: 'procurement',
    });
    await client.connect();
    const table = `bootstrap_probe_${randomBytes(4).toString('hex')}`;
    try {
      await client.query(`CREATE TABLE public.${table} (id int)`);
      await client.query(`DROP TABLE public.${table}`);
    } finally {
      await client.end();
    }
    for (const db of SERVICES) await expect(publicMayCreate(db)).resolves.toBe(false);
    const runtime = new Client({
      host: pgHost,
      port: pgPort,
      user: 'procurement_app',
      password: 'procurement_app',
      database: 'procurement',
    });
    await runtime.connect();
    try {
      await expect(runtime.query(`CREATE TABLE public.${table} (id int)`)).rejects.toMatchObject({
        code: '42501',
      });
    } finally {
      await runtime.end();
    }
  });
});

describe('bootstrap --services and --drop (scratch names)', () => {
  const tag = randomBytes(3).toString('hex');
  const names = [`bs_${tag}_a`, `bs_${tag}_b`];
  const services = `--services=${names.join(',')}`;

  const existing = () =>
    asSuperuser('postgres', async (c) => {
      const { rows } = await c.query<{ datname: string }>(
        'SELECT datname FROM pg_database WHERE datname = ANY($1)',
        [names],
      );
      return rows.map((r) => r.datname).sort();
    });

  afterAll(async () => {
    await asSuperuser('postgres', async (c) => {
      for (const n of names) await c.query(`DROP DATABASE IF EXISTS "${n}" WITH (FORCE)`);
      for (const n of names) await c.query(`DROP ROLE IF EXISTS "${n}", "${n}_app"`);
    });
  });

  it('creates, isolates and reports what it did', async () => {
    const out = expectOk(bootstrap(services, '--no-redis'));
    expect(out).toContain(`role ${names[0]} created`);
    expect(out).toContain(`role ${names[0]}_app created`);
    expect(out).toContain(`database ${names[1]} created`);
    expect(out).not.toContain('redis');
    await expect(sessionAs(names[0], names[0])).resolves.toEqual({ user: names[0], database: names[0] });
    await expect(sessionAs(names[1], names[0])).rejects.toMatchObject({ code: '42501' });
    await expect(sessionAs(`${names[1]}_app`, names[0])).rejects.toMatchObject({ code: '42501' });
  });

  it('re-grants what someone loosened by hand', async () => {
    await asSuperuser('postgres', (c) =>
      c.query(`GRANT CONNECT ON DATABASE "${names[0]}" TO PUBLIC, "${names[1]}"`),
    );
    await expect(sessionAs(names[1], names[0])).resolves.toBeDefined();
    expectOk(bootstrap(services, '--no-redis'));
    await expect(sessionAs(names[1], names[0])).rejects.toMatchObject({ code: '42501' });
  });

  it('--drop removes the databases even with sessions open, keeps the roles, and is repeatable', async () => {
    const open = new Client({
      host: pgHost,
      port: pgPort,
      user: names[0],
      password: names[0],
      database: names[0],
    });
    open.on('error', () => undefined); // terminated by DROP ... WITH (FORCE)
    await open.connect();
    try {
      expect(expectOk(bootstrap(services, '--drop', '--no-redis'))).toContain(`dropped ${names.join(', ')}`);
      await expect(existing()).resolves.toEqual([]);
      expect(expectOk(bootstrap(services, '--drop', '--no-redis'))).toContain('dropped nothing');
      const roles = await asSuperuser('postgres', async (c) => {
        const { rows } = await c.query('SELECT rolname FROM pg_roles WHERE rolname = ANY($1)', [
          names.flatMap((n) => [n, `${n}_app`]),
        ]);
        return rows.length;
      });
      expect(roles).toBe(4);
    } finally {
      await open.end().catch(() => undefined);
    }
  });

  it('rejects bad arguments with exit status 2', () => {
    expect(bootstrap('--services=Robert;DROP').status).toBe(2);
    expect(bootstrap('--frobnicate').status).toBe(2);
  });
});

describe('docker-init.sql (the same setup for the postgres container)', () => {
  const psql = spawnSync('psql', ['--version'], { encoding: 'utf8' });
  const maybe = psql.status === 0 && existsSync(DOCKER_INIT) ? it : it.skip;

  maybe('runs cleanly on an already bootstrapped server and leaves the same isolation', async () => {
    const run = spawnSync(
      'psql',
      [
        '-X',
        '-q',
        '-v',
        'ON_ERROR_STOP=1',
        '-h',
        pgHost,
        '-p',
        String(pgPort),
        '-U',
        superuser.user,
        '-d',
        'postgres',
        '-f',
        DOCKER_INIT,
      ],
      { encoding: 'utf8', env: { ...process.env, PGPASSWORD: superuser.password ?? '' }, timeout: 60000 },
    );
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    const matrix = await asSuperuser('postgres', async (c) => {
      const { rows } = await c.query<{ ok: boolean }>(
        `SELECT has_database_privilege(r, d, 'CONNECT') = (regexp_replace(r, '_app$', '') = d) AS ok
           FROM unnest($1::text[]) AS r, unnest($2::text[]) AS d`,
        [ROLES, SERVICES],
      );
      return rows.every((r) => r.ok);
    });
    expect(matrix).toBe(true);
    await expect(sessionAs('hr', 'transfer')).rejects.toMatchObject({ code: '42501' });
    await expect(sessionAs('hr_app', 'transfer')).rejects.toMatchObject({ code: '42501' });
  });
});
