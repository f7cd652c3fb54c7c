import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';
import { createDatabase, dropDatabase, RunningService, startService, testPg, uniqueName } from '@imb/testing';
import { OpenApiDocument, Route, routesOf } from './openapi';

const SERVICES_DIR = join(__dirname, '..', '..', '..', 'services');
/** The service that fronts the others; started last, pointed at them. */
const GATEWAY = 'gateway';

/** Every service that has been built (services/<name>/dist/main.js): new services join the checks by themselves. */
export function builtServices(): string[] {
  return readdirSync(SERVICES_DIR)
    .filter((name) => existsSync(join(SERVICES_DIR, name, 'dist', 'main.js')))
    .sort();
}

/** One service process of the stack, with its own database and its OpenAPI document. */
export interface StackService {
  name: string;
  url: string;
  database: string;
  process: RunningService;
  /** The environment it was started with (plus PORT), to restart it in place. */
  env: Record<string, string>;
  openApi: OpenApiDocument;
  routes: Route[];
}

/** Every built service started as a real process on its own database, sharing one Kafka namespace. */
export interface Stack {
  namespace: string;
  services: StackService[];
  routes: Route[];
  stop(): Promise<void>;
}

/**
 * Starts every built service (or those named) the way the other e2e tests do: a fresh database
 * each, a unique KAFKA_NAMESPACE, a random Redis db index, a temporary storage folder; then reads
 * each service's OpenAPI document from /api/docs-json.
 */
export async function startStack(label: string, only?: string[], extraEnv: Record<string, string> = {}): Promise<Stack> {
  const namespace = uniqueName(`e2e-${label}`);
  const storage = mkdtempSync(join(tmpdir(), `imb-${label}-`));
  const redisDb = 1 + Math.floor(Math.random() * 15);
  const names = (only ?? builtServices()).filter((name) => builtServices().includes(name));
  const started: StackService[] = [];
  const databases: string[] = [];
  const processes: RunningService[] = [];
  const stop = async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await Promise.all(databases.map((d) => dropDatabase(d)));
    rmSync(storage, { recursive: true, force: true });
  };
  const began = Date.now();
  const start = async (name: string, env: Record<string, string> = {}) => {
    const database = await createDatabase(`e2e_${label}_${name}`);
    databases.push(database);
    const serviceEnv: Record<string, string> = {
      DATABASE_URL: `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`,
      KAFKA_NAMESPACE: namespace,
      REDIS_URL: `redis://127.0.0.1:6379/${redisDb}`,
      STORAGE_DIR: join(storage, name),
      LOG_LEVEL: 'warn',
      ...extraEnv,
      ...env,
    };
    const process = await startService(name, serviceEnv);
    processes.push(process);
    const res = await fetch(`${process.url}/api/docs-json`);
    if (res.status !== 200) throw new Error(`${name} serves no OpenAPI document at /api/docs-json (${res.status})`);
    const openApi = (await res.json()) as OpenApiDocument;
    started.push({ name, url: process.url, database, process, env: { ...serviceEnv, PORT: new URL(process.url).port }, openApi, routes: routesOf(name, process.url, openApi) });
    timings.push(`${name} ${((Date.now() - began) / 1000).toFixed(1)} s`);
  };
  const timings: string[] = [];
  try {
    // allSettled, not all: a failure must not leave the others starting unseen (they would outlive the test).
    const outcomes = await Promise.allSettled(names.filter((name) => name !== GATEWAY).map((name) => start(name)));
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed) throw failed.reason;
    if (names.includes(GATEWAY)) {
      // The gateway fronts the others: point it at this stack's services (<NAME>_URL), and lift its
      // per-client rate limit, which these tests would otherwise hit from one address.
      const upstreams = Object.fromEntries(started.map((s) => [`${s.name.toUpperCase()}_URL`, s.url]));
      await start(GATEWAY, { ...upstreams, THROTTLE_LIMIT: '1000000' });
    }
  } catch (err) {
    await stop();
    throw err;
  }
  console.log(`stack ${namespace} up: ${timings.join(', ')}`);
  started.sort((a, b) => a.name.localeCompare(b.name));
  return { namespace, services: started, routes: started.flatMap((s) => s.routes), stop };
}

const issuer = new DevTokenIssuer(loadAuthConfig({ ...process.env, AUTH_DEV_ISSUER: 'true' }));

/** A dev token (the services run with AUTH_DEV_ISSUER=true and the default dev secret). */
export function token(roles: string[], states: string[] = [], sub = 'robustness'): Promise<string> {
  return issuer.sign({ sub, roles, states });
}

/** The connection string of a stack database, for direct checks. */
export function databaseUrl(database: string): string {
  return `postgres://${testPg.user}@${testPg.host}:${testPg.port}/${database}`;
}
