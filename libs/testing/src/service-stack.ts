import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { uniqueName } from './kafka';
import { createDatabase, dropDatabase, testClient, testPg } from './postgres';
import { RunningService, startService } from './services';
import { waitFor } from './wait';

/**
 * Built services of one test, started as real processes that see each other's events: one Kafka
 * namespace and one Redis database for all, a database and a storage directory for each.
 * `stop` stops them and removes what they used.
 */
export class ServiceStack {
  readonly namespace: string;
  private readonly services: RunningService[] = [];
  private readonly running: Record<string, RunningService> = {};
  private readonly envs: Record<string, Record<string, string>> = {};
  private readonly databases: Record<string, string> = {};
  private readonly clients: Client[] = [];
  private readonly storage: string;
  private readonly redisUrl = `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;

  constructor(prefix: string) {
    this.namespace = uniqueName(prefix);
    this.storage = join(tmpdir(), this.namespace);
  }

  async start(name: string, env: Record<string, string> = {}): Promise<RunningService> {
    const database = await createDatabase(`e2e_${name}`);
    this.databases[name] = database;
    this.envs[name] = {
      DATABASE_URL: `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`,
      KAFKA_NAMESPACE: this.namespace,
      REDIS_URL: this.redisUrl,
      STORAGE_DIR: this.storageDir(name),
      ...env,
    };
    return this.run(name, this.envs[name]);
  }

  /**
   * Starts the service again on the same database, storage and Redis, with `env` over what it was
   * started with; stops the running process first (nothing to do if it was killed).
   */
  async restart(name: string, env: Record<string, string> = {}): Promise<RunningService> {
    await this.running[name]?.stop();
    return this.run(name, { ...this.envs[name], ...env });
  }

  /** The name of the service's database. */
  database(name: string): string {
    return this.databases[name];
  }

  /** The service's STORAGE_DIR (created by the service, not by the stack). */
  storageDir(name: string): string {
    return join(this.storage, name);
  }

  /** A client connected to the service's database, ended by `stop`. */
  async connect(name: string): Promise<Client> {
    const client = testClient(this.databases[name]);
    this.clients.push(client);
    await client.connect();
    return client;
  }

  /** Runs one query on the service's database. */
  async query<T = Record<string, unknown>>(name: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = testClient(this.databases[name]);
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  /** Stops every process, then drops the databases and the storage; each step runs even if one fails. */
  async stop(): Promise<void> {
    const settle = async (steps: Promise<unknown>[]) =>
      (await Promise.allSettled(steps)).flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    await Promise.all(this.clients.map((c) => c.end().catch(() => undefined)));
    const failures = [
      ...(await settle(this.services.map((s) => s.stop()))),
      ...(await settle(Object.values(this.databases).map((d) => dropDatabase(d)))),
      ...(await settle([rm(this.storage, { recursive: true, force: true })])),
    ];
    if (failures.length) throw failures[0];
  }

  private async run(name: string, env: Record<string, string>): Promise<RunningService> {
    const service = await startService(name, env);
    this.services.push(service);
    this.running[name] = service;
    return service;
  }
}

/** A job as GET /api/jobs/{jobId} shows it. */
export interface JobView {
  status: string;
  result?: unknown;
  [field: string]: unknown;
}

/**
 * Waits until the service's job `jobId` has ended (completed or failed) and returns it; `J` is
 * the shape the caller reads of it.
 */
export function waitForJob<J extends JobView = JobView>(
  service: RunningService,
  jobId: string,
  bearer: string,
  timeoutMs = 60000,
): Promise<J> {
  return waitFor(
    async () => {
      const res = await fetch(`${service.url}/api/jobs/${jobId}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      const job = (await res.json()) as JobView;
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `${service.name} job ${jobId}` },
  ) as Promise<J>; // waitFor returns only a truthy value
}
