import { extname } from 'node:path';
import { DomainError } from '@imb/platform';

/** The kinds of evidence file accepted, recognised by their content. */
export const DOCUMENT_KINDS = ['pdf', 'png', 'jpeg', 'xlsx', 'docx'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

interface KindInfo {
  /** How a person calls it in a message. */
  label: string;
  /** The media type the file is stored and served with. */
  mediaType: string;
  /** Media types a client may declare for it. */
  declaredAs: readonly string[];
  extensions: readonly string[];
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const ZIP_DECLARATIONS = ['application/zip', 'application/x-zip-compressed'];

export const KINDS: Record<DocumentKind, KindInfo> = {
  pdf: { label: 'a PDF document', mediaType: 'application/pdf', declaredAs: ['application/pdf', 'application/x-pdf'], extensions: ['.pdf'] },
  png: { label: 'a PNG image', mediaType: 'image/png', declaredAs: ['image/png'], extensions: ['.png'] },
  jpeg: { label: 'a JPEG image', mediaType: 'image/jpeg', declaredAs: ['image/jpeg', 'image/jpg', 'image/pjpeg'], extensions: ['.jpg', '.jpeg'] },
  xlsx: { label: 'an Excel workbook (.xlsx)', mediaType: XLSX, declaredAs: [XLSX, ...ZIP_DECLARATIONS], extensions: ['.xlsx'] },
  docx: { label: 'a Word document (.docx)', mediaType: DOCX, declaredAs: [DOCX, ...ZIP_DECLARATIONS], extensions: ['.docx'] },
};

/** Declarations that claim nothing about the content (what browsers and curl send for unknown files). */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'application/unknown']);

export const ACCEPTED_TYPES_TEXT = 'PDF, PNG, JPEG, Excel (.xlsx) or Word (.docx)';

/** How many leading bytes {@link sniffSignature} needs. */
export const SIGNATURE_BYTES = 16;

type Container = 'pdf' | 'png' | 'jpeg' | 'zip';

