import { createTestDataSource } from '@imb/testing';
import { copyRows, copyText } from './copy-rows';

describe('copyRows (real PostgreSQL)', () => {
  let db: Awaited<ReturnType<typeof createTestDataSource>>;

  beforeAll(async () => {
    db = await createTestDataSource({ name: 'copy_rows', migrations: [] });
    await db.dataSource.query(`CREATE TABLE copied (n int, t text, f float8, b bool)`);
  });

  afterAll(() => db.destroy());

  it('writes every value as given, in the caller transaction', async () => {
    const tricky = 'tab\there, new\nline, cr\r, back\\slash, \\N, "quotes", ñandú';
    const rows = Array.from({ length: 1234 }, (_, i) => [i, i === 7 ? tricky : `row ${i}`, i / 3, i % 2 === 0]);
    rows.push([null, null, undefined, null]);
    const written = await db.dataSource.transaction((m) => copyRows(m, 'copied', ['n', 't', 'f', 'b'], rows));
    expect(written).toBe(1235);
    const back = await db.dataSource.query(`SELECT n, t, f, b FROM copied ORDER BY n NULLS LAST`);
    expect(back).toHaveLength(1235);
    expect(back[7]).toEqual({ n: 7, t: tricky, f: 7 / 3, b: false });
    expect(back[1234]).toEqual({ n: null, t: null, f: null, b: null });
  });

  it('takes an async source of batches, as a file streams in', async () => {
    async function* batches() {
      for (let b = 0; b < 3; b++) yield Array.from({ length: 400 }, (_, i) => [10000 + b * 400 + i, `batch ${b}`, null, null]);
    }
    const written = await db.dataSource.transaction((m) => copyRows(m, 'copied', ['n', 't', 'f', 'b'], batches()));
    expect(written).toBe(1200);
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM copied WHERE t LIKE 'batch %'`))[0].n).toBe(1200);
  });

  it('rolls back with the transaction and refuses to run outside one', async () => {
    await expect(
      db.dataSource.transaction(async (m) => {
        await copyRows(m, 'copied', ['n'], [[-1]]);
        throw new Error('abort');
      }),
    ).rejects.toThrow('abort');
    expect((await db.dataSource.query(`SELECT count(*)::int AS n FROM copied WHERE n = -1`))[0].n).toBe(0);
    await expect(copyRows(db.dataSource.manager, 'copied', ['n'], [[1]])).rejects.toThrow(/inside a transaction/);
  });

  it('escapes text for COPY and refuses numbers it cannot write', () => {
    expect(copyText('a\tb\\c')).toBe('a\\tb\\\\c');
    expect(copyText(null)).toBe('\\N');
    expect(copyText(true)).toBe('t');
    expect(() => copyText(Number.NaN)).toThrow(TypeError);
  });
});
