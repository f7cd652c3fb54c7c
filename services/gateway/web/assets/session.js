// Who is logged in (a dev token and what it grants) and what that lets the user do. The API
// enforces the same rules; the dashboard only hides what would be refused.

const STORAGE_KEY = 'imb.session';

/** The demo identities of the login picker (dev issuer only). */
export const DEMO_IDENTITIES = [
  { key: 'federal', label: 'identity.federal', sub: 'fernanda.federal', roles: ['federal-coordinator'], states: [] },
  { key: 'state13', label: 'identity.state13', sub: 'hilda.hidalgo', roles: ['state-coordinator'], states: ['13'] },
  { key: 'state14', label: 'identity.state14', sub: 'jorge.jalisco', roles: ['state-coordinator'], states: ['14'] },
  { key: 'hr', label: 'identity.hr', sub: 'rosa.rh', roles: ['hr-officer'], states: ['13', '18'] },
  { key: 'procurement', label: 'identity.procurement', sub: 'carlos.compras', roles: ['procurement-officer'], states: [] },
  { key: 'dignification', label: 'identity.dignification', sub: 'diana.dignificacion', roles: ['dignification-officer'], states: ['13', '18'] },
  { key: 'auditor', label: 'identity.auditor', sub: 'aurora.auditoria', roles: ['auditor'], states: [] },
];

/** The logged-in identity and its token, or null when nobody is logged in or the token expired. */
export function session() {
  try {
    const s = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null');
    if (!s) return null;
    const payload = JSON.parse(atob(s.token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')));
    return payload.exp * 1000 > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export async function login(identity) {
  const response = await fetch('/api/auth/dev-token', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sub: identity.sub, roles: identity.roles, states: identity.states, ttlSeconds: 8 * 3600 }),
  });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.message ?? `HTTP ${response.status}`);
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ token: body.accessToken, sub: identity.sub, roles: identity.roles, states: identity.states }));
}

export function logout() {
  localStorage.removeItem(STORAGE_KEY);
}

const has = (role) => session()?.roles.includes(role) ?? false;

/** Whether the user may change the transfer (gate, stage) of a state: federal, or its state coordinator. */
export function canActOnTransfer(stateCode) {
  const s = session();
  if (!s) return false;
  return has('federal-coordinator') || (has('state-coordinator') && s.states.includes(stateCode));
}

/** Whether the user may read the state-scoped figures of a state (units, HR progress). */
export function canReadState(stateCode) {
  const s = session();
  if (!s) return false;
  return has('federal-coordinator') || has('auditor') || s.states.includes(stateCode);
}

/** Whether the user may have audit chains recomputed (costly: auditors and federal coordinators only). */
export function canVerifyAudit() {
  return has('auditor') || has('federal-coordinator');
}
