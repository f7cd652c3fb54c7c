import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { pipeline, Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createInflateRaw } from 'node:zlib';

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

/** The file could not be read as a workbook; the message says why. */
export class UnreadableWorkbook extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableWorkbook';
  }
}

/**
 * Streams the rows of an .xlsx workbook's sheets (the first only, unless `allSheets`): the zip
 * entries are inflated with node's zlib and each sheet's XML is scanned row by row as it inflates,
 * so memory stays flat as files grow; only the shared strings are held in memory. It reads the
 * plain grids that imports take (values, shared, inline and rich strings, cached formula results),
 * not styles, so a date-formatted number stays a number.
 *
 * Why not exceljs' streaming reader, which the project used first: it decodes each inflated chunk
 * on its own, so a multi-byte character split between two chunks comes out as U+FFFD (exceljs
 * issues 2063, 2084 and 2316, open), which garbled real descriptions of the 2027-2028 demand
 * annex; and it was about ten times slower. exceljs still writes the exports and reads the small
 * bid and reference-list workbooks whole.
 */
export async function* readXlsxRows(
  path: string,
  options: { allSheets?: boolean } = {},
): AsyncGenerator<XlsxSheetRow> {
  let row = 0;
  try {
    const zip = await ZipEntries.open(path);
    const sheets = await sheetPaths(zip);
    const strings = zip.has('xl/sharedStrings.xml')
      ? sharedStrings(await zip.text('xl/sharedStrings.xml'))
      : [];
    for (const [i, sheet] of (options.allSheets ? sheets : sheets.slice(0, 1)).entries()) {
      for await (const r of sheetRows(zip.stream(sheet), strings)) {
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

// ---- zip ----

interface ZipEntry {
  method: number;
  compressedSize: number;
  localHeader: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;

/** The entries of a zip archive, from its central directory; each read from the file on demand. */
class ZipEntries {
  private constructor(
    private readonly path: string,
    private readonly entries: Map<string, ZipEntry>,
  ) {}

  static async open(path: string): Promise<ZipEntries> {
    const file = await open(path, 'r');
    try {
      const read = async (position: number, length: number) => {
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await file.read(buffer, 0, length, position);
        return buffer.subarray(0, bytesRead);
      };
      const { size } = await file.stat();
      const tail = await read(Math.max(0, size - 22 - 0xffff), Math.min(size, 22 + 0xffff));
      let end = tail.length - 22;
      while (end >= 0 && tail.readUInt32LE(end) !== END_OF_DIRECTORY) end--;
      if (end < 0)
        throw new UnreadableWorkbook(
          'The .xlsx file is damaged or incomplete (its zip directory cannot be read)',
        );
      const directory = await read(tail.readUInt32LE(end + 16), tail.readUInt32LE(end + 12));
      const entries = new Map<string, ZipEntry>();
      for (let at = 0, i = tail.readUInt16LE(end + 10); i > 0; i--) {
        if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY) {
          throw new UnreadableWorkbook('The .xlsx file is damaged (its zip directory is inconsistent)');
        }
        const nameLength = directory.readUInt16LE(at + 28);
        const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
        const entry = {
          method: directory.readUInt16LE(at + 10),
          compressedSize: directory.readUInt32LE(at + 20),
          localHeader: directory.readUInt32LE(at + 42),
        };
        // Zip64 (sizes or offsets of 0xffffffff) is for archives far larger than an annex.
        if (entry.compressedSize === 0xffffffff || entry.localHeader === 0xffffffff)
          throw new UnreadableWorkbook(`The .xlsx file's entry ${name} is too large`);
        entries.set(name, entry);
        at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
      }
      // Where each entry's data starts: after its local header, whose name and extra field may differ from the directory's.
      for (const entry of entries.values()) {
        const header = await read(entry.localHeader, 30);
        if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_FILE_HEADER)
          throw new UnreadableWorkbook('The .xlsx file is damaged (a zip entry header is missing)');
        entry.localHeader += 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      }
      return new ZipEntries(path, entries);
    } finally {
      await file.close();
    }
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entry's content, uncompressed, as a stream of bytes. */
  stream(name: string): Readable {
    const entry = this.entries.get(name);
    if (!entry) throw new UnreadableWorkbook(`The .xlsx file has no ${name}`);
    if (entry.method !== 0 && entry.method !== 8)
      throw new UnreadableWorkbook(`The .xlsx file's ${name} uses an unknown compression (${entry.method})`);
    const raw = createReadStream(this.path, {
      start: entry.localHeader,
      end: entry.localHeader + entry.compressedSize - 1,
      highWaterMark: 256 * 1024,
    });
    if (entry.method === 0) return raw;
    // Either stream failing or closed early (the reader stopped) destroys the other.
    return pipeline(raw, createInflateRaw({ chunkSize: 256 * 1024 }), () => undefined);
  }

  async text(name: string): Promise<string> {
    const chunks: Buffer[] = [];
    for await (const chunk of this.stream(name)) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks).toString('utf8');
  }
}

// ---- workbook ----

const attribute = (tag: string, pattern: RegExp): string | undefined => pattern.exec(tag)?.[1];
const REL_ID = /\s\w+:id="([^"]*)"/;
const ID = /\sId="([^"]*)"/;
const TARGET = /\sTarget="([^"]*)"/;
const TYPE = /\sType="([^"]*)"/;

