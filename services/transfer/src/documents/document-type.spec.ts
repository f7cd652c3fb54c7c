import { Workbook } from 'exceljs';
import { DomainError } from '@imb/platform';
import { zipOf } from '@imb/testing';
import {
  centralDirectoryNames,
  checkDeclaredType,
  describeUnrecognised,
  identifyDocument,
  locateCentralDirectory,
  officeKindOf,
  ReadAt,
  sniffSignature,
} from './document-type';

const readerOf =
  (content: Buffer): ReadAt =>
  async (offset, length) =>
    content.subarray(offset, offset + length);

const identify = (content: Buffer) => identifyDocument(content.length, readerOf(content));

const PDF = Buffer.from('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46, 0]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(200, 0x90)]);
/** A zip holding empty entries with these names, and a comment. */
const emptyEntries = (names: string[], comment = '') => zipOf(Object.fromEntries(names.map((n) => [n, ''])), { store: true, comment });

const DOCX = emptyEntries(['[Content_Types].xml', '_rels/.rels', 'word/document.xml'], 'made by hand');

async function refusal(promise: Promise<unknown>): Promise<DomainError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DomainError);
  return err as DomainError;
}

describe('magic bytes', () => {
  it('recognises PDF, PNG, JPEG and zip containers by their first bytes', () => {
    expect(sniffSignature(PDF)).toBe('pdf');
    expect(sniffSignature(PNG)).toBe('png');
    expect(sniffSignature(JPEG)).toBe('jpeg');
    expect(sniffSignature(DOCX)).toBe('zip');
    expect(sniffSignature(EXE)).toBeUndefined();
    expect(sniffSignature(Buffer.from('%PD'))).toBeUndefined();
    expect(sniffSignature(Buffer.alloc(0))).toBeUndefined();
  });

  it('names common refused files and shows the first bytes of others', () => {
    expect(describeUnrecognised(EXE)).toBe('a Windows executable');
    expect(describeUnrecognised(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).toMatch(/legacy or password-protected Office/);
    expect(describeUnrecognised(Buffer.from('hello world'))).toBe('a file starting with the bytes 68 65 6c 6c 6f 20 77 6f');
  });
});

describe('office files (zip packages)', () => {
  it('reads the entry names from the central directory, whatever the archive comment', () => {
    const location = locateCentralDirectory(DOCX.subarray(DOCX.length - 100));
    expect(location).toBeDefined();
    const names = centralDirectoryNames(DOCX.subarray(location!.offset, location!.offset + location!.size));
    expect(names).toEqual(['[Content_Types].xml', '_rels/.rels', 'word/document.xml']);
    expect(locateCentralDirectory(Buffer.from('no zip here at all, just text'))).toBeUndefined();
  });

  it('tells a workbook from a Word document, and refuses other zips', () => {
    expect(officeKindOf(['[Content_Types].xml', 'xl/workbook.xml'])).toBe('xlsx');
    expect(officeKindOf(['[Content_Types].xml', 'word/document.xml'])).toBe('docx');
    expect(officeKindOf(['xl/workbook.xml'])).toBeUndefined();
    expect(officeKindOf(['[Content_Types].xml', 'ppt/presentation.xml'])).toBeUndefined();
  });

  it('identifies a real .xlsx written by exceljs and a .docx package', async () => {
    const workbook = new Workbook();
    workbook.addWorksheet('Unidades').addRow(['CLUES', 'NOMBRE']);
    const xlsx = Buffer.from(await workbook.xlsx.writeBuffer());
    await expect(identify(xlsx)).resolves.toBe('xlsx');
    await expect(identify(DOCX)).resolves.toBe('docx');
  });

  it('refuses a zip that is not an office document', async () => {
    const err = await refusal(identify(emptyEntries(['photos/1.jpg'])));
    expect(err.httpStatus).toBe(415);
    expect(err.message).toMatch(/zip archive that is neither an Excel workbook nor a Word document/);
  });
});

describe('identifyDocument', () => {
  it('identifies by content alone', async () => {
    await expect(identify(PDF)).resolves.toBe('pdf');
    await expect(identify(PNG)).resolves.toBe('png');
    await expect(identify(JPEG)).resolves.toBe('jpeg');
  });

  it('refuses other content with a 415 that says what it is and what is accepted', async () => {
    const err = await refusal(identify(EXE));
    expect(err.code).toBe('UNSUPPORTED_DOCUMENT_TYPE');
    expect(err.httpStatus).toBe(415);
    expect(err.message).toBe(
      'The file is a Windows executable; evidence documents must be PDF, PNG, JPEG, Excel (.xlsx) or Word (.docx) (recognised by their content).',
    );
  });
});

describe('checkDeclaredType', () => {
  it('accepts a declaration and a name that agree with the content, and generic ones', () => {
    expect(() => checkDeclaredType('pdf', 'application/pdf', 'convenio.pdf')).not.toThrow();
    expect(() => checkDeclaredType('pdf', 'application/octet-stream', 'CONVENIO.PDF')).not.toThrow();
    expect(() => checkDeclaredType('jpeg', 'image/jpeg; charset=binary', 'foto.JPG')).not.toThrow();
    expect(() => checkDeclaredType('xlsx', 'application/zip', 'anexo.xlsx')).not.toThrow();
    expect(() => checkDeclaredType('png', undefined, 'scan')).not.toThrow();
  });

  it('refuses a declared type that contradicts the content', () => {
    expect(() => checkDeclaredType('png', 'application/pdf', 'acta.png')).toThrow(
      'The file was sent as application/pdf, but its content is a PNG image: rename it with the extension .png or send the right file.',
    );
  });

  it('refuses a name whose extension contradicts the content', () => {
    expect(() => checkDeclaredType('jpeg', 'application/octet-stream', 'acta.pdf')).toThrow(/named "acta.pdf", but its content is a JPEG image/);
    expect(() => checkDeclaredType('docx', DOCX_TYPE, 'anexo.xlsx')).toThrow(/extension \.docx/);
  });
});

const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
