import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/** A service of docker-compose.yml, as far as the checks below read it. */
export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  depends_on?: Record<string, { condition: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test: string[] };
  command?: string[];
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes: Record<string, unknown>;
}

const ROOT = join(__dirname, '../../..');

/** docker-compose.yml of this repository, parsed. */
export function readCompose(): ComposeFile {
  // merge: the file shares settings between services with YAML merge keys (<<: *anchor), as Compose reads them.
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as ComposeFile;
}

/** `${VAR:-default}` and `${VAR}` as Compose fills them in, from `env` (empty by default: the defaults). */
export function interpolate(value: string, env: Record<string, string | undefined> = {}): string {
  return value.replace(/\$\{([A-Z0-9_]+)(?::?-([^}]*))?\}/g, (_, name: string, fallback?: string) => env[name] || fallback || '');
}

/** The `ENV` lines of the services' image (infra/docker/Dockerfile), with build arguments left out. */
function imageEnvironment(): Record<string, string> {
  const dockerfile = readFileSync(join(ROOT, 'infra/docker/Dockerfile'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of dockerfile.split('\n').filter((l) => l.startsWith('ENV '))) {
    for (const [, name, value] of line.slice(4).matchAll(/([A-Z_]+)=(\S+)/g)) if (!value.includes('$')) env[name] = value;
  }
  return env;
}

/**
 * The environment a service of the compose file starts with: its image's ENV, then its
 * `environment:` with Compose's `${VAR:-default}` filled in from `shellEnv` (by default none set,
 * as on a machine where nobody exported anything).
 */
export function composeEnvironment(service: string, shellEnv: Record<string, string | undefined> = {}): Record<string, string> {
  const svc = readCompose().services[service];
  if (!svc) throw new Error(`docker-compose.yml has no service ${service}`);
  const env: Record<string, string> = { ...imageEnvironment() };
  for (const [name, value] of Object.entries(svc.environment ?? {})) env[name] = interpolate(String(value), shellEnv);
  return env;
}

/**
 * Runs the environment docker-compose.yml gives `service` through its `validateServiceConfig`, in
 * a describe block of its own: the file as it stands (production, no identity provider yet) must
 * refuse to start naming the settings it needs; with an identity provider set it must start,
 * connecting only to services of the file; dev tokens are issued only when opted into (as
 * `npm run up -- --docker` does), and refused in production.
 */
export function describeComposeService(
  service: string,
  validateServiceConfig: (env: Record<string, string>) => { settings: unknown; auth: { mode: string } },
): void {
  describe(`${service} in docker-compose.yml`, () => {
    it('refuses to start as the file stands, naming the identity provider settings it needs', () => {
      expect(() => validateServiceConfig(composeEnvironment(service))).toThrow(/AUTH_JWKS_URL, AUTH_ISSUER, AUTH_AUDIENCE must be set/);
    });

    it('starts with an identity provider set, connecting only to services of the file on their ports', () => {
      const identityProvider = { AUTH_JWKS_URL: 'https://idp.salud.example/jwks', AUTH_ISSUER: 'https://idp.salud.example', AUTH_AUDIENCE: 'imb-platform' };
      expect(unreachableAddresses(validateServiceConfig(composeEnvironment(service, identityProvider)).settings)).toEqual([]);
    });

    it('issues dev tokens only when opted into outside production', () => {
      expect(validateServiceConfig(composeEnvironment(service, { NODE_ENV: 'development', AUTH_DEV_ISSUER: 'true' })).auth.mode).toBe('dev');
      expect(() => validateServiceConfig(composeEnvironment(service, { AUTH_DEV_ISSUER: 'true' }))).toThrow(
        /AUTH_DEV_ISSUER=true is refused when NODE_ENV=production/,
      );
    });
  });
}

/** The port each compose service listens on inside the compose network. */
export function composePorts(compose: ComposeFile = readCompose()): Record<string, number> {
  const ports: Record<string, number> = {};
  for (const [name, svc] of Object.entries(compose.services)) {
    const env = svc.environment ?? {};
    const listener = /PLAINTEXT:\/\/[^:,]*:(\d+)/.exec(String(env.KAFKA_LISTENERS ?? ''));
    const port = env.PORT ?? listener?.[1] ?? { postgres: 5432, redis: 6379 }[name];
    if (port !== undefined) ports[name] = Number(port);
  }
  return ports;
}

/** Settings that name where a service listens, not where it connects. */
const BIND_SETTINGS = new Set(['HOST']);

/**
 * Every address a loaded configuration connects to (URLs and host:port strings, in lists too,
 * nested objects included) that is not a service of the compose file on the port it listens
 * on: inside a container 127.0.0.1 is the container itself, so a default left in place is a
 * call that fails. Returns one line per problem.
 */
export function unreachableAddresses(config: unknown, ports: Record<string, number> = composePorts()): string[] {
  const problems: string[] = [];
  const check = (path: string, text: string) => {
    let host: string;
    let port: number;
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
      const url = new URL(text);
      host = url.hostname;
      port = Number(url.port || { 'http:': 80, 'https:': 443, 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379 }[url.protocol] || 0);
    } else {
      // host:port where the host is a name (with a letter) or an IPv4 address, not a time such as -06:00.
      const m = /^([A-Za-z0-9-]*[A-Za-z][A-Za-z0-9.-]*|\d{1,3}(?:\.\d{1,3}){3}):(\d{1,5})$/.exec(text);
      if (!m) return;
      [host, port] = [m[1], Number(m[2])];
    }
    if (!(host in ports)) problems.push(`${path}=${text}: ${host} is not a service of docker-compose.yml`);
    else if (ports[host] !== port) problems.push(`${path}=${text}: ${host} listens on ${ports[host]}, not ${port}`);
  };
  const walk = (path: string, value: unknown) => {
    if (typeof value === 'string') check(path, value);
    else if (Array.isArray(value)) value.forEach((v, i) => walk(`${path}[${i}]`, v));
    else if (value && typeof value === 'object') {
      for (const [key, v] of Object.entries(value)) if (!BIND_SETTINGS.has(key)) walk(path ? `${path}.${key}` : key, v);
    }
  };
  walk('', config);
  return problems;
}
