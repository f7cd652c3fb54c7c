import { readFileHead } from './file-head';
import { DEFAULT_XLSX_LIMITS } from './xlsx-limits';
import { UnreadableWorkbook, ZipEntries } from './xlsx-zip';

/**
 * Whether an upload named .xlsx is a complete Excel workbook, checked before any job is queued:
 * the zip signature at its start, the central directory at its end (missing when an upload was
 * cut short), and the `xl/workbook.xml` part every workbook has. Reads only the zip's directory
 * and entry headers, so it costs the same for a 40 MB file as for a small one.
 */

/** True when `head` (the first bytes of a file) starts like a zip archive, as an .xlsx workbook does. */
export function startsLikeZip(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}

async function workbookProblem(source: string | Buffer, head: Buffer): Promise<string | null> {
  if (!head.length) return 'The file is empty';
  if (!startsLikeZip(head)) return 'The file is not an .xlsx workbook (an .xlsx file is a zip archive)';
  try {
    const zip = await ZipEntries.open(source, DEFAULT_XLSX_LIMITS, 'XLSX_MAX_INFLATED_BYTES');
    return zip.has('xl/workbook.xml') ? null : 'The zip archive is not an Excel workbook (it has no xl/workbook.xml)';
  } catch (err) {
    // One sentence for every way the directory fails: the user can only upload the file again.
    if (err instanceof UnreadableWorkbook) return 'The .xlsx file is damaged or incomplete (its zip directory cannot be read)';
    throw err;
  }
}

/** Why the file at `path` is not a readable .xlsx workbook (a sentence for the 400), or null when it is one. */
export async function xlsxFileProblem(path: string): Promise<string | null> {
  return workbookProblem(path, await readFileHead(path, 4));
}

/** Why `content` is not a readable .xlsx workbook (a sentence for the 400), or null when it is one. */
export function xlsxContentProblem(content: Buffer): Promise<string | null> {
  return workbookProblem(content, content);
}
