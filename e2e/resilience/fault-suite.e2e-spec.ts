import { testClient, waitFor } from '@imb/testing';
import { Stack, startStack, token } from '../robustness/support/stack';
import {
  faultCatalogue,
  InjectedFault,
  injectFaults,
  OwnKafka,
  OwnPostgres,
  OwnRedis,
  planFaults,
  Processes,
  seededRandom,
} from './support/faults';
import { InvariantResult, Invariants } from './support/invariants';
import { PROFILES, Workload } from './support/workload';

/**
 * The fault suite: the whole stack (five services) on a Kafka broker, a Redis and a PostgreSQL
 * server of its own runs a scripted workload while the broker, Redis, PostgreSQL, each service
 * and the PostgreSQL connections are killed and restarted one at a time at seeded random moments; once the platform is quiet again
 * the invariants are checked and the fault table printed. RESILIENCE_PROFILE=short (default,
 * part of `npm test`) or full (`npm run test:resilience`); RESILIENCE_SEED replays a run.
 */
const PROFILE_NAME = process.env.RESILIENCE_PROFILE === 'full' ? 'full' : 'short';
const PROFILE = PROFILES[PROFILE_NAME];
const SEED = Number(process.env.RESILIENCE_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe(`fault suite (${PROFILE_NAME} profile): nothing lost, nothing applied twice`, () => {
  let kafka: OwnKafka;
  let postgres: OwnPostgres;
  let redis: OwnRedis | null = null;
  const sharedPg = { PGHOST: process.env.PGHOST, PGPORT: process.env.PGPORT, PGUSER: process.env.PGUSER, PGPASSWORD: process.env.PGPASSWORD };
  let stack: Stack;
  let processes: Processes;

  beforeAll(async () => {
    console.log(`fault suite: profile ${PROFILE_NAME}, seed ${SEED} (replay with RESILIENCE_SEED=${SEED})`);
    kafka = await OwnKafka.start();
    // Everything below (the stack's databases, the services, the checks) uses the suite's own
    // server through PGHOST/PGPORT, which testPg reads when used.
    postgres = await OwnPostgres.start();
    process.env.PGHOST = '127.0.0.1';
    process.env.PGPORT = String(postgres.port);
    process.env.PGUSER = 'postgres';
    delete process.env.PGPASSWORD;
    if (await OwnRedis.available()) redis = await OwnRedis.start();
    stack = await startStack('resilience', undefined, {
      KAFKA_BROKERS: kafka.brokers,
      ...(redis ? { REDIS_URL: redis.url } : {}),
    });
    processes = new Processes(stack);
  }, 600000);

  afterAll(async () => {
    // Each step runs even if one before it failed (a server left down must not leave the others running).
    const steps = [
      () => processes?.stopRestarted(),
      () => stack?.stop(),
      () => redis?.kill(),
      () => kafka?.dispose(),
      () => postgres?.dispose(),
    ];
    const failures: unknown[] = [];
    for (const step of steps) await Promise.resolve(step()).catch((err: unknown) => failures.push(err));
    for (const [name, value] of Object.entries(sharedPg)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (failures.length) throw failures[0];
  }, 120000);

  it(`keeps every invariant across ${PROFILE.faults} injected faults`, async () => {
    const random = seededRandom(SEED);
    const url = (name: string) => stack.services.find((s) => s.name === name)!.url;
    const federal = await token(['federal-coordinator'], [], 'fede');
    const workload = new Workload(
      {
        gateway: url('gateway'),
        transfer: url('transfer'),
        hr: url('hr'),
        procurement: url('procurement'),
        dignification: url('dignification'),
        tokens: { federal, procurement: await token(['procurement-officer'], [], 'olga') },
      },
      PROFILE,
    );
    const hrDb = stack.services.find((s) => s.name === 'hr')!.database;
    workload.hrKnowsUnits = async (clues) => {
      const db = testClient(hrDb);
      try {
        await db.connect();
        const { rows } = await db.query(`SELECT count(*)::int AS n FROM hr_unit WHERE clues = ANY($1)`, [
          clues,
        ]);
        return rows[0].n === clues.length;
      } catch {
        return false; // its connection may have just been terminated by a fault
      } finally {
        await db.end().catch(() => undefined);
      }
    };

    const services = stack.services.map((s) => s.name);
    const catalogue = faultCatalogue(
      { kafka, postgres, redis, processes, services, databases: stack.services.map((s) => s.database) },
      random,
    );
    const plan = planFaults(catalogue, PROFILE.faults, random);
    const startedAt = Date.now();
    const injecting = injectFaults(plan, random, PROFILE.pause, startedAt);
    // A workload that stalls (a consumer that never caught up) fails with what each service logged last.
    const working = workload.run(injecting).catch((err: unknown) => {
      const tails = services.map(
        (name) => `last 15 lines ${name} logged:\n${processes.running(name).logs.slice(-15).join('\n')}`,
      );
      throw new Error(`${err instanceof Error ? err.message : String(err)}\n${tails.join('\n')}`);
    });
    const [faults] = await Promise.all([injecting, working]);
    const workloadSeconds = (Date.now() - startedAt) / 1000;

    const invariants = new Invariants(stack, workload, await token(['auditor'], [], 'aud'), federal);
    await waitFor(() => invariants.quiet(), {
      timeoutMs: PROFILE_NAME === 'full' ? 900000 : 120000,
      intervalMs: 1000,
      what: 'the platform to be quiet (outboxes relayed, jobs done, inboxes caught up)',
    }).catch((err) => console.log(`not quiet: ${err.message}`));
    const results = await invariants.all();
    const [first, ...others] = workload.rounds;
    const rounds =
      `${workload.rounds.length} states; state ${first.stateCode}: ${first.units} units, ${first.roster.rows} roster rows` +
      (others.length
        ? `; the others ${PROFILE.nextUnits} units, ${PROFILE.nextRosterRows} roster rows each`
        : '');
    console.log(faultTable(faults, results, redis !== null, workloadSeconds, rounds));
    expect(faults.length).toBeGreaterThanOrEqual(PROFILE.faults);
    expect(results.flatMap((r) => r.violations)).toEqual([]);
  }, 3600000);
});

function faultTable(
  faults: InjectedFault[],
  results: InvariantResult[],
  redisFaults: boolean,
  seconds: number,
  rounds: string,
): string {
  const lines = [
    `seed ${SEED}, profile ${PROFILE_NAME}: ${rounds}; workload and faults took ${seconds.toFixed(0)} s`,
    '',
    '| # | fault | when (s) | component | note |',
    '| --- | --- | --- | --- | --- |',
    ...faults.map((f) => `| ${f.n} | ${f.kind} | ${f.atSeconds.toFixed(1)} | ${f.component} | ${f.note} |`),
    ...(redisFaults ? [] : ['| – | Redis faults skipped: no redis-server on this machine | | | |']),
    '',
    '| invariant | cases checked | violations |',
    '| --- | --- | --- |',
    ...results.map((r) => `| ${r.invariant} | ${r.checked} | ${r.violations.length} |`),
    '',
    `faults injected: ${faults.length}; violations: ${results.reduce((a, r) => a + r.violations.length, 0)}`,
    ...results.flatMap((r) => r.violations.map((v) => `  violation (${r.invariant}): ${v}`)),
  ];
  return lines.join('\n');
}
