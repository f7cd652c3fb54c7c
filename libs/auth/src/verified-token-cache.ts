import type { Principal } from './principal';

/** Most tokens remembered; the least recently used is forgotten first. */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;
/**
 * Longest a verification is trusted without checking the token again, even when it expires
 * later: bounds how long a key removed from the identity provider's key set keeps working.
 */
export const VERIFIED_TOKEN_MAX_AGE_MS = 60_000;
/** Longer tokens are verified every time, so a flood of huge tokens cannot fill memory. */
export const VERIFIED_TOKEN_MAX_LENGTH = 8192;

export interface VerifiedTokenCacheOptions {
  maxEntries?: number;
  maxAgeMs?: number;
  /** Milliseconds since the epoch (tests pass a fake clock). */
  now?: () => number;
}

interface Entry {
  principal: Principal;
  expiresAt: number;
}

const copy = (p: Principal): Principal => ({ sub: p.sub, roles: [...p.roles], states: [...p.states] });

/**
 * Successful verifications, keyed by the exact token text (the same text is the same signature,
 * so it verifies the same way until it expires): each is kept until the token's `exp` and at most
 * `maxAgeMs`, in a bounded LRU. Only tokens that passed every check are added; a refused token is
 * never remembered, so it is checked (and refused) again on every request.
 */
export class VerifiedTokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? VERIFIED_TOKEN_CACHE_SIZE;
    this.maxAgeMs = options.maxAgeMs ?? VERIFIED_TOKEN_MAX_AGE_MS;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The principal of a token verified before and not expired since, as a copy; otherwise undefined. */
  get(token: string): Principal | undefined {
    const entry = this.entries.get(token);
    if (!entry) return undefined;
    this.entries.delete(token);
    if (this.now() >= entry.expiresAt) return undefined;
    // Re-inserted: a Map iterates in insertion order, so the first key is the least recently used.
    this.entries.set(token, entry);
    return copy(entry.principal);
  }

  /** Remembers a token that was just verified; `expSeconds` is its `exp` claim. */
  set(token: string, principal: Principal, expSeconds: number): void {
    if (token.length > VERIFIED_TOKEN_MAX_LENGTH || !Number.isFinite(expSeconds)) return;
    const now = this.now();
    const expiresAt = Math.min(expSeconds * 1000, now + this.maxAgeMs);
    if (expiresAt <= now) return;
    this.entries.delete(token);
    this.entries.set(token, { principal: copy(principal), expiresAt });
    while (this.entries.size > this.maxEntries) {
      this.entries.delete(this.entries.keys().next().value as string);
    }
  }
}
