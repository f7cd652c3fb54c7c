#!/usr/bin/env node
// Creates what the services need in PostgreSQL, idempotently, and checks that Redis answers.
//
//   node infra/db/bootstrap.mjs            create missing roles/databases, tighten privileges
//   node infra/db/bootstrap.mjs --drop     drop the service databases (WITH (FORCE)); roles stay
//
// Options: --services=a,b (default: the five services), --no-redis (skip the Redis check).
// Connects as a superuser: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD,
// PGDATABASE (postgres). Redis: REDIS_URL (redis://127.0.0.1:6379).
//
// For every service <s>: a LOGIN role <s> and a database <s> owned by it. Rule 1 of the
// architecture ("a service owns its data") is enforced by the database, not by convention:
// CONNECT on <s> is revoked from PUBLIC (and from the other service roles) and granted only
// to <s>, so the role `hr` cannot even open a session on database `transfer`. pg_hba `trust`
// skips the password, not this privilege check. Inside each database nobody but the owner may
// create objects in schema public.
//
// DEV ONLY: each role's password is its own name (e.g. transfer/transfer), set when the role
// is created and never changed afterwards. Production roles and secrets come from elsewhere.
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { DEFAULT_REDIS_URL, describeRedis, pingRedis } from './redis.mjs';

export const SERVICES = ['transfer', 'hr', 'procurement', 'dignification', 'gateway'];

const NAME = /^[a-z][a-z0-9_]{0,62}$/;
// Serialises concurrent bootstraps (two terminals, a test and a script): CREATE ROLE and
// CREATE DATABASE are not "IF NOT EXISTS" statements.
const LOCK_KEY = 0x696d6230; // "imb0"

class UsageError extends Error {}

function parseArgs(argv) {
  const opts = { drop: false, redis: true, services: SERVICES };
  for (const arg of argv) {
    if (arg === '--drop') opts.drop = true;
    else if (arg === '--no-redis') opts.redis = false;
    else if (arg.startsWith('--services=')) {
      opts.services = arg.slice('--services='.length).split(',').filter(Boolean);
      const bad = opts.services.filter((s) => !NAME.test(s));
      if (opts.services.length === 0 || bad.length > 0) {
        throw new UsageError(
          `--services takes lower-case names (a-z, 0-9, _), got: ${bad.join(', ') || '(none)'}`,
        );
      }
    } else if (arg === '-h' || arg === '--help') opts.help = true;
    else throw new UsageError(`unknown argument ${arg}`);
  }
  return opts;
}

function pgSettings() {
  return {
    host: process.env.PGHOST || '127.0.0.1',
    port: Number(process.env.PGPORT || 5432),
    user: process.env.PGUSER || 'postgres',
    password: process.env.PGPASSWORD || undefined,
  };
}

async function connect(settings, database) {
  const client = new pg.Client({ ...settings, database, connectionTimeoutMillis: 5000 });
  try {
    await client.connect();
  } catch (err) {
    const where = `${settings.host}:${settings.port} as ${settings.user}, database ${database}`;
    const hint =
      err.code === 'ECONNREFUSED' || err.code === 'ETIMEDOUT'
        ? ' — is PostgreSQL running? (`npm run up` starts it; by hand: pg_ctlcluster <version> main start)'
        : '';
    throw new Error(`cannot connect to PostgreSQL at ${where}: ${err.message}${hint}`);
  }
  return client;
}

const ident = (client, name) => client.escapeIdentifier(name);

async function ensureRole(admin, name) {
  const { rows } = await admin.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [name]);
  if (rows.length === 0) {
    await admin.query(
      `CREATE ROLE ${ident(admin, name)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${admin.escapeLiteral(name)}`,
    );
    return 'created';
  }
  if (!rows[0].rolcanlogin) {
    await admin.query(`ALTER ROLE ${ident(admin, name)} LOGIN`);
    return 'login enabled';
  }
  return 'existing';
}

