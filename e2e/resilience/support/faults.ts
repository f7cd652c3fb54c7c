import { execFile } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ChildProcess, spawn } from 'node:child_process';
import { freePort, RunningService, startService, testClient, waitFor } from '@imb/testing';
import { Stack } from '../../robustness/support/stack';

/**
 * The faults of the suite, each a SIGKILL followed by a restart: a Kafka broker, a Redis and a
 * PostgreSQL server of the suite's own (the machine's shared ones are never touched), and each
 * service process; plus PostgreSQL connections terminated under the services' feet.
 */
const run = promisify(execFile);
const KAFKA_SH = join(__dirname, '..', '..', '..', 'infra', 'kafka', 'kafka.sh');

/** A single-node Kafka broker on free ports with its own state folder, started and killed by infra/kafka/kafka.sh. */
export class OwnKafka {
  private readonly stateDir = mkdtempSync(join(tmpdir(), 'imb-resilience-kafka-'));
  private constructor(
    readonly port: number,
    private readonly controllerPort: number,
  ) {}

  static async start(): Promise<OwnKafka> {
    const kafka = new OwnKafka(await freePort(), await freePort());
    await kafka.ctl('start');
    return kafka;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async ctl(command: 'start' | 'kill' | 'stop'): Promise<void> {
    const env = {
      ...process.env,
      KAFKA_PORT: String(this.port),
      KAFKA_CONTROLLER_PORT: String(this.controllerPort),
      KAFKA_STATE_DIR: this.stateDir,
    };
    await run('bash', [KAFKA_SH, command], { env, timeout: 180000 });
  }

  async dispose(): Promise<void> {
    await this.ctl('stop').catch(() => undefined);
    rmSync(this.stateDir, { recursive: true, force: true });
  }
}

/** A Redis of the suite's own (nothing on disk, like the platform's), which can be SIGKILLed and restarted on its port. */
export class OwnRedis {
  private child?: ChildProcess;
  private constructor(readonly port: number) {}

