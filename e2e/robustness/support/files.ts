import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { zipOf } from '@imb/testing';
import { JsonSchema, resolveSchema, Route } from './openapi';

/** The multipart field(s) a route declares as a file (format: binary); `file` when it says nothing. */
export function fileFields(route: Route): string[] {
  const schema = resolveSchema(route.document, route.bodySchema);
  const fields = Object.entries(schema?.properties ?? {})
    .filter(([, s]) => isBinary(s) || (s.type === 'array' && isBinary(s.items ?? {})))
    .map(([name]) => name);
  return fields.length ? fields : ['file'];
}

function isBinary(schema: JsonSchema): boolean {
  return schema.type === 'string' && schema.format === 'binary';
}

/** One multipart upload attempt that must be refused before anything is stored or queued. */
export interface FileAttack {
  name: string;
  form: (field: string) => FormData;
}

const blob = (bytes: Uint8Array | string, type = 'application/octet-stream') => new Blob([bytes], { type });

function formWith(field: string, files: Array<{ name: string; bytes: Uint8Array | string; type?: string }>): FormData {
  const form = new FormData();
  for (const f of files) form.append(field, blob(f.bytes, f.type), f.name);
  return form;
}

/** A real workbook cut in half: a zip whose central directory is missing. */
async function truncatedWorkbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Hoja1');
  for (let i = 0; i < 200; i++) ws.addRow(['HGSSA000016', `UNIDAD ${i}`, "'; DROP TABLE unit; --"]);
  const full = Buffer.from(await wb.xlsx.writeBuffer());
  return full.subarray(0, Math.floor(full.length / 2));
}

/** Bytes of the given size that no parser accepts (with NULs, no line structure). */
function garbage(size: number): Buffer {
  const bytes = randomBytes(size);
  for (let i = 0; i < size; i += 97) bytes[i] = 0;
  return bytes;
}

/**
 * Malformed and oversized files: each must get a 4xx before a job is queued or anything stored.
 * `oversizedBytes` must exceed the service's upload limit.
 */
export async function fileAttacks(oversizedBytes: number): Promise<FileAttack[]> {
  const truncated = await truncatedWorkbook();
  const zip = zipOf({ 'readme.txt': 'not a workbook' }, { store: true });
  const attacks: FileAttack[] = [
    {
      name: 'no file, only a text field',
      form: () => {
        const f = new FormData();
        f.append('note', "'; DROP TABLE job; --");
        return f;
      },
    },
    { name: 'file in an unknown field', form: () => formWith('attachment', [{ name: 'a.csv', bytes: 'a,b\n1,2\n' }]) },
    { name: 'two files', form: (field) => formWith(field, [{ name: 'a.csv', bytes: garbage(512) }, { name: 'b.csv', bytes: garbage(512) }]) },
    { name: 'oversized', form: (field) => formWith(field, [{ name: 'big.csv', bytes: garbage(oversizedBytes) }]) },
    { name: 'executable named .exe', form: (field) => formWith(field, [{ name: 'payload.exe', bytes: Buffer.concat([Buffer.from('MZ'), garbage(2048)]) }]) },
  ];
  for (const ext of ['csv', 'xlsx', 'jpg', 'pdf']) {
    attacks.push(
      { name: `empty .${ext}`, form: (field) => formWith(field, [{ name: `empty.${ext}`, bytes: new Uint8Array(0) }]) },
      { name: `garbage bytes as .${ext}`, form: (field) => formWith(field, [{ name: `data.${ext}`, bytes: garbage(4096) }]) },
    );
  }
  attacks.push(
    { name: 'truncated workbook', form: (field) => formWith(field, [{ name: 'catalogue.xlsx', bytes: truncated }]) },
    { name: 'zip that is not a workbook', form: (field) => formWith(field, [{ name: 'catalogue.xlsx', bytes: zip }]) },
    { name: 'path traversal in the file name', form: (field) => formWith(field, [{ name: '../../../../tmp/evil.csv', bytes: garbage(1024) }]) },
  );
  return attacks;
}