async function ensureDatabase(admin, name, services) {
  const { rows } = await admin.query(
    'SELECT pg_get_userbyid(datdba) AS owner FROM pg_database WHERE datname = $1',
    [name],
  );
  let outcome = 'existing';
  if (rows.length === 0) {
    // template0: never blocked by someone connected to template1, and no local additions.
    await admin.query(
      `CREATE DATABASE ${ident(admin, name)} OWNER ${ident(admin, name)} TEMPLATE template0 ENCODING 'UTF8'`,
    );
    outcome = 'created';
  } else if (rows[0].owner !== name) {
    await admin.query(`ALTER DATABASE ${ident(admin, name)} OWNER TO ${ident(admin, name)}`);
    outcome = `owner changed from ${rows[0].owner}`;
  }
  const others = services.filter((s) => s !== name).map((s) => ident(admin, s));
  await admin.query(`REVOKE ALL ON DATABASE ${ident(admin, name)} FROM PUBLIC`);
  if (others.length > 0)
    await admin.query(`REVOKE ALL ON DATABASE ${ident(admin, name)} FROM ${others.join(', ')}`);
  await admin.query(`GRANT CONNECT, TEMPORARY ON DATABASE ${ident(admin, name)} TO ${ident(admin, name)}`);
  return outcome;
}

async function lockDownSchema(settings, name) {
  const db = await connect(settings, name);
  try {
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${ident(db, name)}`);
  } finally {
    await db.end();
  }
}

/** Fails if any service role may connect to another service's database. */
async function verifyIsolation(admin, services) {
  const { rows } = await admin.query(
    `SELECT r AS role, d AS database, has_database_privilege(r, d, 'CONNECT') AS can_connect
       FROM unnest($1::text[]) AS r, unnest($1::text[]) AS d`,
    [services],
  );
  const wrong = rows.filter((row) => row.can_connect !== (row.role === row.database));
  if (wrong.length > 0) {
    const list = wrong.map((w) => `${w.role}→${w.database}: ${w.can_connect ? 'can' : 'cannot'} connect`);
    throw new Error(`database isolation check failed (${list.join('; ')})`);
  }
}

export async function bootstrap(opts) {
  const settings = pgSettings();
  const admin = await connect(settings, process.env.PGDATABASE || 'postgres');
  const summary = [];
  try {
    const { rows } = await admin.query('SELECT rolsuper FROM pg_roles WHERE rolname = current_user');
    if (!rows[0]?.rolsuper) {
      throw new Error(
        `PostgreSQL user ${settings.user} is not a superuser; set PGUSER to one (e.g. postgres)`,
      );
    }
    await admin.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);

    if (opts.drop) {
      const dropped = [];
      for (const name of opts.services) {
        const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
        if (exists.rowCount === 0) continue;
        await admin.query(`DROP DATABASE ${ident(admin, name)} WITH (FORCE)`);
        dropped.push(name);
      }
      summary.push(
        `postgres ${settings.host}:${settings.port}: dropped ${dropped.join(', ') || 'nothing (no service databases)'}`,
      );
    } else {
      const changes = [];
      // Every role first: each database's REVOKE names the other services' roles.
      for (const name of opts.services) {
        const role = await ensureRole(admin, name);
        if (role !== 'existing') changes.push(`role ${name} ${role}`);
      }
      for (const name of opts.services) {
        const db = await ensureDatabase(admin, name, opts.services);
        if (db !== 'existing') changes.push(`database ${name} ${db}`);
      }
      for (const name of opts.services) await lockDownSchema(settings, name);
      await verifyIsolation(admin, opts.services);
      summary.push(
        `postgres ${settings.host}:${settings.port}: ${opts.services.join(', ')} ready, isolated` +
          (changes.length > 0 ? ` (${changes.join(', ')})` : ' (no changes)'),
      );
    }
  } finally {
    await admin.end();
  }

  if (opts.redis) {
    const url = process.env.REDIS_URL || DEFAULT_REDIS_URL;
    try {
      summary.push(`redis ${describeRedis(url)}: ${await pingRedis(url)}`);
    } catch (err) {
      throw new Error(
        `${err.message} — is Redis running? (\`npm run up\` starts it; by hand: redis-server --daemonize yes --port 6379)`,
      );
    }
  }
  return summary.join(' · ');
}

async function main() {
  let opts;
  try {
    opts = parseArgs(process.argv.slice(2));
  } catch (err) {
    console.error(`bootstrap: ${err.message}`);
    process.exitCode = 2;
    return;
  }
  if (opts.help) {
    console.log('usage: node infra/db/bootstrap.mjs [--drop] [--services=a,b,...] [--no-redis]');
    return;
  }
  try {
    console.log(`bootstrap: ${await bootstrap(opts)}`);
  } catch (err) {
    console.error(`bootstrap: error: ${err.message}`);
    process.exitCode = 1;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await main();