  static available(): Promise<boolean> {
    return run('which', ['redis-server']).then(
      () => true,
      () => false,
    );
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.launch();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}/0`;
  }

  async launch(): Promise<void> {
    this.child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    await waitFor(
      async () => (await run('redis-cli', ['-p', String(this.port), 'ping'])).stdout.trim() === 'PONG',
      {
        timeoutMs: 20000,
        intervalMs: 100,
        what: `redis on ${this.port}`,
      },
    );
  }

  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await exited;
  }
}

/**
 * Directory of the PostgreSQL server programs (initdb, pg_ctl): PG_BIN, else Debian's layout
 * (/usr/lib/postgresql/<newest>/bin), else what `pg_config --bindir` says.
 */
async function postgresBin(): Promise<string | null> {
  if (process.env.PG_BIN) return process.env.PG_BIN;
  const root = '/usr/lib/postgresql';
  try {
    const versions = readdirSync(root).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
    if (versions.length) return join(root, versions[0], 'bin');
  } catch {
    // not Debian's layout
  }
  return run('pg_config', ['--bindir']).then(
    ({ stdout }) => stdout.trim() || null,
    () => null,
  );
}

/**
 * A PostgreSQL server of the suite's own (trust auth, superuser postgres, fsync on like any real
 * server) in a temporary data directory, on a free port. `kill` SIGKILLs the postmaster and every
 * backend at once, as a crash of the machine's database would; `start` then runs crash recovery
 * from the WAL, so what was committed must be there and what was not must not. The server runs as
 * the OS user postgres when the suite runs as root (PostgreSQL refuses to run as root).
 */
export class OwnPostgres {
  private killed: number[] = [];
  private constructor(
    readonly port: number,
    private readonly dataDir: string,
    private readonly bin: string,
  ) {}

  static async start(): Promise<OwnPostgres> {
    const bin = await postgresBin();
    if (!bin) throw new Error('no PostgreSQL server programs found (set PG_BIN to the folder holding initdb and pg_ctl)');
    const dataDir = mkdtempSync(join(tmpdir(), 'imb-resilience-pg-'));
    const pg = new OwnPostgres(await freePort(), dataDir, bin);
    try {
      if (process.getuid?.() === 0) {
        const { stdout } = await run('id', ['-u', 'postgres']);
        const { stdout: gid } = await run('id', ['-g', 'postgres']);
        chownSync(dataDir, Number(stdout.trim()), Number(gid.trim()));
      }
      await pg.as(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-instructions']);
      await pg.launch();
    } catch (err) {
      // Neither a half-started server nor its data folder outlives a failed start.
      await pg.dispose();
      throw err;
    }
    return pg;
  }

  /** Runs a server program, as the OS user postgres when this process is root. */
  private as(program: string, args: string[]) {
    return process.getuid?.() === 0
      ? run('runuser', ['-u', 'postgres', '--', program, ...args], { timeout: 180000 })
      : run(program, args, { timeout: 180000 });
  }

  /** Starts the server (after a kill, that is crash recovery) and waits until it accepts connections. */
  async launch(): Promise<void> {
    const options = `-p ${this.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories=${this.dataDir} -c max_connections=200`;
    const log = join(this.dataDir, 'server.log');
    try {
      await this.as(join(this.bin, 'pg_ctl'), ['start', '-w', '-t', '120', '-D', this.dataDir, '-l', log, '-o', options]);
    } catch (err) {
      let tail = '(no server log)';
      try {
        tail = readFileSync(log, 'utf8').split('\n').slice(-15).join('\n');
      } catch {
        // the server never got as far as its log
      }
      throw new Error(`PostgreSQL (own, port ${this.port}) did not start: ${(err as Error).message}\nserver.log:\n${tail}`);
    }
  }

  /**
   * SIGKILLs the postmaster and all its processes; returns how many were killed. The postmaster is
   * stopped first, so it forks no new backend between the listing of its children and the kill.
   */
  kill(): number {
    const postmaster = Number(readFileSync(join(this.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGSTOP');
    const children = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          // Field 4 of /proc/<pid>/stat is the parent pid (after the parenthesised command name).
          const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === postmaster;
        } catch {
          return false;
        }
      })
      .map(Number);
    this.killed = [postmaster, ...children];
    for (const pid of this.killed) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    return 1 + children.length;
  }

  /** Waits until every process `kill` killed is gone (a new postmaster cannot start before). */
  async gone(): Promise<void> {
    // Until reaped (PID 1 adopts them), a killed postmaster's pid still answers, and a new one
    // would take its postmaster.pid for a live server's.
    const alive = (pid: number) => {
      try {
        process.kill(pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    await waitFor(() => Promise.resolve(!this.killed.some(alive)), {
      timeoutMs: 30000,
      intervalMs: 50,
      what: 'the killed PostgreSQL processes to exit',
    });
  }

  async dispose(): Promise<void> {
    await this.as(join(this.bin, 'pg_ctl'), ['stop', '-m', 'immediate', '-D', this.dataDir]).catch(() => undefined);
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** Terminates every backend serving the given databases (the services' pools reconnect); returns how many. */
export async function terminateBackends(databases: string[]): Promise<number> {
  const admin = testClient('postgres');
  await admin.connect();
  try {
    const { rows } = await admin.query<{ n: number }>(
      `SELECT count(*) FILTER (WHERE pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = ANY($1) AND pid <> pg_backend_pid()`,
      [databases],
    );
    return rows[0].n;
  } finally {
    await admin.end();
  }
}

/** The stack's service processes as they are now (a restarted service is a new process on the same port). */
export class Processes {
  private readonly current = new Map<string, RunningService>();
  constructor(private readonly stack: Stack) {
    for (const s of stack.services) this.current.set(s.name, s.process);
  }

  /** The process of `name` running now (a restarted one after a kill). */
  running(name: string): RunningService {
    return this.current.get(name)!;
  }

  async killAndRestart(name: string, downMs: number): Promise<void> {
    const service = this.stack.services.find((s) => s.name === name)!;
    await this.current.get(name)!.stop('SIGKILL');
    await sleep(downMs);
    this.current.set(name, await startService(name, service.env));
  }

  /** Stops the processes this class restarted (the stack stops the ones it started). */
  async stopRestarted(): Promise<void> {
    const originals = new Set(this.stack.services.map((s) => s.process));
    await Promise.all([...this.current.values()].filter((p) => !originals.has(p)).map((p) => p.stop()));
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A small seeded PRNG (mulberry32), so a run's fault plan can be replayed from its printed seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Fault {
  component: string;
  kind: string;
  inject(): Promise<string>;
}

export interface InjectedFault {
  n: number;
  kind: string;
  component: string;
  atSeconds: number;
  note: string;
}

export interface FaultTargets {
  kafka: OwnKafka;
  postgres: OwnPostgres;
  redis: OwnRedis | null;
  processes: Processes;
  services: string[];
  databases: string[];
}

/** Every fault the suite knows, one per component. */
export function faultCatalogue(t: FaultTargets, random: () => number): Fault[] {
  const downMs = () => 300 + Math.floor(random() * 2500);
  const faults: Fault[] = [
    {
      component: 'kafka broker (own, port ' + t.kafka.port + ')',
      kind: 'SIGKILL + restart',
      inject: async () => {
        await t.kafka.ctl('kill');
        const down = downMs();
        await sleep(down);
        await t.kafka.ctl('start');
        return `down ${down} ms`;
      },
    },
    {
      component: `postgresql (own, port ${t.postgres.port})`,
      kind: 'SIGKILL + restart (crash recovery)',
      inject: async () => {
        const killed = t.postgres.kill();
        await t.postgres.gone();
        const down = downMs();
        await sleep(down);
        const recovering = Date.now();
        await t.postgres.launch();
        return `${killed} processes killed, down ${down} ms, recovered in ${Date.now() - recovering} ms`;
      },
    },
    {
      component: 'postgresql connections (stack databases)',
      kind: 'pg_terminate_backend',
      inject: async () => `${await terminateBackends(t.databases)} backends terminated`,
    },
    ...t.services.map((name) => ({
      component: `service ${name}`,
      kind: 'SIGKILL + restart',
      inject: async () => {
        const down = downMs();
        await t.processes.killAndRestart(name, down);
        return `down ${down} ms + start`;
      },
    })),
  ];
  const redis = t.redis;
  if (redis) {
    faults.push({
      component: `redis (own, port ${redis.port})`,
      kind: 'SIGKILL + restart (empty)',
      inject: async () => {
        await redis.kill();
        const down = downMs();
        await sleep(down);
        await redis.launch();
        return `down ${down} ms, restarted empty`;
      },
    });
  }
  return faults;
}

/**
 * `count` faults: the catalogue shuffled, repeated as needed, so every component is hit before any
 * is hit twice. Fewer faults than components (the short profile): every infrastructure fault and
 * services drawn at random for the rest.
 */
export function planFaults(catalogue: Fault[], count: number, random: () => number): Fault[] {
  if (count < catalogue.length) {
    const isService = (f: Fault) => f.component.startsWith('service ');
    const services = shuffle(catalogue.filter(isService), random);
    const chosen = [...catalogue.filter((f) => !isService(f)), ...services].slice(0, count);
    return shuffle(chosen, random);
  }
  const plan: Fault[] = [];
  while (plan.length < count) plan.push(...shuffle(catalogue, random));
  return plan.slice(0, count);
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Injects the plan one fault at a time, each after a random pause, while the workload runs. */
export async function injectFaults(
  plan: Fault[],
  random: () => number,
  pause: [number, number],
  startedAt: number,
): Promise<InjectedFault[]> {
  const done: InjectedFault[] = [];
  for (const [i, fault] of plan.entries()) {
    await sleep(pause[0] + Math.floor(random() * (pause[1] - pause[0])));
    const atSeconds = (Date.now() - startedAt) / 1000;
    const note = await fault.inject();
    done.push({ n: i + 1, kind: fault.kind, component: fault.component, atSeconds, note });
    console.log(
      `fault ${i + 1}/${plan.length} at ${atSeconds.toFixed(1)} s: ${fault.kind} ${fault.component} (${note})`,
    );
  }
  return done;
}
