import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { testPg } from '@imb/testing';
import { hrSchema } from '../schema';

/**
 * The eligibility job refreshes statistics through formalization_analyze() because the role the
 * service runs as does not own the tables. A scratch service made by infra/db/bootstrap.mjs: hr's
 * migrations as the owner <name>, the calls as the runtime role <name>_app.
 */
const BOOTSTRAP = join(__dirname, '../../../../infra/db/bootstrap.mjs');
const service = `af_${randomBytes(4).toString('hex')}`;
const app = `${service}_app`;

function bootstrap(...args: string[]): void {
  const run = spawnSync(process.execPath, [BOOTSTRAP, `--services=${service}`, '--no-redis', ...args], {
    encoding: 'utf8',
    timeout: 60000,
  });
  if (run.status !== 0) throw new Error(`bootstrap exited ${run.status}:\n${run.stdout}${run.stderr}`);
}

function clientAs(role: string): Client {
  return new Client({ host: testPg.host, port: testPg.port, user: role, password: role, database: service });
}

/** pg_class.reltuples of the two tables: -1 until the table is first analyzed (or vacuumed). */
async function reltuples(c: Client): Promise<Record<string, number>> {
  const { rows } = await c.query<{ relname: string; reltuples: number }>(
    `SELECT relname, reltuples FROM pg_class WHERE relname IN ('contract', 'formalization_candidate') AND relkind = 'r'`,
  );
  return Object.fromEntries(rows.map((r) => [r.relname, Number(r.reltuples)]));
}

describe('formalization_analyze() as the runtime role', () => {
  const runtime = clientAs(app);

  beforeAll(async () => {
    bootstrap();
    const owner = new DataSource({
      type: 'postgres',
      host: testPg.host,
      port: testPg.port,
      username: service,
      password: service,
      database: service,
      ...hrSchema,
      logging: false,
    });
    await owner.initialize();
    try {
      await owner.runMigrations({ transaction: 'each' });
    } finally {
      await owner.destroy();
    }
    await runtime.connect();
  });

  afterAll(async () => {
    await runtime.end();
    bootstrap('--drop');
    const admin = new Client({ ...testPg, database: 'postgres' });
    await admin.connect();
    try {
      await admin.query(`DROP ROLE IF EXISTS "${app}", "${service}"`);
    } finally {
      await admin.end();
    }
  });

  it('analyzes the tables a plain ANALYZE by that role skips', async () => {
    const never = { contract: -1, formalization_candidate: -1 };
    expect(await reltuples(runtime)).toEqual(never);
    await runtime.query(`ANALYZE contract, formalization_candidate`); // only warns: not the owner
    expect(await reltuples(runtime)).toEqual(never);

    await runtime.query(`SELECT formalization_analyze()`);
    expect(await reltuples(runtime)).toEqual({ contract: 0, formalization_candidate: 0 });
  });
});
