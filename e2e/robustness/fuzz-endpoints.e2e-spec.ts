import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { differences, quiescentSnapshot, snapshot, Snapshot } from './support/db';
import { fileAttacks, fileFields } from './support/files';
import { hostileString, mutantBody, nonObjectBody, rawJsonAttacks, WRONG_CONTENT_TYPES } from './support/hostile';
import { Answer, inPool, isClearError, send } from './support/http';
import { isUpload, Route, routeUrl, sampleParam } from './support/openapi';
import { builtServices, Stack, startStack, token } from './support/stack';

/**
 * Hostile input (ARCHITECTURE rule 8) against every write route (POST/PUT/PATCH/DELETE) of every
 * service's OpenAPI document, as a caller the route authorises (a federal coordinator where it may,
 * else the first role the route names, for state 13): fast-check bodies
 * shaped like the DTO but hostile or wrongly typed, JSON that is not an object, parser attacks
 * (prototype pollution, 10,000-level nesting, 10 MB strings, broken JSON), wrong content types,
 * hostile path and query parameters, and malformed or oversized files to every multipart route.
 * Every answer must be a 4xx with the platform's `{statusCode, error, message}` and a message a
 * person can act on, and no row of any table of any service database may change.
 * Every read route (GET) gets hostile values in each query parameter it declares: it may answer
 * them or refuse them with a clear 4xx, never with a 5xx.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 8_2026);
const RUNS = Number(process.env.FUZZ_RUNS ?? 8);
/** Upload limits are lowered to this for the run, so "oversized" files stay small for a shared machine. */
const UPLOAD_LIMIT = 1024 * 1024;
/** Above every lowered limit, and above limits fixed in code (procurement bid files: 10 MB). */
const OVERSIZED = 11 * 1024 * 1024;
/**
 * Query values that have crashed reads: integers to JavaScript that SQL cannot take (page=1e308
 * became OFFSET Infinity), numbers past every bound, not numbers, long text, a repeated parameter.
 */
const HOSTILE_QUERY_VALUES: Array<string | string[]> = [
  '1e308',
  '-1e308',
  '1e7',
  '9007199254740993',
  '-1',
  '0',
  '1.5',
  'NaN',
  'Infinity',
  '',
  'x'.repeat(5000),
  ['1', '2'],
];

/** `url` with the query parameter `name` set to `value`, once per element when it is a list. */
function withQueryValue(url: string, name: string, value: string | string[]): string {
  const parsed = new URL(url);
  parsed.searchParams.delete(name);
  for (const v of [value].flat()) parsed.searchParams.append(name, v.replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
  return parsed.toString();
}

/** Every `<NAME>_MAX_BYTES` setting the built services read (found in their dist), so new upload limits are lowered too. */
function uploadLimitSettings(): Record<string, string> {
  const names = new Set<string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) walk(path);
      else if (entry.endsWith('.js')) for (const m of readFileSync(path, 'utf8').matchAll(/\b([A-Z][A-Z0-9_]*_MAX_BYTES)\s*=/g)) names.add(m[1]);
    }
  };
  for (const service of builtServices()) walk(join(__dirname, '..', '..', 'services', service, 'dist'));
  return Object.fromEntries([...names].map((n) => [n, String(UPLOAD_LIMIT)]));
}

/** A role the route lets write: federal coordinator when it may, else the first role it names (with state 13). */
function authorisedRole(route: Route): string {
  return route.roles.length === 0 || route.roles.includes('federal-coordinator') ? 'federal-coordinator' : route.roles[0];
}

interface Attempt {
  route: Route;
  kind: string;
  url: string;
  init: RequestInit;
}

interface Result extends Attempt {
  answer: Answer;
}

