import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { DEFAULT_XLSX_LIMITS, XlsxLimits } from './xlsx-limits';
import { sizeText, UnreadableWorkbook, XlsxTooLarge, ZipEntries } from './xlsx-zip';

export { UnreadableWorkbook, XlsxTooLarge } from './xlsx-zip';

/** A row of a sheet: its number (1-based, as the sheet numbers it) and its cells, `cells[0]` being column A. */
export interface XlsxRow {
  row: number;
  /** A number, a string, a boolean, a Date (cells typed as dates), or null (an error, or a formula never calculated); blank cells are absent. */
  cells: unknown[];
}

/** A row with the sheet it belongs to (1-based, in the workbook's order). */
export interface XlsxSheetRow extends XlsxRow {
  sheet: number;
}

/** How {@link readXlsxRows} reads a workbook. */
export interface XlsxReadOptions {
  /** Every sheet, in the workbook's order; only the first when false (the default). */
  allSheets?: boolean;
  /** The limits to read under (the settings of XlsxLimitsConfig); its defaults when absent. */
  limits?: XlsxLimits;
  /**
   * The rows are read within an HTTP request and held in memory together: the parts may then
   * inflate to XLSX_MAX_REQUEST_INFLATED_BYTES together, instead of XLSX_MAX_INFLATED_BYTES.
   */
  inRequest?: boolean;
}

const WORKBOOK = 'xl/workbook.xml';
const WORKBOOK_RELS = 'xl/_rels/workbook.xml.rels';
const SHARED_STRINGS = 'xl/sharedStrings.xml';

/**
 * Streams the rows of an .xlsx workbook's sheets (the first only, unless `allSheets`), from a
 * file or from bytes in memory: the zip entries are inflated with node's zlib and each part's XML
 * is cut into elements (rows, shared strings) as it inflates, each character scanned once, so
 * memory stays flat as files grow; only the shared strings are held in memory. Every limit of
 * `limits` is enforced as the bytes come: crossing one fails with {@link XlsxTooLarge} naming it,
 * an unreadable file with {@link UnreadableWorkbook}. It reads the plain grids that imports take
 * (values, shared, inline and rich strings, cached formula results), not styles, so a
 * date-formatted number stays a number.
 *
 * Why not exceljs, which the project used first: its streaming reader decodes each inflated chunk
 * on its own, so a multi-byte character split between two chunks comes out as U+FFFD (exceljs
 * issues 2063, 2084 and 2316, open), which garbled real descriptions of the 2027-2028 demand
 * annex, and it was about ten times slower; its in-memory reader inflates every part whole and
 * takes about 17 times the workbook's inflated size in memory (a list of 100,000 CURPs: 273 MB,
 * 7 s). exceljs still writes the exports.
 */
