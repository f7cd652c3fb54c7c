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
// For every service <s>, two LOGIN roles and a database <s>:
//   <s>      owns the database and every table in it; the service's migrations run as <s>
//            (MIGRATIONS_DATABASE_URL).
//   <s>_app  what the running service connects as (DATABASE_URL): it reads and writes rows,
//            nothing more. It owns nothing, so it cannot ALTER, DROP or TRUNCATE a table, nor
//            disable the trigger that keeps audit_log append-only; on audit_log it may only
//            INSERT and SELECT.
// Rule 1 of the architecture ("a service owns its data") is enforced by the database, not by
// convention: CONNECT on <s> is revoked from PUBLIC (and from the other services' roles) and
// granted only to <s> and <s>_app, so neither `hr` nor `hr_app` can even open a session on
// database `transfer`. pg_hba `trust` skips the password, not this privilege check. Inside each
// database nobody but the owner may create objects in schema public.
//
// The app role gets row privileges through default privileges of <s> (SELECT, INSERT, UPDATE,
// DELETE on tables, USAGE and SELECT on sequences, for every table a migration creates later);
// the audit library's migration then takes UPDATE and DELETE on audit_log back. For databases
// that already have tables (made before the app role existed), the same is granted here on every
// existing table, and taken back from audit_log and from TypeORM's `migrations` table (so the
// app role cannot mark a migration as applied or make one run again).
//
// DEV ONLY: each role's password is its own name (e.g. transfer/transfer, transfer_app/
// transfer_app), set when the role is created and never changed afterwards. Production roles
// and secrets come from elsewhere.
import pg from 'pg';
import { pathToFileURL } from 'node:url';
import { DEFAULT_REDIS_URL, describeRedis, pingRedis } from './redis.mjs';

export const SERVICES = ['transfer', 'hr', 'procurement', 'dignification', 'gateway'];

// 63 characters at most for the role <s>_app too (PostgreSQL's identifier limit).
const NAME = /^[a-z][a-z0-9_]{0,58}$/;
/** The role the running service connects as; see the header. */
const appRole = (service) => `${service}_app`;
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
  const others = services
    .filter((s) => s !== name)
    .flatMap((s) => [s, appRole(s)])
    .map((role) => ident(admin, role));
  await admin.query(`REVOKE ALL ON DATABASE ${ident(admin, name)} FROM PUBLIC`);
  if (others.length > 0)
    await admin.query(`REVOKE ALL ON DATABASE ${ident(admin, name)} FROM ${others.join(', ')}`);
  // TEMPORARY for the app role too: imports stage rows in temporary tables.
  await admin.query(
    `GRANT CONNECT, TEMPORARY ON DATABASE ${ident(admin, name)} TO ${ident(admin, name)}, ${ident(admin, appRole(name))}`,
  );
  return outcome;
}

/** Schema public of database <name>: objects created by the owner only, rows read and written by the app role. */
async function setUpSchema(settings, name) {
  const db = await connect(settings, name);
  const owner = ident(db, name);
  const app = ident(db, appRole(name));
  try {
    // One transaction: the app role never holds UPDATE on an existing audit_log, even briefly.
    await db.query('BEGIN');
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    await db.query(`GRANT USAGE, CREATE ON SCHEMA public TO ${owner}`);
    await db.query(`REVOKE CREATE ON SCHEMA public FROM ${app}`);
    await db.query(`GRANT USAGE ON SCHEMA public TO ${app}`);
    // Tables and sequences the owner's migrations create from now on.
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${app}`,
    );
    await db.query(
      `ALTER DEFAULT PRIVILEGES FOR ROLE ${owner} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${app}`,
    );
    // Tables created before the app role existed (a database made by an earlier bootstrap).
    await db.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${app}`);
    await db.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${app}`);
    const { rows } = await db.query(
      `SELECT to_regclass('public.audit_log') IS NOT NULL AS audit, to_regclass('public.migrations') IS NOT NULL AS migrations`,
    );
    if (rows[0].audit) {
      await db.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON public.audit_log FROM ${app}`);
    }
    if (rows[0].migrations) {
      await db.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.migrations FROM ${app}`);
    }
    await db.query('COMMIT');
  } catch (err) {
    await db.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await db.end();
  }
}

/** Fails if any service role (owner or app) may connect to a database other than its service's. */
async function verifyIsolation(admin, services) {
  const { rows } = await admin.query(
    `SELECT r.role, r.service, d AS database, has_database_privilege(r.role, d, 'CONNECT') AS can_connect
       FROM unnest($1::text[], $2::text[]) AS r(role, service), unnest($3::text[]) AS d`,
    [services.flatMap((s) => [s, appRole(s)]), services.flatMap((s) => [s, s]), services],
  );
  const wrong = rows.filter((row) => row.can_connect !== (row.service === row.database));
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
      for (const role of opts.services.flatMap((s) => [s, appRole(s)])) {
        const outcome = await ensureRole(admin, role);
        if (outcome !== 'existing') changes.push(`role ${role} ${outcome}`);
      }
      for (const name of opts.services) {
        const db = await ensureDatabase(admin, name, opts.services);
        if (db !== 'existing') changes.push(`database ${name} ${db}`);
      }
      for (const name of opts.services) await setUpSchema(settings, name);
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
