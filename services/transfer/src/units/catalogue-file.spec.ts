import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_XLSX_LIMITS } from '@imb/platform';
import { zipOf } from '@imb/testing';
import { checkCatalogueFile, detectDelimiter, estimateRows, looksUtf8, readCatalogueRows, SheetRow } from './catalogue-file';
import { OneWriteBehind } from './units-import.processor';

describe('catalogue files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'units-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: Buffer | string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const check = (path: string, format: 'xlsx' | 'csv', content: Buffer | string) => checkCatalogueFile(path, format, Buffer.byteLength(content));

  it('accepts a zip holding a workbook as .xlsx and reads the row count it declares', async () => {
    const content = zipOf({
      '[Content_Types].xml': '<Types/>',
      'xl/workbook.xml': '<workbook/>',
      'xl/worksheets/sheet1.xml': '<worksheet><dimension ref="A1:BO512"/><sheetData></sheetData></worksheet>',
    });
    const path = file('ok.xlsx', content);
    await expect(check(path, 'xlsx', content)).resolves.toBeUndefined();
    await expect(estimateRows(path, 'xlsx')).resolves.toBe(512);
  });

  it('refuses binary garbage, other zips, old .xls files and empty files, saying what they are', async () => {
    const garbage = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    await expect(check(file('g.xlsx', garbage), 'xlsx', garbage)).rejects.toThrow(/not an .xlsx workbook/);
    await expect(check(file('g.csv', garbage), 'csv', garbage)).rejects.toThrow(/not text/);
    const other = zipOf({ 'word/document.xml': '<document/>' });
    await expect(check(file('doc.xlsx', other), 'xlsx', other)).rejects.toThrow(/not an Excel workbook/);
    await expect(check(file('doc.csv', other), 'csv', other)).rejects.toThrow(/zip archive/);
    const truncated = other.subarray(0, 40);
    await expect(check(file('cut.xlsx', truncated), 'xlsx', truncated)).rejects.toThrow(/damaged or incomplete/);
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(100, 1)]);
    await expect(check(file('old.xlsx', ole), 'xlsx', ole)).rejects.toThrow(/\.xls\)/);
    await expect(check(file('empty.csv', ''), 'csv', '')).rejects.toThrow(/empty/);
  });

  it('reads a CSV in UTF-8 or Windows-1252, with its delimiter, numbering rows as a spreadsheet does', async () => {
    const text = 'CLUES;NOMBRE DE LA UNIDAD\r\nHGSSA000016;ACATLÁN\r\n\r\nHGSSA000021;"ALCHOLOYA; EL SALTO"\r\n';
    for (const [name, bytes] of [
      ['utf8.csv', Buffer.from(text, 'utf8')],
      ['latin1.csv', Buffer.from(text, 'latin1')],
    ] as const) {
      const path = file(name, bytes);
      const rows: SheetRow[] = [];
      for await (const batch of readCatalogueRows(path, 'csv', DEFAULT_XLSX_LIMITS)) rows.push(...batch);
      expect(rows.map((r) => [r.row, r.cells])).toEqual([
        [1, ['CLUES', 'NOMBRE DE LA UNIDAD']],
        [2, ['HGSSA000016', 'ACATLÁN']],
        [3, ['']],
        [4, ['HGSSA000021', 'ALCHOLOYA; EL SALTO']],
      ]);
      await expect(estimateRows(path, 'csv')).resolves.toBe(4);
    }
  });

  it('says where a CSV stops being readable', async () => {
    const path = file('open-quote.csv', 'CLUES,NOMBRE\nHGSSA000016,"ACATLAN\n');
    const read = async () => {
      for await (const _ of readCatalogueRows(path, 'csv', DEFAULT_XLSX_LIMITS)) void _;
    };
    await expect(read()).rejects.toThrow(/could not be read after row 1/);
  });

  it('detects delimiters and encodings', () => {
    expect(detectDelimiter('CLUES,NOMBRE,LATITUD')).toBe(',');
    expect(detectDelimiter('CLUES|NOMBRE|LATITUD')).toBe('|');
    expect(detectDelimiter('CLUES\tNOMBRE')).toBe('\t');
    expect(looksUtf8(Buffer.from('ACATLÁN', 'utf8'))).toBe(true);
    expect(looksUtf8(Buffer.from('ACATLÁN', 'utf8').subarray(0, 7))).toBe(true); // cut inside "Á"
    expect(looksUtf8(Buffer.from('ACATLÁN', 'latin1'))).toBe(false);
  });
});

describe('OneWriteBehind', () => {
  it('runs one write at a time and surfaces a failed write at the next start', async () => {
    const writes = new OneWriteBehind();
    const order: string[] = [];
    let release!: () => void;
    await writes.start(() => new Promise<void>((r) => (release = r)).then(() => void order.push('a')));
    const second = writes.start(async () => void order.push('b'));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    release();
    await second;
    await writes.drain();
    expect(order).toEqual(['a', 'b']);
    await writes.start(() => Promise.reject(new Error('disk full')));
    await expect(writes.start(async () => undefined)).rejects.toThrow('disk full');
    await expect(writes.settle()).resolves.toBeUndefined();
  });
});
