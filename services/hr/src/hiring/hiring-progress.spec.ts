import { percentFilled } from './hiring-progress';

describe('percentFilled', () => {
  it('gives one decimal, 100 % for a zero target and null without one', () => {
    expect(percentFilled(95, 100)).toBe(95);
    expect(percentFilled(1, 3)).toBe(33.3);
    expect(percentFilled(5, 0)).toBe(100);
    expect(percentFilled(5, null)).toBeNull();
  });
});
