import { loadAuthConfig } from './auth-config';
import { DevTokenIssuer } from './dev-token-issuer';

/** How long `waitForJob` waits for one job before giving up. */
const JOB_TIMEOUT_MS = 10 * 60 * 1000;
/** Times one request is retried after a 429 (rate limited) answer. */
const RATE_LIMIT_RETRIES = 10;

/**
 * An HTTP client of the platform's public API for scripts such as the demo seeds: it acts with a
 * dev token it signs (so only where AUTH_DEV_ISSUER=true), like any user would, so every change
 * goes through the service's own validation, audit and outbox. Base URL: SEED_API_URL (a seed's
 * own service), else the gateway; `viaGateway()` reaches another service's API with the same
 * token through the gateway (GATEWAY_URL, else 127.0.0.1:3000).
 */
export class DevApiClient {
  private constructor(
    readonly baseUrl: string,
    private readonly token: string,
    private readonly gatewayUrl: string,
  ) {}

  /** A client acting as `sub` with the given roles and states, signed by the dev issuer. */
  static async create(sub: string, roles: string[], states: string[] = [], env: NodeJS.ProcessEnv = process.env): Promise<DevApiClient> {
    const config = loadAuthConfig(env);
    if (config.mode !== 'dev') throw new Error('this script needs AUTH_DEV_ISSUER=true: it acts through the API with dev tokens');
    const token = await new DevTokenIssuer(config).sign({ sub, roles, states, ttlSeconds: 3600 });
    const gatewayUrl = (env.GATEWAY_URL || 'http://127.0.0.1:3000').replace(/\/$/, '');
    const baseUrl = env.SEED_API_URL ? env.SEED_API_URL.replace(/\/$/, '') : gatewayUrl;
    return new DevApiClient(baseUrl, token, gatewayUrl);
  }

  /** The same identity calling through the gateway: for another service's API (a seed's base URL is its own service). */
  viaGateway(): DevApiClient {
    return new DevApiClient(this.gatewayUrl, this.token, this.gatewayUrl);
  }

  /**
   * Calls `path` under /api; an answer of 400 or more throws with the service's message unless
   * listed in `okStatuses`. A 429 is retried after the Retry-After the server gives (at most
   * RATE_LIMIT_RETRIES times).
   */
  async call<T>(method: string, path: string, body?: unknown, okStatuses: number[] = []): Promise<{ status: number; body: T }> {
    const isForm = body instanceof FormData;
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${this.baseUrl}/api${path}`, {
        method,
        headers: {
          authorization: `Bearer ${this.token}`,
          ...(body !== undefined && !isForm ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : isForm ? body : JSON.stringify(body),
      });
      const text = await res.text();
      if (res.status === 429 && attempt < RATE_LIMIT_RETRIES && !okStatuses.includes(429)) {
        const seconds = Number(res.headers.get('retry-after'));
        await new Promise((r) => setTimeout(r, Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 60) * 1000 : 1000));
        continue;
      }
      const parsed = (text ? JSON.parse(text) : null) as T;
      if (res.status >= 400 && !okStatuses.includes(res.status)) {
        const message = (parsed as { message?: unknown } | null)?.message ?? text;
        throw new Error(`${method} /api${path} → ${res.status}: ${typeof message === 'string' ? message : JSON.stringify(message)}`);
      }
      return { status: res.status, body: parsed };
    }
  }

  async get<T>(path: string): Promise<T> {
    return (await this.call<T>('GET', path)).body;
  }

  /** Waits for a job to finish; throws if it failed or takes longer than ten minutes. */
  async waitForJob<R = unknown>(jobId: string): Promise<{ result: R; errorCount: number }> {
    const deadline = Date.now() + JOB_TIMEOUT_MS;
    for (;;) {
      const job = await this.get<{ status: string; result: R; errorCount: number; failureReason: string | null }>(`/jobs/${jobId}`);
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