export async function* readXlsxRows(source: string | Buffer, options: XlsxReadOptions = {}): AsyncGenerator<XlsxSheetRow> {
  const limits = options.limits ?? DEFAULT_XLSX_LIMITS;
  let row = 0;
  try {
    const zip = await ZipEntries.open(source, limits, options.inRequest ? 'XLSX_MAX_REQUEST_INFLATED_BYTES' : 'XLSX_MAX_INFLATED_BYTES');
    const sheets = await sheetPaths(zip, limits);
    const strings = zip.has(SHARED_STRINGS) ? await sharedStrings(zip, limits) : [];
    for (const [i, sheet] of (options.allSheets ? sheets : sheets.slice(0, 1)).entries()) {
      for await (const r of sheetRows(zip.stream(sheet), sheet, strings, limits)) {
        row = r.row;
        yield { sheet: i + 1, row: r.row, cells: r.cells };
      }
    }
  } catch (err) {
    if (err instanceof UnreadableWorkbook) throw err;
    throw new UnreadableWorkbook(
      `The .xlsx workbook could not be read${row ? ` after row ${row}` : ''}: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

// ---- elements ----

/** Whether the character code ends an element name: white space, `>` or `/`. */
const endsName = (c: number) => c === 32 || c === 62 || c === 47 || c === 10 || c === 9 || c === 13;

/**
 * Cuts XML text, given chunk by chunk, into whole elements named `<prefix><name>` (`<row …>…</row>`
 * or `<row …/>`), ignoring everything between them. Each character is scanned once, but for the
 * few around a chunk's end that may hold a cut tag: an element that never closes costs time in
 * proportion to its length, and fails with `tooLong()` once longer than `maxLength` characters.
 */
class ElementSplitter {
  private readonly open: string;
  private readonly close: string;
  /** The end of the previous chunk: what may begin a start tag, or the last characters of an unfinished element. */
  private carry = '';
  /** The unfinished element but its last characters (in `carry`). */
  private parts: string[] = [];
  private partsLength = 0;
  private inside = false;
  private startTagRead = false;

  constructor(
    name: string,
    prefix: string,
    private readonly maxLength: number,
    private readonly tooLong: () => Error,
  ) {
    this.open = `<${prefix}${name}`;
    this.close = `</${prefix}${name}>`;
  }

  /** The elements `chunk` completes, in order. */
  feed(chunk: string): string[] {
    const text = this.carry + chunk;
    this.carry = '';
    const elements: string[] = [];
    // Where the current element starts in `text` (0 when it began in an earlier chunk), and where scanning resumes.
    let start = 0;
    let at = 0;
    for (;;) {
      if (!this.inside) {
        let found = text.indexOf(this.open, at);
        // Another element whose name starts the same (<rowBreaks>, <sheets>).
        while (found >= 0 && found + this.open.length < text.length && !endsName(text.charCodeAt(found + this.open.length)))
          found = text.indexOf(this.open, found + 1);
        if (found < 0) {
          this.carry = text.slice(Math.max(at, text.length - this.open.length + 1));
          return elements;
        }
        if (found + this.open.length === text.length) {
          this.carry = text.slice(found);
          return elements;
        }
        this.inside = true;
        this.startTagRead = false;
        start = found;
        at = found + this.open.length;
      }
      if (!this.startTagRead) {
        const tagEnd = text.indexOf('>', at);
        if (tagEnd < 0) return this.hold(text, start, elements);
        this.startTagRead = true;
        at = tagEnd + 1;
        if (text.charCodeAt(tagEnd - 1) === 47) {
          elements.push(this.take(text, start, at)); // <row …/>
          continue;
        }
      }
      const end = text.indexOf(this.close, at);
      if (end < 0) return this.hold(text, start, elements);
      at = end + this.close.length;
      elements.push(this.take(text, start, at));
    }
  }

  /** Keeps the unfinished element from `start`: its last characters in `carry`, as the chunk's end may cut its closing tag. */
  private hold(text: string, start: number, elements: string[]): string[] {
    const kept = Math.max(start, text.length - this.close.length + 1);
    this.parts.push(text.slice(start, kept));
    this.partsLength += kept - start;
    this.carry = text.slice(kept);
    if (this.partsLength + this.carry.length > this.maxLength) throw this.tooLong();
    return elements;
  }

  private take(text: string, start: number, end: number): string {
    const piece = text.slice(start, end);
    const element = this.parts.length ? this.parts.join('') + piece : piece;
    this.parts = [];
    this.partsLength = 0;
    this.inside = false;
    if (element.length > this.maxLength) throw this.tooLong();
    return element;
  }
}

/** The root element's name with its namespace prefix, if any (`<x:worksheet` → `x:`); the XML declaration and comments are not elements. */
const ROOT = /<([A-Za-z_][\w.-]*:)?[A-Za-z_][\w.-]*[\s/>]/;
/** How far into a part its root element is looked for. */
const ROOT_SEARCH = 64 * 1024;

/**
 * The elements `name` of a part's XML as it inflates, a chunk's worth at a time (one await per
 * chunk, not per element, keeps a million shared strings cheap), element names unprefixed
 * (`<x:row>` → `<row>`), as some writers (the Open XML SDK) namespace every element and the
 * scanners below look for plain names. The prefix is the root element's.
 */
async function* elementsOf(part: Readable, name: string, maxLength: number, tooLong: () => XlsxTooLarge): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let splitter: ElementSplitter | undefined;
  let prefixed = false;
  let head = '';
  const complete = (text: string) => {
    const elements = splitter!.feed(text);
    return prefixed ? elements.map(withoutElementPrefixes) : elements;
  };
  const start = (text: string) => {
    const prefix = ROOT.exec(text)?.[1] ?? '';
    prefixed = prefix !== '';
    splitter = new ElementSplitter(name, prefix, maxLength, tooLong);
  };
  for await (const chunk of part) {
    const text = decoder.write(chunk as Buffer);
    if (splitter) {
      yield complete(text);
      continue;
    }
    head += text;
    if (head.length < ROOT_SEARCH && !ROOT.test(head)) continue;
    start(head);
    yield complete(head);
    head = '';
  }
  const rest = head + decoder.end();
  if (!splitter) start(rest);
  yield complete(rest);
}

/** The XML with element names unprefixed (`<x:row>` → `<row>`); attributes and text are untouched (`<` never appears unescaped in text). */
function withoutElementPrefixes(xml: string): string {
  return xml.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1');
}

/** The start tag of an element (`<sheet name="…" …/>` of `<sheet …>…</sheet>`). */
const startTag = (element: string) => element.slice(0, element.indexOf('>') + 1);

// ---- workbook ----

const attribute = (tag: string, pattern: RegExp): string | undefined => pattern.exec(tag)?.[1];
const REL_ID = /\s\w+:id="([^"]*)"/;
const ID = /\sId="([^"]*)"/;
const TARGET = /\sTarget="([^"]*)"/;
const TYPE = /\sType="([^"]*)"/;

/** The paths inside the zip of the workbook's sheets, in the workbook's order. */
async function sheetPaths(zip: ZipEntries, limits: XlsxLimits): Promise<string[]> {
  const tooLong = (part: string) => () =>
    new XlsxTooLarge('XLSX_MAX_ELEMENT_BYTES', `an element of ${part} is larger than ${sizeText(limits.XLSX_MAX_ELEMENT_BYTES)}`);
  const sheets: (string | undefined)[] = [];
  for await (const batch of elementsOf(zip.stream(WORKBOOK), 'sheet', limits.XLSX_MAX_ELEMENT_BYTES, tooLong(WORKBOOK)))
    for (const sheet of batch) {
      // Each sheet is a part of the zip: a workbook that lists more is damaged, and could list them without end.
      if (sheets.length === zip.size)
        throw new UnreadableWorkbook(`The .xlsx file is damaged (its ${WORKBOOK} lists more sheets than the file holds parts)`);
      sheets.push(attribute(startTag(sheet), REL_ID));
    }
  // Only the sheets' relationships are kept, however many the part holds.
  const wanted = new Set(sheets);
  const targets = new Map<string, { target: string; type: string }>();
  if (zip.has(WORKBOOK_RELS))
    for await (const batch of elementsOf(zip.stream(WORKBOOK_RELS), 'Relationship', limits.XLSX_MAX_ELEMENT_BYTES, tooLong(WORKBOOK_RELS)))
      for (const rel of batch) {
        const tag = startTag(rel);
        const id = attribute(tag, ID);
        if (id !== undefined && wanted.has(id))
          targets.set(id, { target: decodeXml(attribute(tag, TARGET) ?? ''), type: attribute(tag, TYPE) ?? '' });
      }
  const paths: string[] = [];
  for (const [i, relId] of sheets.entries()) {
    const rel = targets.get(relId ?? '');
    if (!rel) paths.push(`xl/worksheets/sheet${i + 1}.xml`);
    // Chart sheets and dialog sheets hold no cells.
    else if (!rel.type.endsWith('/worksheet')) continue;
    else
      paths.push(
        rel.target.startsWith('/') ? rel.target.slice(1) : posix.normalize(posix.join('xl', rel.target)),
      );
  }
  if (!paths.length) throw new UnreadableWorkbook('The .xlsx file has no worksheet');
  return paths;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text of XML character data: entities and character references resolved. */
function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (whole, ref: string) => {
    if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
    return String.fromCodePoint(ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10));
  });
}

/** Excel's escapes of characters XML cannot carry in text: `_x000D_` is a carriage return, `_x005F_` an underscore. */
function unescapeExcel(text: string): string {
  return text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    : text;
}

/**
 * The text of the `<t>` elements of a string item (runs of rich text joined; phonetic runs left
 * out), in one pass: an item may be megabytes of hostile XML, on which a backtracking pattern
 * would take quadratic time.
 */
function stringItemText(xml: string): string {
  let text = '';
  for (let at = xml.indexOf('<'); at >= 0; at = xml.indexOf('<', at)) {
    if (xml.startsWith('<rPh', at) && endsName(xml.charCodeAt(at + 4))) {
      const end = xml.indexOf('</rPh>', at);
      if (end < 0) break;
      at = end + 6;
    } else if (xml.charCodeAt(at + 1) === 116 && endsName(xml.charCodeAt(at + 2))) {
      const tagEnd = xml.indexOf('>', at);
      if (tagEnd < 0) break;
      at = tagEnd + 1;
      if (xml.charCodeAt(tagEnd - 1) === 47) continue; // <t/>
      const end = xml.indexOf('</t>', at);
      if (end < 0) break;
      text += xml.slice(at, end);
      at = end + 4;
    } else at++;
  }
  return unescapeExcel(decodeXml(text));
}

/** The shared strings, streamed from their part: at most XLSX_MAX_SHARED_STRINGS, in at most XLSX_MAX_SHARED_STRINGS_BYTES. */
async function sharedStrings(zip: ZipEntries, limits: XlsxLimits): Promise<string[]> {
  const strings: string[] = [];
  const max = limits.XLSX_MAX_SHARED_STRINGS;
  const tooLong = () =>
    new XlsxTooLarge(
      'XLSX_MAX_ELEMENT_BYTES',
      `shared string ${strings.length + 1} of ${SHARED_STRINGS} is larger than ${sizeText(limits.XLSX_MAX_ELEMENT_BYTES)}`,
    );
  const part = zip.stream(SHARED_STRINGS, 'XLSX_MAX_SHARED_STRINGS_BYTES');
  for await (const batch of elementsOf(part, 'si', limits.XLSX_MAX_ELEMENT_BYTES, tooLong))
    for (const item of batch) {
      if (strings.length === max) throw new XlsxTooLarge('XLSX_MAX_SHARED_STRINGS', `${SHARED_STRINGS} holds more than ${max} strings`);
      strings.push(stringItemText(item));
    }
  return strings;
}

// ---- sheet ----

/** 0-based column of the cell reference at `at` in `text` ("AB12" → 27); -1 when there is none. */
function columnAt(text: string, at: number): number {
  let n = 0;
  let i = at;
  for (let c = text.charCodeAt(i); c >= 65 && c <= 90; c = text.charCodeAt(++i)) n = n * 26 + (c - 64);
  return i > at ? n - 1 : -1;
}

const ROW_NUMBER = /\sr="(\d+)"/;
/** Columns of a worksheet (A to XFD). */
const MAX_COLUMNS = 16384;

/** A cell's value as the sheet stores it (the cached result of a formula); undefined when blank. */
function cellOf(type: string | undefined, body: string, strings: readonly string[]): unknown {
  if (type === 'inlineStr') {
    const open = body.indexOf('<is>');
    const close = open < 0 ? -1 : body.indexOf('</is>', open);
    return close < 0 ? null : stringItemText(body.slice(open + 4, close));
  }
  const start = body.indexOf('<v');
  const open = start < 0 ? -1 : body.indexOf('>', start);
  if (open < 0 || body.charCodeAt(open - 1) === 47) return body.includes('<f') ? null : undefined;
  const v = body.slice(open + 1, body.indexOf('</v>', open));
  if (v === '') return body.includes('<f') ? null : undefined;
  switch (type) {
    case undefined:
    case 'n':
      return Number(v);
    case 's':
      return strings[Number(v)] ?? null;
    case 'str':
      return unescapeExcel(decodeXml(v));
    case 'b':
      return v === '1';
    case 'd':
      return new Date(v);
    default: // 'e': an error such as #N/A
      return null;
  }
}

/**
 * The cells of a row's XML (`<c r="B10" t="s"><v>3</v></c>` …), scanned with indexOf: a sheet has
 * hundreds of thousands of cells, and this is most of the reading.
 */
function cellsOf(xml: string, strings: readonly string[]): unknown[] {
  const cells: unknown[] = [];
  let column = -1;
  for (let at = xml.indexOf('<c'); at >= 0; at = xml.indexOf('<c', at)) {
    const tagEnd = xml.indexOf('>', at);
    if (tagEnd < 0) break;
    const next = xml.charCodeAt(at + 2);
    if (next !== 32 && next !== 62 && next !== 47) {
      at = tagEnd; // another element starting with <c
      continue;
    }
    const tag = xml.slice(at + 2, tagEnd);
    const ref = tag.indexOf(' r="');
    const col = ref >= 0 ? columnAt(tag, ref + 4) : -1;
    column = col >= 0 ? col : column + 1;
    if (xml.charCodeAt(tagEnd - 1) === 47) {
      at = tagEnd; // <c …/>: a blank (styled) cell
      continue;
    }
    const end = xml.indexOf('</c>', tagEnd);
    if (end < 0) break;
    const t = tag.indexOf(' t="');
    const value = cellOf(
      t >= 0 ? tag.slice(t + 4, tag.indexOf('"', t + 4)) : undefined,
      xml.slice(tagEnd + 1, end),
      strings,
    );
    if (value !== undefined) {
      // A reference past XFD (up to column 2^32) would make the row an array of billions of holes to walk.
      if (column >= MAX_COLUMNS) throw new UnreadableWorkbook('The .xlsx file has a cell beyond column XFD, the last column a worksheet has');
      cells[column] = value;
    }
    at = end + 4;
  }
  return cells;
}

/** The rows of a sheet's XML as it inflates. */
async function* sheetRows(xml: Readable, part: string, strings: readonly string[], limits: XlsxLimits): AsyncGenerator<XlsxRow> {
  let previous = 0;
  const tooLong = () =>
    new XlsxTooLarge(
      'XLSX_MAX_ELEMENT_BYTES',
      `${previous ? `the row after row ${previous}` : 'the first row'} of ${part} is larger than ${sizeText(limits.XLSX_MAX_ELEMENT_BYTES)}`,
    );
  for await (const batch of elementsOf(xml, 'row', limits.XLSX_MAX_ELEMENT_BYTES, tooLong))
    for (const row of batch) {
      const tagEnd = row.indexOf('>');
      previous = Number(attribute(row.slice(0, tagEnd), ROW_NUMBER) ?? previous + 1);
      const empty = row.charCodeAt(tagEnd - 1) === 47; // <row …/>
      yield { row: previous, cells: empty ? [] : cellsOf(row.slice(tagEnd + 1, row.length - '</row>'.length), strings) };
    }
}
