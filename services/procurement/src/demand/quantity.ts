/**
 * Quantities (pieces) as the annexes publish them: numbers, or text with thousands separators
 * and stray spaces ("1,234 ", " 12 500", "1.234.567"). Blank cells and a lone dash mean zero.
 */

/** A whole number of pieces, or the reason the cell is not one. */
export type ParsedQuantity = { value: number } | { problem: string };

const SPACES = /[\s\u00a0\u2007\u202f]+/g;
const GROUPED_COMMA = /^\d{1,3}(,\d{3})+$/;
const GROUPED_DOT = /^\d{1,3}(\.\d{3}){2,}$/;
const GROUPED_SPACE = /^\d{1,3}( \d{3})+$/;

/** Text of a cell value as exceljs gives it (plain, rich text, formula result, shared string). */
export function cellValue(cell: unknown): unknown {
  if (cell && typeof cell === 'object' && !(cell instanceof Date)) {
    const c = cell as { result?: unknown; richText?: { text: string }[]; text?: unknown; error?: unknown };
    if ('formula' in c || 'sharedFormula' in c) return c.result ?? null;
    if (Array.isArray(c.richText)) return c.richText.map((r) => r.text).join('');
    if (c.error !== undefined) return null;
    if (c.text !== undefined) return c.text;
  }
  return cell;
}

/** A plain cell value as text ('' for blanks and anything that is not a scalar). */
function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) return v.toISOString();
  return '';
}

/** The cell as trimmed text ('' when blank). */
export function cellText(cell: unknown): string {
  return scalarText(cellValue(cell)).replace(SPACES, ' ').trim();
}

/** Parses one quantity cell. */
export function parseQuantity(cell: unknown): ParsedQuantity {
  const v = cellValue(cell);
  if (v === null || v === undefined) return { value: 0 };
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return { problem: `${v} is not a number of pieces` };
    if (!Number.isInteger(v)) return { problem: `${v} is not a whole number of pieces` };
    if (v < 0) return { problem: `${v} is negative` };
    return { value: v };
  }
  const text = scalarText(v).replace(SPACES, ' ').trim();
  if (text === '' || text === '-') return { value: 0 };
  let digits: string;
  if (/^\d+$/.test(text)) digits = text;
  else if (GROUPED_COMMA.test(text)) digits = text.replace(/,/g, '');
  else if (GROUPED_SPACE.test(text)) digits = text.replace(/ /g, '');
  else if (GROUPED_DOT.test(text)) digits = text.replace(/\./g, '');
  else if (/^\d+(\.0+)?$/.test(text)) digits = text.split('.')[0];
  else if (/^\d{1,3}(,\d{3})+\.0+$/.test(text)) digits = text.split('.')[0].replace(/,/g, '');
  else return { problem: `"${text.slice(0, 40)}" is not a whole number of pieces (digits with optional thousands separators)` };
  const value = Number(digits);
  if (!Number.isSafeInteger(value)) return { problem: `"${text.slice(0, 40)}" is too large` };
  return { value };
}
