import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { xlsxBombs, zipOf } from '@imb/testing';
import { ConfigValidationError, validateConfig } from '../config/load-config';
import { DEFAULT_XLSX_LIMITS, XlsxLimits, XlsxLimitsConfig } from './xlsx-limits';
import { readXlsxRows, UnreadableWorkbook, XlsxReadOptions, XlsxTooLarge } from './xlsx-rows';

const MIB = 1024 * 1024;
const DATA = join(__dirname, '..', '..', '..', '..', '..', 'shared', 'data');
const SHEET1 = 'xl/worksheets/sheet1.xml';

/** Reads every row, counting them; the error it fails with, if any. */
async function read(
  source: string | Buffer,
  options: XlsxReadOptions = {},
): Promise<{ rows: number; error?: Error }> {
  let rows = 0;
  try {
    for await (const _row of readXlsxRows(source, options)) rows++;
    return { rows };
  } catch (error) {
    return { rows, error: error as Error };
  }
}

const limits = (lower: Partial<XlsxLimits>): XlsxLimits => ({ ...DEFAULT_XLSX_LIMITS, ...lower });

// Each bomb inflates to hundreds of MiB: a reader that trusts it takes minutes or gigabytes, so the
// generous timeout only bounds a reader that is wrong; the right one takes a second or two.
jest.setTimeout(60_000);

describe('xlsx limits: bombs are refused while they inflate, naming the limit', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'xlsx-limits-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('refuses 500 MiB of zeros in a 520 kB file by its compression ratio, from a file and from memory', async () => {
    const bomb = xlsxBombs.zeros();
    expect(bomb.length).toBeLessThan(600 * 1024);
    const path = join(dir, 'zeros.xlsx');
    await writeFile(path, bomb);
    for (const source of [path, bomb]) {
      const { error } = await read(source);
      expect(error).toBeInstanceOf(XlsxTooLarge);
      expect(error).toMatchObject({ limit: 'XLSX_MAX_COMPRESSION_RATIO' });
      expect(error?.message).toBe(
        `XLSX_TOO_LARGE: ${SHEET1} inflates to more than 100 times its compressed size, as zip bombs do (real sheets: 5 to 15 times) (limit XLSX_MAX_COMPRESSION_RATIO)`,
      );
    }
  });

  it('refuses 500 MiB of well-formed rows (16 million) after a few MiB of them', async () => {
    const { rows, error } = await read(xlsxBombs.rows());
    expect(error).toMatchObject({ limit: 'XLSX_MAX_COMPRESSION_RATIO' });
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThan(1_000_000);
  });

  it('refuses a row that never closes once it is larger than XLSX_MAX_ELEMENT_BYTES, and nesting without end the same', async () => {
    const unterminated = await read(xlsxBombs.unterminatedRow());
    expect(unterminated.error?.message).toBe(
      `XLSX_TOO_LARGE: the first row of ${SHEET1} is larger than 16 MiB (limit XLSX_MAX_ELEMENT_BYTES)`,
    );
    const nested = await read(xlsxBombs.deepNesting());
    expect(nested.error).toMatchObject({ limit: 'XLSX_MAX_ELEMENT_BYTES' });
  });

  it('reads a 200 MiB sheet holding no row in one pass: no re-scan of what it holds, nothing held', async () => {
    const before = process.memoryUsage().rss;
    expect(await read(xlsxBombs.noRows(200))).toEqual({ rows: 0 });
    // A reader that holds the sheet's text while it waits for a row to close grows by hundreds of MB.
    expect(process.memoryUsage().rss - before).toBeLessThan(150 * MIB);
  });

  it('refuses more shared strings than XLSX_MAX_SHARED_STRINGS, and shared strings larger than XLSX_MAX_SHARED_STRINGS_BYTES', async () => {
    const many = await read(xlsxBombs.sharedStrings());
    expect(many.error?.message).toBe(
      'XLSX_TOO_LARGE: xl/sharedStrings.xml holds more than 1000000 strings (limit XLSX_MAX_SHARED_STRINGS)',
    );
    const large = await read(xlsxBombs.manyParts(1, 20), {
      limits: limits({ XLSX_MAX_SHARED_STRINGS_BYTES: 8 * MIB }),
    });
    expect(large.error?.message).toBe(
      'XLSX_TOO_LARGE: xl/sharedStrings.xml inflates beyond 8 MiB (limit XLSX_MAX_SHARED_STRINGS_BYTES)',
    );
  });

  it('refuses a part larger than XLSX_MAX_ENTRY_BYTES, whatever the zip declares', async () => {
    const bomb = xlsxBombs.noRows(20);
    // The sizes the central directory and the local header declare, forged to a few bytes.
    const forged = Buffer.from(bomb);
    for (let at = forged.indexOf('PK\x01\x02'); at >= 0; at = forged.indexOf('PK\x01\x02', at + 4))
      forged.writeUInt32LE(100, at + 24);
    for (let at = forged.indexOf('PK\x03\x04'); at >= 0; at = forged.indexOf('PK\x03\x04', at + 4))
      forged.writeUInt32LE(100, at + 22);
    const { error } = await read(forged, { limits: limits({ XLSX_MAX_ENTRY_BYTES: 8 * MIB }) });
    expect(error?.message).toBe(
      `XLSX_TOO_LARGE: ${SHEET1} inflates beyond 8 MiB (limit XLSX_MAX_ENTRY_BYTES)`,
    );
  });

  it('refuses parts that together exceed XLSX_MAX_INFLATED_BYTES, or XLSX_MAX_REQUEST_INFLATED_BYTES within a request', async () => {
    const bomb = xlsxBombs.manyParts(4, 10);
    const job = await read(bomb, { allSheets: true, limits: limits({ XLSX_MAX_INFLATED_BYTES: 32 * MIB }) });
    expect(job.error?.message).toBe(
      'XLSX_TOO_LARGE: the parts of the workbook inflate beyond 32 MiB together (reading xl/worksheets/sheet3.xml) (limit XLSX_MAX_INFLATED_BYTES)',
    );
    // Within a request, at the default of 32 MiB: the shared strings alone are 40 MiB.
    const request = await read(xlsxBombs.manyParts(1, 40), { inRequest: true });
    expect(request.error?.message).toBe(
      'XLSX_TOO_LARGE: the parts of the workbook inflate beyond 32 MiB together (reading xl/sharedStrings.xml) (limit XLSX_MAX_REQUEST_INFLATED_BYTES)',
    );
  });

  it('refuses a cell past column XFD, and a zip directory said to lie past the end of the file', async () => {
    const farCell = zipOf({
      'xl/workbook.xml': '<workbook><sheets><sheet name="A" sheetId="1"/></sheets></workbook>',
      [SHEET1]: '<worksheet><sheetData><row r="1"><c r="MWLQKWU1"><v>1</v></c></row></sheetData></worksheet>',
    });
    expect((await read(farCell)).error?.message).toBe(
      'The .xlsx file has a cell beyond column XFD, the last column a worksheet has',
    );
    const forged = Buffer.from(farCell);
    forged.writeUInt32LE(0xfffffff0, forged.length - 22 + 12);
    const { error } = await read(forged);
    expect(error).toBeInstanceOf(UnreadableWorkbook);
    expect(error?.message).toBe(
      'The .xlsx file is damaged or incomplete (its zip directory lies past its end)',
    );
  });

  const realFiles = [
    'clues-hidalgo-202501-ssa.xlsx',
    'clues-hidalgo-202501-imb.xlsx',
    'demanda-2025-2026.xlsx',
    'demanda-2027-2028.xlsx',
  ];
  (existsSync(DATA) ? it : it.skip)(
    'reads the real government files whole at the default limits',
    async () => {
      const rows = await Promise.all(realFiles.map((name) => read(join(DATA, name), { allSheets: true })));
      expect(rows).toEqual([{ rows: 512 }, { rows: 513 }, { rows: 3904 }, { rows: 3840 }]);
    },
  );
});