/** The paths inside the zip of the workbook's sheets, in the workbook's order. */
async function sheetPaths(zip: ZipEntries): Promise<string[]> {
  const workbook = withoutElementPrefixes(await zip.text('xl/workbook.xml'));
  const sheets = workbook.match(/<sheet\s[^>]*>/g) ?? [];
  const rels = zip.has('xl/_rels/workbook.xml.rels')
    ? withoutElementPrefixes(await zip.text('xl/_rels/workbook.xml.rels'))
    : '';
  const targets = new Map<string, { target: string; type: string }>();
  for (const rel of rels.match(/<Relationship\s[^>]*>/g) ?? []) {
    const id = attribute(rel, ID);
    if (id !== undefined)
      targets.set(id, { target: decodeXml(attribute(rel, TARGET) ?? ''), type: attribute(rel, TYPE) ?? '' });
  }
  const paths: string[] = [];
  for (const [i, sheet] of sheets.entries()) {
    const rel = targets.get(attribute(sheet, REL_ID) ?? '');
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

/**
 * The XML with element names unprefixed (`<x:row>` → `<row>`), as some writers (the Open XML
 * SDK) namespace every element; the scanners below look for plain names. Attributes and text are
 * untouched (`<` never appears unescaped in text).
 */
function withoutElementPrefixes(xml: string): string {
  return xml.replace(/<(\/?)[A-Za-z_][\w.-]*:/g, '<$1');
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

/** The text of `<t>` elements of a string item (runs of rich text joined; phonetic runs left out). */
function stringItemText(xml: string): string {
  const body = xml.includes('<rPh') ? xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '') : xml;
  let text = '';
  for (const m of body.matchAll(/<t(?:\s[^>]*)?>([^<]*)<\/t>/g)) text += m[1];
  return unescapeExcel(decodeXml(text));
}

function sharedStrings(xml: string): string[] {
  const strings: string[] = [];
  for (const m of withoutElementPrefixes(xml).matchAll(/<si(?:\s[^>]*)?\/>|<si(?:\s[^>]*)?>([\s\S]*?)<\/si>/g))
    strings.push(m[1] === undefined ? '' : stringItemText(m[1]));
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

/** A cell's value as the sheet stores it (the cached result of a formula); undefined when blank. */
function cellOf(type: string | undefined, body: string, strings: readonly string[]): unknown {
  if (type === 'inlineStr') {
    const is = /<is>([\s\S]*?)<\/is>/.exec(body);
    return is ? stringItemText(is[1]) : null;
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
    if (value !== undefined) cells[column] = value;
    at = end + 4;
  }
  return cells;
}

/** The rows of a sheet's XML as it inflates: complete `<row>` elements are parsed, the rest waits for the next chunk. */
async function* sheetRows(xml: Readable, strings: readonly string[]): AsyncGenerator<XlsxRow> {
  const decoder = new StringDecoder('utf8');
  let prefixed: boolean | undefined;
  let pending = '';
  let previous = 0;
  const rowsIn = function* (text: string): Generator<XlsxRow> {
    for (let at = text.indexOf('<row'); at >= 0; at = text.indexOf('<row', at)) {
      const tagEnd = text.indexOf('>', at);
      if (tagEnd < 0) break;
      const next = text.charCodeAt(at + 4);
      if (next !== 32 && next !== 62 && next !== 47) {
        at = tagEnd; // another element starting with <row
        continue;
      }
      previous = Number(attribute(text.slice(at, tagEnd), ROW_NUMBER) ?? previous + 1);
      if (text.charCodeAt(tagEnd - 1) === 47) {
        yield { row: previous, cells: [] }; // <row …/>
        at = tagEnd;
        continue;
      }
      const end = text.indexOf('</row>', tagEnd);
      if (end < 0) break;
      yield { row: previous, cells: cellsOf(text.slice(tagEnd + 1, end), strings) };
      at = end + 6;
    }
  };
  for await (const chunk of xml) {
    pending += decoder.write(chunk as Buffer);
    // Decided on the first chunk, which holds the root element; the rest is unprefixed as it comes.
    prefixed ??= /<[A-Za-z_][\w.-]*:worksheet\b/.test(pending.slice(0, 4096));
    if (prefixed) pending = withoutElementPrefixes(pending);
    const end = pending.lastIndexOf('</row>');
    if (end < 0) continue;
    const complete = pending.slice(0, end + 6);
    pending = pending.slice(end + 6);
    yield* rowsIn(complete);
  }
  yield* rowsIn(prefixed ? withoutElementPrefixes(pending + decoder.end()) : pending + decoder.end());
}
