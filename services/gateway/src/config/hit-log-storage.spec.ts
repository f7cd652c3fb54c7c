import { HitLogStorage } from './hit-log-storage';

describe('HitLogStorage', () => {
  let clock = 0;
  let storage: HitLogStorage;
  beforeEach(() => {
    clock = 1_000_000;
    storage = new HitLogStorage(() => clock);
  });
  afterEach(() => storage.close());

  const hit = (key = 'ip-1', ttl = 10_000, limit = 3, block = 10_000) =>
    storage.increment(key, ttl, limit, block, 'default');

  it('counts hits within the window and blocks beyond the limit for the block duration', async () => {
    expect(await hit()).toEqual({ totalHits: 1, timeToExpire: 10, isBlocked: false, timeToBlockExpire: 0 });
    clock += 1000;
    await hit();
    await hit();
    const fourth = await hit();
    expect(fourth).toMatchObject({ totalHits: 4, isBlocked: true, timeToBlockExpire: 10 });
    clock += 9000;
    expect(await hit()).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    // Another client is not affected.
    expect(await hit('ip-2')).toMatchObject({ totalHits: 1, isBlocked: false });
    clock += 1000;
    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('is a sliding window: a hit stops counting ttl ms after it was made', async () => {
    await hit();
    clock += 5000;
    await hit();
    await hit();
    clock += 5000; // the first hit has left the window
    expect(await hit()).toMatchObject({ totalHits: 3, isBlocked: false, timeToExpire: 5 });
    clock += 4999;
    expect(await hit()).toMatchObject({ totalHits: 4, isBlocked: true });
  });

  it('without a block duration, refuses hits beyond the limit without counting them', async () => {
    for (let i = 0; i < 3; i++) await hit('ip-1', 10_000, 3, 0);
    expect(await hit('ip-1', 10_000, 3, 0)).toMatchObject({
      totalHits: 4,
      isBlocked: true,
      timeToBlockExpire: 10,
    });
    clock += 10_000;
    expect(await hit('ip-1', 10_000, 3, 0)).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('keeps the count right across many windows and forgets idle clients', async () => {
    for (let i = 0; i < 5000; i++) {
      clock += 10;
      expect((await hit('busy', 1000, 1000)).totalHits).toBe(Math.min(i + 1, 100));
    }
    await hit('idle');
    expect(storage.size).toBe(2);
    clock += 10_000;
    storage.sweep();
    expect(storage.size).toBe(0);
  });
});
