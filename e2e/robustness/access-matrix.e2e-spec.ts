import { Route, routeUrl, stateScopeLocation } from './support/openapi';
import { inPool, send } from './support/http';
import { Stack, startStack, token } from './support/stack';
import { describeTokenRefusals } from './tokens';

/**
 * Access matrix (ARCHITECTURE rule 9): every route of every service's OpenAPI document × every
 * role (and no token) × own state / another state. The expected answer comes from what the route
 * declares — `x-public`, `x-roles`, `x-state-scope` (set by @Public, @Roles, @StateScope in
 * libs/auth) — through the rules written below, independently of libs/auth's own code; the actual
 * answer is the real service's. Routes that take a state (declared scope, or a `stateCode` in the
 * path or query) are called with the caller's own state and with another one.
 */
const ROLES = [
  'federal-coordinator',
  'state-coordinator',
  'hr-officer',
  'procurement-officer',
  'dignification-officer',
  'auditor',
] as const;
type Caller = (typeof ROLES)[number] | 'no token';
const CALLERS: Caller[] = [...ROLES, 'no token'];
const OWN = '13';
const OTHER = '20';
const NATIONAL = ['federal-coordinator'];

type Verdict = 'allow' | 401 | 403;

/** The field a route takes its state from, if any: its declared scope, else a `stateCode` path or query param. */
function stateField(route: Route): string | undefined {
  if (route.stateScope) return route.stateScope;
  if (route.path.includes('{stateCode}') || route.queryParams.some((p) => p.name === 'stateCode')) return 'stateCode';
  return undefined;
}

/** The rules of access as ARCHITECTURE.md and CONTRACT.md state them, applied to a route's declaration. */
function expected(route: Route, caller: Caller, state: 'own' | 'other' | 'none'): Verdict {
  if (route.isPublic) return 'allow';
  if (caller === 'no token') return 401;
  // Auditors read only, unless a route names them for writing.
  if (caller === 'auditor' && route.write && !route.roles.includes('auditor')) return 403;
  if (route.roles.length > 0 && !route.roles.includes(caller)) return 403;
  if (route.stateScope && state === 'other') {
    const national = NATIONAL.includes(caller) || (caller === 'auditor' && !route.write);
    if (!national) return 403;
  }
  return 'allow';
}

function verdictOf(status: number): Verdict | 'server error' {
  if (status === 401 || status === 403) return status;
  if (status >= 500) return 'server error';
  return 'allow';
}

interface Case {
  route: Route;
  caller: Caller;
  state: 'own' | 'other' | 'none';
}

interface Outcome extends Case {
  expected: Verdict;
  actual: Verdict | 'server error';
  status: number;
  message: string;
}

