import { completedProgress, progressOf, Throttle } from './progress';

describe('progressOf', () => {
  it('computes a floored percent of the total', () => {
    expect(progressOf(0, 10)).toEqual({ percent: 0, done: 0, total: 10 });
    expect(progressOf(1, 3)).toEqual({ percent: 33, done: 1, total: 3 });
    expect(progressOf(999, 1000)).toEqual({ percent: 99, done: 999, total: 1000 });
    expect(progressOf(1000, 1000)).toEqual({ percent: 100, done: 1000, total: 1000 });
  });

  it('shows 0 % while the total is unknown or zero', () => {
    expect(progressOf(500, null)).toEqual({ percent: 0, done: 500, total: null });
    expect(progressOf(5, 0)).toEqual({ percent: 0, done: 5, total: 0 });
  });

  it('never goes past 100 % and clamps nonsense counts', () => {
    expect(progressOf(15, 10).percent).toBe(100);
    expect(progressOf(-3, 10)).toEqual({ percent: 0, done: 0, total: 10 });
    expect(progressOf(Number.NaN, 10).done).toBe(0);
    expect(progressOf(2.7, 10.2)).toEqual({ percent: 20, done: 2, total: 10 });
  });

  it('shows 100 % once completed, keeping the counts', () => {
    expect(completedProgress({ percent: 40, done: 4, total: 10 })).toEqual({
      percent: 100,
      done: 4,
      total: 10,
    });
  });
});

describe('Throttle', () => {
  it('lets one pass through per interval', () => {
    let now = 1000;
    const throttle = new Throttle(500, () => now);
    expect(throttle.pass()).toBe(true);
    now = 1499;
    expect(throttle.pass()).toBe(false);
    now = 1500;
    expect(throttle.pass()).toBe(true);
    now = 1700;
    throttle.reset();
    now = 2100;
    expect(throttle.pass()).toBe(false);
    now = 2200;
    expect(throttle.pass()).toBe(true);
  });

  it('lets everything through with a zero interval', () => {
    const throttle = new Throttle(0, () => 5);
    expect(throttle.pass()).toBe(true);
    expect(throttle.pass()).toBe(true);
  });
});
