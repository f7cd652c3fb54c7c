import { ChildProcess, execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { waitFor } from './wait';

const run = promisify(execFile);
const repoRoot = join(__dirname, '..', '..', '..');

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

export interface RunningService {
  name: string;
  url: string;
  process: ChildProcess;
  /** Lines the service logged, for assertions and for failure messages. */
  logs: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Waits for `waiting`; if it fails, the error carries the last lines `service` logged (why it lagged). */
export async function withLogs<T>(service: RunningService, waiting: Promise<T>, lines = 40): Promise<T> {
  try {
    return await waiting;
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(
      `${message}\nlast ${lines} lines ${service.name} logged:\n${service.logs.slice(-lines).join('\n')}`,
    );
  }
}

/**
 * Starts a built service (`services/<name>/dist/main.js`) as a real process after running its
 * migrations against `env.DATABASE_URL`, and waits until GET /health answers 200.
 */
export async function startService(name: string, env: Record<string, string>): Promise<RunningService> {
  const dir = join(repoRoot, 'services', name, 'dist');
  const fullEnv = {
    ...process.env,
    AUTH_DEV_ISSUER: 'true',
    KAFKAJS_LOG_LEVEL: 'error',
    LOG_LEVEL: 'warn',
    ...env,
  };
  await run(process.execPath, [join(dir, 'migrate.js'), 'run'], { env: fullEnv });
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [join(dir, 'main.js')], {
    env: { ...fullEnv, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  let exited = false;
  child.once('exit', () => (exited = true));
  const outcome = await waitFor(
    async () => {
      if (exited) return 'exited';
      const res = await fetch(`${url}/health`).catch(() => undefined);
      return res?.status === 200 ? 'healthy' : undefined;
    },
    { timeoutMs: 60000, intervalMs: 250, what: `${name} to be healthy` },
  ).catch((err: unknown) => {
    // Never healthy: the process must not outlive the failed start.
    child.kill('SIGKILL');
    throw err;
  });
  if (outcome === 'exited') throw new Error(`${name} exited during start:\n${logs.slice(-20).join('\n')}`);
  return {
    name,
    url,
    process: child,
    logs,
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (exited) return;
      const done = new Promise((r) => child.once('exit', r));
      child.kill(signal);
      await done;
    },
  };
}
