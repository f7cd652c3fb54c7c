import { open } from 'node:fs/promises';

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end-of-directory record is 22 bytes, followed by a comment of at most 65,535. */
const MAX_TAIL = 22 + 0xffff;

async function readRange(path: string, position: number, length: number): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, position);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * The entry names of the zip archive at `path` (an .xlsx workbook is one), read from its central
 * directory; null when the archive is incomplete or damaged (e.g. an upload cut short), which
 * no spreadsheet reader could open.
 */
export async function zipEntryNames(path: string, size: number): Promise<string[] | null> {
  const tailLength = Math.min(size, MAX_TAIL);
  const tail = await readRange(path, size - tailLength, tailLength);
  let end = -1;
  for (let at = tail.length - 22; at >= 0 && end < 0; at--) if (tail.readUInt32LE(at) === END_OF_DIRECTORY) end = at;
  if (end < 0) return null;
  const entries = tail.readUInt16LE(end + 10);
  const directorySize = tail.readUInt32LE(end + 12);
  const directoryOffset = tail.readUInt32LE(end + 16);
  if (directoryOffset + directorySize > size) return null;
  const directory = await readRange(path, directoryOffset, directorySize);
  const names: string[] = [];
  for (let at = 0, i = 0; i < entries; i++) {
    if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY) return null;
    const nameLength = directory.readUInt16LE(at + 28);
    names.push(directory.toString('utf8', at + 46, at + 46 + nameLength));
    at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
  }
  return names;
}
