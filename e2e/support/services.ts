import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  createDatabase,
  dropDatabase,
  RunningService,
  startService,
  testPg,
  uniqueName,
  waitFor,
} from '@imb/testing';

/**
 * Built services of one test, started as real processes that see each other's events: one Kafka
 * namespace and one Redis database for all, a database and a storage directory for each.
 * `stop` stops them and removes what they used.
 */
export class ServiceStack {
  readonly namespace: string;
  private readonly services: RunningService[] = [];
  private readonly databases: Record<string, string> = {};
  private readonly storage: string;
  private readonly redisUrl = `redis://127.0.0.1:6379/${1 + Math.floor(Math.random() * 15)}`;

  constructor(prefix: string) {
    this.namespace = uniqueName(prefix);
    this.storage = join(tmpdir(), this.namespace);
  }

  async start(name: string, env: Record<string, string> = {}): Promise<RunningService> {
    const database = await createDatabase(`e2e_${name}`);
    this.databases[name] = database;
    const service = await startService(name, {
      DATABASE_URL: `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`,
      KAFKA_NAMESPACE: this.namespace,
      REDIS_URL: this.redisUrl,
      STORAGE_DIR: join(this.storage, name),
      ...env,
    });
    this.services.push(service);
    return service;
  }

  /** Runs one query on the service's database. */
  async query<T = Record<string, unknown>>(name: string, sql: string, params: unknown[] = []): Promise<T[]> {
    const client = new Client({ ...testPg, database: this.databases[name] });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows as T[];
    } finally {
      await client.end();
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.services.map((s) => s.stop()));
    await Promise.all(Object.values(this.databases).map((d) => dropDatabase(d)));
    await rm(this.storage, { recursive: true, force: true });
  }
}

/** A job as GET /api/jobs/{jobId} shows it. */
export interface JobView {
  status: string;
  result?: unknown;
  [field: string]: unknown;
}

/** Waits until the service's job `jobId` has ended (completed or failed) and returns it. */
export function waitForJob(
  service: RunningService,
  jobId: string,
  bearer: string,
  timeoutMs = 60000,
): Promise<JobView> {
  return waitFor(
    async () => {
      const res = await fetch(`${service.url}/api/jobs/${jobId}`, {
        headers: { authorization: `Bearer ${bearer}` },
      });
      const job = (await res.json()) as JobView;
      return job.status === 'completed' || job.status === 'failed' ? job : undefined;
    },
    { timeoutMs, intervalMs: 200, what: `${service.name} job ${jobId}` },
  ) as Promise<JobView>; // waitFor returns only a truthy value
}