describe('XlsxLimitsConfig', () => {
  it('has the defaults the readers use, and reads each limit from the environment', () => {
    const config = validateConfig(XlsxLimitsConfig, {
      XLSX_MAX_ENTRY_BYTES: '134217728',
      XLSX_MAX_COMPRESSION_RATIO: '50',
    });
    const xlsxDefaults = Object.fromEntries(Object.entries(DEFAULT_XLSX_LIMITS).filter(([k]) => k.startsWith('XLSX_')));
    expect(config).toMatchObject({
      ...xlsxDefaults,
      XLSX_MAX_ENTRY_BYTES: 128 * MIB,
      XLSX_MAX_COMPRESSION_RATIO: 50,
    });
    expect(DEFAULT_XLSX_LIMITS).toMatchObject({
      XLSX_MAX_ENTRY_BYTES: 256 * MIB,
      XLSX_MAX_INFLATED_BYTES: 512 * MIB,
      XLSX_MAX_REQUEST_INFLATED_BYTES: 32 * MIB,
      XLSX_MAX_COMPRESSION_RATIO: 100,
      XLSX_MAX_SHARED_STRINGS: 1_000_000,
      XLSX_MAX_SHARED_STRINGS_BYTES: 64 * MIB,
      XLSX_MAX_ELEMENT_BYTES: 16 * MIB,
    });
  });

  it('refuses a limit that is not a number in range, saying what it expects', () => {
    expect(() =>
      validateConfig(XlsxLimitsConfig, { XLSX_MAX_INFLATED_BYTES: '512MB', XLSX_MAX_COMPRESSION_RATIO: '1' }),
    ).toThrow(ConfigValidationError);
    expect(() => validateConfig(XlsxLimitsConfig, { XLSX_MAX_COMPRESSION_RATIO: '1' })).toThrow(
      'XLSX_MAX_COMPRESSION_RATIO="1": expected a whole number from 10 to 10000',
    );
  });
});
