import { DevTokenIssuer, loadAuthConfig } from '@imb/auth';

/** How long a seed waits for one job before giving up. */
const JOB_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * The HTTP client of the demo seed: it acts through the public API (the gateway, or the service
 * itself when SEED_API_URL says so) with a dev token it signs, like any user would, so every
 * change goes through the service's own validation, audit and outbox.
 */
export class SeedClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
  ) {}

  /** A client acting as `sub` with the given roles, signed by the dev issuer (AUTH_DEV_ISSUER=true). */
  static async create(sub: string, roles: string[], states: string[] = []): Promise<SeedClient> {
    const config = loadAuthConfig();
    if (config.mode !== 'dev') throw new Error('the demo seed needs AUTH_DEV_ISSUER=true: it acts through the API with dev tokens');
    const token = await new DevTokenIssuer(config).sign({ sub, roles, states, ttlSeconds: 3600 });
    const baseUrl = (process.env.SEED_API_URL ?? process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
    return new SeedClient(baseUrl, token);
  }

  /** Calls `path` under /api; a 4xx/5xx answer throws with the service's message. */
  async call<T>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<{ status: number; body: T }> {
    const isForm = body instanceof FormData;
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
      },
      body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
    });
    const text = await res.text();
    const parsed = (text ? JSON.parse(text) : null) as T;
    if (res.status >= 400 && !okStatuses.includes(res.status)) {
      const message = (parsed as { message?: unknown } | null)?.message ?? text;
      throw new Error(`${method} /api${path} → ${res.status}: ${typeof message === 'string' ? message : JSON.stringify(message)}`);
    }
    return { status: res.status, body: parsed };
  }

  async get<T>(path: string): Promise<T> {
    return (await this.call<T>('GET', path)).body;
  }

  /** Waits for a job to finish; throws if it failed. */
  async waitForJob(jobId: string): Promise<{ result: unknown; errorCount: number }> {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const job = await this.get<{ status: string; result: unknown; errorCount: number; failureReason: string | null }>(`/jobs/${jobId}`);
      if (job.status === 'completed') return job;
      if (job.status === 'failed') throw new Error(`job ${jobId} failed: ${job.failureReason}`);
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${job.status} after ${JOB_TIMEOUT_MS / 1000}s`);
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

/** The seed profile from `--profile=` or SEED_PROFILE: `demo` (default) or `reference`. */
export function seedProfile(argv: string[] = process.argv, env: NodeJS.ProcessEnv = process.env): 'demo' | 'reference' {
  const arg = argv.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  const profile = arg ?? env.SEED_PROFILE ?? 'demo';
  if (profile !== 'demo' && profile !== 'reference') throw new Error(`unknown seed profile "${profile}" (expected demo or reference)`);
  return profile;
}
