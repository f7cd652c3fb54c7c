import { Role } from './roles';
import { VerifiedTokenCache } from './verified-token-cache';

const ana = { sub: 'ana', roles: [Role.StateCoordinator], states: ['13'] };

describe('VerifiedTokenCache', () => {
  let clock = 0;
  const now = () => clock;
  beforeEach(() => {
    clock = 1_000_000_000_000;
  });

  it('returns a remembered principal until the token expires, and not from its expiry on', () => {
    const cache = new VerifiedTokenCache({ now, maxAgeMs: 3_600_000 });
    cache.set('t', ana, clock / 1000 + 30);
    clock += 29_999;
    expect(cache.get('t')).toEqual(ana);
    clock += 1;
    expect(cache.get('t')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('trusts a verification at most maxAgeMs, even for a token that expires later', () => {
    const cache = new VerifiedTokenCache({ now, maxAgeMs: 60_000 });
    cache.set('t', ana, clock / 1000 + 3600);
    clock += 59_999;
    expect(cache.get('t')).toEqual(ana);
    clock += 1;
    expect(cache.get('t')).toBeUndefined();
  });

  it('never remembers a token already expired, without a numeric exp, or too long', () => {
    const cache = new VerifiedTokenCache({ now });
    cache.set('expired', ana, clock / 1000 - 1);
    cache.set('no-exp', ana, Number.NaN);
    cache.set('x'.repeat(8193), ana, clock / 1000 + 60);
    expect(cache.size).toBe(0);
  });

  it('keeps at most maxEntries, forgetting the least recently used first', () => {
    const cache = new VerifiedTokenCache({ now, maxEntries: 2 });
    const exp = clock / 1000 + 60;
    cache.set('a', { ...ana, sub: 'a' }, exp);
    cache.set('b', { ...ana, sub: 'b' }, exp);
    expect(cache.get('a')?.sub).toBe('a'); // a is now the most recently used
    cache.set('c', { ...ana, sub: 'c' }, exp);
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.sub).toBe('a');
    expect(cache.get('c')?.sub).toBe('c');
    for (let i = 0; i < 100; i++) cache.set(`t${i}`, ana, exp);
    expect(cache.size).toBe(2);
  });

  it('hands out copies, so a caller changing its principal changes no one else’s', () => {
    const cache = new VerifiedTokenCache({ now });
    cache.set('t', ana, clock / 1000 + 60);
    cache.get('t')!.states.push('14');
    expect(cache.get('t')).toEqual(ana);
  });
});