describe('hostile input to every route: a clear 4xx to writes, never a 5xx, nothing written', () => {
  let stack: Stack;
  const tokens = new Map<string, string>();
  let before: Snapshot;
  const results: Result[] = [];

  beforeAll(async () => {
    stack = await startStack('fuzz', undefined, uploadLimitSettings());
    for (const role of new Set(stack.routes.flatMap((r) => [authorisedRole(r)]))) {
      tokens.set(role, await token([role], role === 'federal-coordinator' ? [] : ['13'], `fuzzer-${role}`));
    }
    before = await quiescentSnapshot(stack.services);
  });

  afterAll(async () => {
    await stack?.stop();
  });

  /** Valid path and query values for a route: own state where the state goes, plausible samples elsewhere. */
  function validParams(route: Route): { path: Record<string, string>; query: Record<string, string> } {
    const query: Record<string, string> = {};
    for (const p of route.queryParams) {
      if (p.name === route.stateScope || p.name === 'stateCode') query[p.name] = '13';
      else if (p.name === 'dryRun') query[p.name] = 'true';
      else if (p.required) query[p.name] = sampleParam(p);
    }
    return { path: { stateCode: '13' }, query };
  }

  const auth = (route: Route) => ({ authorization: `Bearer ${tokens.get(authorisedRole(route))}` });

  function jsonAttempts(route: Route, rng: number): Attempt[] {
    const { path, query } = validParams(route);
    const url = routeUrl(route, path, query);
    const json = (kind: string, body: string, type = 'application/json'): Attempt => ({
      route,
      kind,
      url,
      init: { method: route.method, headers: { ...auth(route), ...(type ? { 'content-type': type } : {}) }, body: type ? body : Buffer.from(body) },
    });
    const attempts: Attempt[] = [];
    for (const body of fc.sample(mutantBody(route.document, route.bodySchema), { seed: SEED + rng, numRuns: RUNS })) {
      attempts.push(json('DTO-shaped, hostile and wrongly typed', JSON.stringify(body)));
    }
    for (const body of fc.sample(nonObjectBody, { seed: SEED + rng + 1, numRuns: Math.ceil(RUNS / 3) })) {
      attempts.push(json('JSON that is not an object', JSON.stringify(body)));
    }
    for (const attack of rawJsonAttacks({})) attempts.push(json(attack.name, attack.body));
    for (const wrong of WRONG_CONTENT_TYPES) attempts.push(json(`content type: ${wrong.name}`, wrong.body, wrong.type));
    return attempts;
  }

  /** Hostile values in each path parameter and query parameter, with a body that is itself invalid. */
  function paramAttempts(route: Route, rng: number): Attempt[] {
    const { path, query } = validParams(route);
    const placeholders = [...route.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
    const attempts: Attempt[] = [];
    const body = route.bodyTypes.length && !isUpload(route) ? JSON.stringify({ "'; DROP TABLE inbox; --": 1 }) : undefined;
    const init = (): RequestInit => ({
      method: route.method,
      headers: { ...auth(route), ...(body ? { 'content-type': 'application/json' } : {}) },
      body,
    });
    const hostile = fc.sample(
      hostileString.filter((s) => !/^(0[1-9]|[12]\d|3[0-2])$/.test(s) && s !== ''),
      { seed: SEED + rng + 2, numRuns: Math.ceil(RUNS / 2) },
    );
    for (const name of placeholders) {
      for (const value of hostile) attempts.push({ route, kind: `hostile path parameter ${name}`, url: routeUrl(route, { ...path, [name]: value }, query), init: init() });
    }
    for (const p of route.queryParams) {
      for (const value of hostile) attempts.push({ route, kind: `hostile query parameter ${p.name}`, url: routeUrl(route, path, { ...query, [p.name]: value }), init: init() });
    }
    return attempts;
  }

  async function uploadAttempts(route: Route): Promise<Attempt[]> {
    const { path, query } = validParams(route);
    const url = routeUrl(route, path, query);
    const field = fileFields(route)[0];
    const attempts: Attempt[] = (await fileAttacks(OVERSIZED)).map((attack) => ({
      route,
      kind: `file: ${attack.name}`,
      url,
      init: { method: route.method, headers: auth(route), body: attack.form(field) },
    }));
    attempts.push({ route, kind: 'file: JSON instead of multipart', url, init: { method: route.method, headers: { ...auth(route), 'content-type': 'application/json' }, body: '{"file":"../../etc/passwd"}' } });
    return attempts;
  }

  /** Sends the attempts, a few at a time, and keeps what came back for the checks that follow. */
  async function sendAll(attempts: Attempt[]): Promise<Result[]> {
    const done = await inPool(attempts, 4, async (attempt) => {
      const answer = await send(attempt.url, attempt.init).catch((err: Error): Answer => ({ status: 0, body: null, text: `request failed: ${err.message}` }));
      return { ...attempt, answer };
    });
    results.push(...done);
    return done;
  }

  it('answers every hostile request with a clear 4xx', async () => {
    const writes = stack.routes.filter((r) => r.write);
    const attempts: Attempt[] = [];
    let index = 0;
    for (const route of writes) {
      index += 10;
      if (isUpload(route)) attempts.push(...(await uploadAttempts(route)));
      else if (route.bodyTypes.length) attempts.push(...jsonAttempts(route, index));
      attempts.push(...paramAttempts(route, index));
    }
    const done = await sendAll(attempts);

    const bad = done.filter((r) => r.answer.status < 400 || r.answer.status >= 500 || !isClearError(r.answer));
    const byRoute = writes.map((route) => {
      const mine = done.filter((r) => r.route === route);
      const statuses = [...new Set(mine.map((r) => r.answer.status))].sort().join(',');
      const failures = mine.filter((r) => bad.includes(r)).length;
      return `${route.service.padEnd(14)} ${route.method.padEnd(6)} ${route.path.padEnd(56)} ${String(mine.length).padStart(4)} requests  statuses ${statuses}${failures ? `  ${failures} BAD` : ''}`;
    });
    const byKind = new Map<string, number>();
    for (const r of done) {
      const kind = r.kind.replace(/ parameter .*/, ' parameter');
      byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
    }
    console.log(
      [
        `Fuzzing seed ${SEED} (FUZZ_SEED), ${RUNS} runs per generator (FUZZ_RUNS): ${done.length} requests to ${writes.length} write routes of ${stack.services.map((s) => s.name).join(', ')}`,
        ...byRoute,
        '',
        ...[...byKind].map(([kind, n]) => `${String(n).padStart(5)}  ${kind}`),
        `${done.filter((r) => r.answer.status >= 500).length} × 5xx, ${done.filter((r) => r.answer.status > 0 && r.answer.status < 400).length} × accepted, ${bad.length} not a clear 4xx`,
      ].join('\n'),
    );
    expect(writes.length).toBeGreaterThan(10);
    expect(
      bad.map((r) => `${r.route.service} ${r.route.method} ${r.route.path} [${r.kind}] ${r.url.replace(r.route.baseUrl, '').slice(0, 120)} → ${r.answer.status} ${r.answer.text.slice(0, 300)}`),
    ).toEqual([]);
  });

  it('answers hostile query strings on every read route without a 5xx', async () => {
    // The gateway forwards a service's routes (operationId `<service>_…`) with path and query
    // unchanged: they are fuzzed at the service, which keeps this part well under a minute.
    const proxied = (r: Route) => r.service === 'gateway' && stack.services.some((s) => r.operationId.startsWith(`${s.name}_`));
    const reads = stack.routes.filter((r) => !r.write && r.queryParams.length > 0 && !proxied(r));
    const attempts: Attempt[] = [];
    let index = 0;
    for (const route of reads) {
      index += 10;
      const { path, query } = validParams(route);
      const url = routeUrl(route, path, query);
      const sampled = fc.sample(hostileString, { seed: SEED + index, numRuns: Math.ceil(RUNS / 4) });
      for (const p of route.queryParams) {
        for (const value of [...HOSTILE_QUERY_VALUES, ...sampled]) {
          attempts.push({ route, kind: `hostile query parameter ${p.name}`, url: withQueryValue(url, p.name, value), init: { method: 'GET', headers: auth(route) } });
        }
      }
    }
    const began = Date.now();
    const done = await sendAll(attempts);

    // A read may serve a hostile value it can make sense of (a filter matching nothing); what it refuses, it refuses clearly.
    const bad = done.filter((r) => r.answer.status === 0 || r.answer.status >= 500 || (r.answer.status >= 400 && !isClearError(r.answer)));
    const byRoute = reads.map((route) => {
      const mine = done.filter((r) => r.route === route);
      const statuses = [...new Set(mine.map((r) => r.answer.status))].sort().join(',');
      const failures = mine.filter((r) => bad.includes(r)).length;
      return `${route.service.padEnd(14)} GET    ${route.path.padEnd(56)} ${String(mine.length).padStart(4)} requests  statuses ${statuses}${failures ? `  ${failures} BAD` : ''}`;
    });
    console.log(
      [
        `Hostile query strings: ${done.length} requests to ${reads.length} read routes in ${((Date.now() - began) / 1000).toFixed(1)} s`,
        ...byRoute,
        `${done.filter((r) => r.answer.status >= 500).length} × 5xx, ${bad.length} neither served nor clearly refused`,
      ].join('\n'),
    );
    expect(reads.length).toBeGreaterThan(10);
    expect(
      bad.map((r) => `${r.route.service} GET ${r.route.path} [${r.kind}] ${r.url.replace(r.route.baseUrl, '').slice(0, 120)} → ${r.answer.status} ${r.answer.text.slice(0, 300)}`),
    ).toEqual([]);
  });

  it('changed no row of any table of any service database', async () => {
    expect(results.length).toBeGreaterThan(0);
    // Give relays and consumers time to do anything a request might have set off.
    const after = await quiescentSnapshot(stack.services);
    const changed = differences(before, after);
    console.log(`Database snapshots: ${Object.keys(after).length} tables in ${stack.services.length} databases, ${changed.length} changed${changed.length ? `:\n${changed.join('\n')}` : ''}`);
    expect(changed).toEqual([]);
  });

  it('still serves ordinary requests afterwards', async () => {
    for (const service of stack.services) {
      const health = await send(`${service.url}/health`, {});
      expect(health.status).toBe(200);
    }
    expect(differences(before, await snapshot(stack.services)).length).toBe(0);
  });
});
