import { useSyncExternalStore } from 'react';

/**
 * Who is logged in: a dev token and what it was asked for. Kept where the classic dashboard keeps
 * it (localStorage `imb.session`, same shape), so one login serves both while they live side by
 * side. What the token really grants is read from `/api/me`.
 */
export interface Session {
  token: string;
  sub: string;
  roles: string[];
  states: string[];
}

/** Why the last session ended: a 401 (expired or refused token) or the user's own logout. */
export type SessionEnd = 'expired' | 'logout';

const STORAGE_KEY = 'imb.session';

/** The JWT's `exp` (seconds), or 0 when the token cannot be read. */
function expiresAt(token: string): number {
  try {
    const payload = token.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { exp?: unknown };
    return typeof claims.exp === 'number' ? claims.exp : 0;
  } catch {
    return 0;
  }
}

function read(): Session | null {
  try {
    const saved = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Session | null;
    return saved && typeof saved.token === 'string' && expiresAt(saved.token) * 1000 > Date.now()
      ? saved
      : null;
  } catch {
    return null;
  }
}

let current = read();
let lastEnd: SessionEnd | null = null;
const listeners = new Set<() => void>();
const emit = () => listeners.forEach((listener) => listener());

// A login or logout in another tab (this app's or the dashboard's) applies here too.
window.addEventListener('storage', (event) => {
  if (event.key !== STORAGE_KEY && event.key !== null) return;
  current = read();
  emit();
});

export const sessionStore = {
  get: (): Session | null => current,
  lastEnd: (): SessionEnd | null => lastEnd,
  subscribe: (listener: () => void): (() => void) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  start(session: Session): void {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
    current = session;
    lastEnd = null;
    emit();
  },
  end(reason: SessionEnd): void {
    localStorage.removeItem(STORAGE_KEY);
    current = null;
    lastEnd = reason;
    emit();
  },
};

/** The current session; re-renders when it starts or ends. */
export function useSession(): Session | null {
  return useSyncExternalStore(sessionStore.subscribe, sessionStore.get);
}