const SIGNATURES: ReadonlyArray<{ container: Container; bytes: readonly number[] }> = [
  { container: 'pdf', bytes: [0x25, 0x50, 0x44, 0x46, 0x2d] }, // %PDF-
  { container: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { container: 'jpeg', bytes: [0xff, 0xd8, 0xff] },
  { container: 'zip', bytes: [0x50, 0x4b, 0x03, 0x04] }, // PK\x03\x04: first local file header
];

const startsWith = (head: Buffer, bytes: readonly number[]) =>
  head.length >= bytes.length && bytes.every((b, i) => head[i] === b);

/** The container format the first bytes announce, or undefined when they announce none we accept. */
export function sniffSignature(head: Buffer): Container | undefined {
  return SIGNATURES.find((s) => startsWith(head, s.bytes))?.container;
}

// Common files people upload by mistake, named so the refusal says what was sent.
const KNOWN_REFUSED: ReadonlyArray<{ what: string; bytes: readonly number[] }> = [
  { what: 'a Windows executable', bytes: [0x4d, 0x5a] }, // MZ
  { what: 'an ELF executable', bytes: [0x7f, 0x45, 0x4c, 0x46] },
  { what: 'a legacy or password-protected Office file (.doc, .xls)', bytes: [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1] },
  { what: 'a GIF image', bytes: [0x47, 0x49, 0x46, 0x38] },
  { what: 'a RAR archive', bytes: [0x52, 0x61, 0x72, 0x21] },
  { what: 'a 7-Zip archive', bytes: [0x37, 0x7a, 0xbc, 0xaf] },
  { what: 'a gzip archive', bytes: [0x1f, 0x8b] },
];

/** A short description of content that is none of the accepted kinds. */
export function describeUnrecognised(head: Buffer): string {
  const known = KNOWN_REFUSED.find((k) => startsWith(head, k.bytes));
  if (known) return known.what;
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  return `a file starting with the bytes ${hex || '(none)'}`;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_ENTRY_SIGNATURE = 0x02014b50;
const EOCD_MIN = 22;
/** The end-of-central-directory record plus the longest possible archive comment. */
export const ZIP_TAIL_BYTES = EOCD_MIN + 0xffff;

/** Where a zip's central directory lies, read from the end of the archive. */
export interface CentralDirectoryLocation {
  offset: number;
  size: number;
}

/**
 * Finds the end-of-central-directory record in the last bytes of a zip (`tail`, ending at the end
 * of the file). Undefined when there is none, or for ZIP64 archives (no office file needs one).
 */
export function locateCentralDirectory(tail: Buffer): CentralDirectoryLocation | undefined {
  for (let at = tail.length - EOCD_MIN; at >= 0; at--) {
    if (tail.readUInt32LE(at) !== EOCD_SIGNATURE) continue;
    const commentLength = tail.readUInt16LE(at + 20);
    if (at + EOCD_MIN + commentLength !== tail.length) continue;
    const size = tail.readUInt32LE(at + 12);
    const offset = tail.readUInt32LE(at + 16);
    if (size === 0xffffffff || offset === 0xffffffff) return undefined;
    return { offset, size };
  }
  return undefined;
}

/** Names of the entries listed in a zip's central directory (stops at the first malformed entry). */
export function centralDirectoryNames(directory: Buffer): string[] {
  const names: string[] = [];
  let at = 0;
  while (at + 46 <= directory.length && directory.readUInt32LE(at) === CENTRAL_ENTRY_SIGNATURE) {
    const nameLength = directory.readUInt16LE(at + 28);
    const extraLength = directory.readUInt16LE(at + 30);
    const commentLength = directory.readUInt16LE(at + 32);
    if (at + 46 + nameLength > directory.length) break;
    names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return names;
}

/** Which office format a zip holds, from its entry names (Office Open XML packages). */
export function officeKindOf(entryNames: readonly string[]): 'xlsx' | 'docx' | undefined {
  if (!entryNames.includes('[Content_Types].xml')) return undefined;
  if (entryNames.some((n) => n.startsWith('xl/'))) return 'xlsx';
  if (entryNames.some((n) => n.startsWith('word/'))) return 'docx';
  return undefined;
}

/** Reads `length` bytes of the file at `offset` (fewer at its end). */
export type ReadAt = (offset: number, length: number) => Promise<Buffer>;

/** Largest central directory read to tell an .xlsx from a .docx; office files list far fewer entries. */
const MAX_CENTRAL_DIRECTORY_BYTES = 4 * 1024 * 1024;

/**
 * The kind of a file, judged by its content only: its signature, and for zip containers the
 * entries of the package. Throws a 415 saying what the file is when it is none of the accepted kinds.
 */
export async function identifyDocument(size: number, readAt: ReadAt): Promise<DocumentKind> {
  const head = await readAt(0, SIGNATURE_BYTES);
  const container = sniffSignature(head);
  if (container === undefined) throw unsupported(describeUnrecognised(head));
  if (container !== 'zip') return container;
  const tailLength = Math.min(size, ZIP_TAIL_BYTES);
  const location = locateCentralDirectory(await readAt(size - tailLength, tailLength));
  const kind =
    location && location.size <= MAX_CENTRAL_DIRECTORY_BYTES && location.offset + location.size <= size
      ? officeKindOf(centralDirectoryNames(await readAt(location.offset, location.size)))
      : undefined;
  if (!kind) throw unsupported('a zip archive that is neither an Excel workbook nor a Word document');
  return kind;
}

function unsupported(what: string): DomainError {
  return new DomainError(
    'UNSUPPORTED_DOCUMENT_TYPE',
    `The file is ${what}; evidence documents must be ${ACCEPTED_TYPES_TEXT} (recognised by their content).`,
    415,
  );
}

/**
 * Refuses a file whose declared media type or file name extension says something other than its
 * content (e.g. an image uploaded as `acta.pdf`). A generic declaration such as
 * application/octet-stream and a name without extension claim nothing and pass.
 */
export function checkDeclaredType(kind: DocumentKind, declaredMediaType: string | undefined, fileName: string | undefined): void {
  const info = KINDS[kind];
  const declared = (declaredMediaType ?? '').split(';')[0].trim().toLowerCase();
  if (!UNDECLARED.has(declared) && !info.declaredAs.includes(declared)) {
    throw mismatch(`was sent as ${declared}, but its content is ${info.label}`, info);
  }
  const extension = extname(fileName ?? '').toLowerCase();
  if (extension && !info.extensions.includes(extension)) {
    throw mismatch(`is named "${fileName}", but its content is ${info.label}`, info);
  }
}

function mismatch(what: string, info: KindInfo): DomainError {
  return new DomainError(
    'DOCUMENT_TYPE_MISMATCH',
    `The file ${what}: rename it with the extension ${info.extensions.join(' or ')} or send the right file.`,
    415,
  );
}
