import { within } from './within';

describe('within', () => {
  it('gives the value of a promise that settles in time', async () => {
    await expect(within(Promise.resolve(7), 50)).resolves.toEqual({ settled: true, value: 7 });
  });

  it('throws the rejection of a promise that fails in time', async () => {
    await expect(within(Promise.reject(new Error('refused')), 50)).rejects.toThrow('refused');
  });

  it('gives up on a promise that takes too long, and swallows its late rejection', async () => {
    let reject!: (e: Error) => void;
    const slow = new Promise<number>((_, r) => (reject = r));
    await expect(within(slow, 20)).resolves.toEqual({ settled: false });
    reject(new Error('too late'));
    await new Promise((r) => setImmediate(r));
  });
});