describe('access matrix: every route × every role × own/other state, from the OpenAPI documents', () => {
  let stack: Stack;
  const tokens = new Map<Caller, string>();

  beforeAll(async () => {
    stack = await startStack('access');
    for (const role of ROLES) {
      tokens.set(role, await token([role], NATIONAL.includes(role) || role === 'auditor' ? [] : [OWN], `matrix-${role}`));
    }
  });

  afterAll(async () => {
    await stack?.stop();
  });

  describeTokenRefusals(() => stack);

  async function call({ route, caller, state }: Case): Promise<{ status: number; message: string }> {
    const field = stateField(route);
    const code = state === 'other' ? OTHER : OWN;
    const where = route.stateScope ? stateScopeLocation(route) : field && route.path.includes(`{${field}}`) ? 'path' : field ? 'query' : undefined;
    const overrides = where === 'path' && field ? { [field]: code } : {};
    const query = where === 'query' && field ? { [field]: code } : {};
    const body = route.write ? JSON.stringify(where === 'body' && field ? { [field]: code } : {}) : undefined;
    const headers: Record<string, string> = {};
    if (caller !== 'no token') headers.authorization = `Bearer ${tokens.get(caller)}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await send(routeUrl(route, overrides, query), { method: route.method, headers, body });
    const text = typeof res.body === 'object' && res.body !== null ? (res.body as { message?: unknown }).message : undefined;
    const message = typeof text === 'string' ? text : res.text.slice(0, 120);
    return { status: res.status, message };
  }

  it('answers 401/403 exactly where the routes declare it, for 100 % of the cases', async () => {
    const cases: Case[] = [];
    for (const route of stack.routes) {
      const states: Case['state'][] = stateField(route) ? ['own', 'other'] : ['none'];
      for (const caller of CALLERS) for (const state of states) cases.push({ route, caller, state });
    }
    const outcomes: Outcome[] = await inPool(cases, 6, async (c) => {
      const { status, message } = await call(c);
      return { ...c, expected: expected(c.route, c.caller, c.state), actual: verdictOf(status), status, message };
    });

    // The table: one line per route and state, one column per caller; each cell "expected→actual".
    const short = (v: Verdict | 'server error') => (v === 'allow' ? 'ok' : v === 'server error' ? '5xx' : String(v));
    const abbreviate = (c: string) => c.replace('-coordinator', '-coord').replace('-officer', '-off').replace('dignification', 'dignif').replace('procurement', 'procur');
    const header = ['service', 'method', 'path', 'roles', 'scope', 'state', ...CALLERS.map(abbreviate)];
    const lines: string[][] = [];
    for (const route of stack.routes) {
      for (const state of stateField(route) ? (['own', 'other'] as const) : (['none'] as const)) {
        const row = outcomes.filter((o) => o.route === route && o.state === state);
        lines.push([
          route.service,
          route.method,
          route.path,
          route.isPublic ? 'public' : route.roles.map(abbreviate).join(',') || 'any',
          route.stateScope ?? '-',
          state,
          ...CALLERS.map((caller) => {
            const o = row.find((x) => x.caller === caller)!;
            return o.expected === o.actual ? short(o.actual) : `✗${short(o.expected)}→${short(o.actual)}`;
          }),
        ]);
      }
    }
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
    const fmt = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join(' | ');
    const mismatches = outcomes.filter((o) => o.expected !== o.actual);
    const matched = outcomes.length - mismatches.length;
    const percent = ((100 * matched) / outcomes.length).toFixed(2);
    const perService = stack.services
      .map((s) => {
        const mine = outcomes.filter((o) => o.route.service === s.name);
        return `${s.name}: ${s.routes.length} routes, ${mine.length} cases, ${mine.filter((o) => o.expected === o.actual).length} match`;
      })
      .join('\n');
    const counts = (v: Verdict) => outcomes.filter((o) => o.actual === v).length;
    console.log(
      [
        `Access matrix (${stack.services.map((s) => s.name).join(', ')}; own state ${OWN}, other ${OTHER}):`,
        fmt(header),
        ...lines.map(fmt),
        '',
        perService,
        `answers: ${counts('allow')} allowed, ${counts(401)} × 401, ${counts(403)} × 403, ${outcomes.filter((o) => o.actual === 'server error').length} × 5xx`,
        `${stack.routes.length} routes, ${outcomes.length} cases, ${matched} match: ${percent} %`,
        ...mismatches.map(
          (o) => `MISMATCH ${o.route.service} ${o.route.method} ${o.route.path} as ${o.caller} (${o.state} state): expected ${o.expected}, got ${o.status} ${o.message}`,
        ),
      ].join('\n'),
    );

    expect(stack.routes.filter((r) => !r.isPublic).length).toBeGreaterThan(20);
    expect(mismatches.map((o) => `${o.route.service} ${o.route.method} ${o.route.path} ${o.caller} ${o.state}: expected ${o.expected}, got ${o.status} ${o.message}`)).toEqual([]);
    expect(percent).toBe('100.00');
  });

  it('shows a state-bound caller only her states’ jobs through the gateway: the merged list leaves the others out, each of them answers as no job', async () => {
    expect(stack.services.map((s) => s.name)).toEqual(expect.arrayContaining(['gateway', 'transfer']));
    const gateway = stack.services.find((s) => s.name === 'gateway')!;
    const federal = await token(['federal-coordinator'], [], 'matrix-jobs-federal');
    const importFor = async (stateCode: string) => {
      const form = new FormData();
      form.append('file', new Blob([`CLUES,CLAVE DE LA ENTIDAD,NOMBRE DE LA UNIDAD\nHGSSA000016,${stateCode},CENTRO DE SALUD\n`]), 'catalogo.csv');
      const res = await fetch(`${gateway.url}/api/transfers/${stateCode}/units/imports?dryRun=true`, { method: 'POST', headers: { authorization: `Bearer ${federal}` }, body: form });
      expect(res.status).toBe(202);
      return ((await res.json()) as { jobId: string }).jobId;
    };
    const own = await importFor(OWN);
    const other = await importFor(OTHER);
    const coordinator = { authorization: `Bearer ${tokens.get('state-coordinator')}` };
    const listed = async (headers: Record<string, string>) =>
      ((await send(`${gateway.url}/api/jobs?kind=units.import&pageSize=1000`, { headers })).body as { items: { id: string }[] }).items.map((j) => j.id);
    expect(await listed(coordinator)).toContain(own);
    expect(await listed(coordinator)).not.toContain(other);
    expect(await listed({ authorization: `Bearer ${federal}` })).toEqual(expect.arrayContaining([own, other]));
    expect((await send(`${gateway.url}/api/jobs/${own}`, { headers: coordinator })).status).toBe(200);
    for (const path of [other, `${other}/errors`, `${other}/stream`]) {
      const refused = await send(`${gateway.url}/api/jobs/${path}`, { headers: coordinator });
      expect([refused.status, (refused.body as { message?: string }).message]).toEqual([404, `There is no job ${other}`]);
    }
  });

  it('gives every refusal the platform error shape and a message saying why', async () => {
    const route = stack.routes.find((r) => !r.isPublic && r.stateScope && stateScopeLocation(r) === 'path' && r.roles.length > 0)!;
    expect(route).toBeDefined();
    const refusals = [await call({ route, caller: 'no token', state: 'own' }), await call({ route, caller: 'auditor', state: 'own' })];
    expect(refusals[0]).toMatchObject({ status: 401, message: expect.stringMatching(/Authorization: Bearer/) });
    expect(refusals[1]).toMatchObject({ status: 403, message: expect.stringMatching(/read-only|requires one of the roles/) });
  });
});
