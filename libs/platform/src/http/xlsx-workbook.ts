import { open } from 'node:fs/promises';

/**
 * Whether an upload named .xlsx is a complete Excel workbook, checked before any job is queued:
 * the zip signature at its start, the central directory at its end (missing when an upload was
 * cut short), and the `xl/workbook.xml` part every workbook has. Reads only those few bytes, so
 * it costs the same for a 40 MB file as for a small one.
 */

const LOCAL_FILE_HEADER = 0x04034b50;
const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end-of-directory record is 22 bytes, followed by a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff;

/** Bytes `[position, position + length)` of a file or buffer (fewer at its end). */
type ReadRange = (position: number, length: number) => Promise<Buffer>;

/** True when `head` (the first bytes of a file) starts like a zip archive, as an .xlsx workbook does. */
export function startsLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === LOCAL_FILE_HEADER;
}

/**
 * The entry names of a zip archive of `size` bytes, read from its central directory; null when
 * the archive is incomplete or damaged (e.g. an upload cut short), which no spreadsheet reader
 * could open.
 */
async function zipEntryNames(read: ReadRange, size: number): Promise<string[] | null> {
  const tailLength = Math.min(size, MAX_TAIL);
  const tail = await read(size - tailLength, tailLength);
  let end = -1;
  for (let at = tail.length - 22; at >= 0 && end < 0; at--) if (tail.readUInt32LE(at) === END_OF_DIRECTORY) end = at;
  if (end < 0) return null;
  const entries = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (directoryOffset + directorySize > size) return null;
  const directory = await read(directoryOffset, directorySize);
  const names: string[] = [];
  for (let at = 0, i = 0; i < entries; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY) return null;
    const nameLength = directory.readUInt16LE(at + 28);
    names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return names;
}

async function workbookProblem(read: ReadRange, size: number): Promise<string | null> {
  if (size === 0) return 'The file is empty';
  if (!startsLikeZip(await read(0, 4))) return 'The file is not an .xlsx workbook (an .xlsx file is a zip archive)';
  const entries = await zipEntryNames(read, size);
  if (!entries) return 'The .xlsx file is damaged or incomplete (its zip directory cannot be read)';
  if (!entries.includes('xl/workbook.xml')) return 'The zip archive is not an Excel workbook (it has no xl/workbook.xml)';
  return null;
}

/** Why the file at `path` is not a readable .xlsx workbook (a sentence for the 400), or null when it is one. */
export async function xlsxFileProblem(path: string): Promise<string | null> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    return await workbookProblem(async (position, length) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, position);
      return buffer.subarray(0, bytesRead);
    }, size);
  } finally {
    await handle.close();
  }
}

/** Why `content` is not a readable .xlsx workbook (a sentence for the 400), or null when it is one. */
export function xlsxContentProblem(content: Buffer): Promise<string | null> {
  return workbookProblem((position, length) => Promise.resolve(content.subarray(position, position + length)), content.length);
}
