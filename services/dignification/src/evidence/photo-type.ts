/** The photo formats accepted as works evidence, recognised by their first bytes (never by name or declared type). */
export const PHOTO_KINDS = ['jpeg', 'png', 'webp', 'heic'] as const;
export type PhotoKind = (typeof PHOTO_KINDS)[number];

export const PHOTO_MEDIA_TYPES: Record<PhotoKind, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  heic: 'image/heic',
};

export const ACCEPTED_PHOTOS_TEXT = 'JPEG, PNG, WebP or HEIC';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** ISO-BMFF brands of HEIF images as phones write them (iPhone: heic/mif1; Android: heix, heif…). */
const HEIF_BRANDS = new Set(['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'heif']);

/** The photo format of `file`, or null when its bytes are not one of {@link PHOTO_KINDS}. */
export function identifyPhoto(file: Buffer): PhotoKind | null {
  if (file.length >= 3 && file[0] === 0xff && file[1] === 0xd8 && file[2] === 0xff) return 'jpeg';
  if (file.length >= 8 && file.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (file.length >= 12 && file.toString('latin1', 0, 4) === 'RIFF' && file.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  // An ISO-BMFF file starts with its `ftyp` box: size, "ftyp", major brand, minor version, compatible brands.
  if (file.length >= 16 && file.toString('latin1', 4, 8) === 'ftyp') {
    const boxEnd = Math.min(file.readUInt32BE(0), file.length);
    const brands = [file.toString('latin1', 8, 12)];
    for (let at = 16; at + 4 <= boxEnd; at += 4) brands.push(file.toString('latin1', at, at + 4));
    if (brands.some((b) => HEIF_BRANDS.has(b))) return 'heic';
  }
  return null;
}

// Files people send by mistake, named so the refusal says what was sent.
const KNOWN: ReadonlyArray<{ what: string; test: (f: Buffer) => boolean }> = [
  { what: 'a PDF document', test: (f) => f.toString('latin1', 0, 5) === '%PDF-' },
  { what: 'a GIF image', test: (f) => f.toString('latin1', 0, 4) === 'GIF8' },
  { what: 'a TIFF image', test: (f) => ['II*\u0000', 'MM\u0000*'].includes(f.toString('latin1', 0, 4)) },
  { what: 'a ZIP archive or Office file', test: (f) => f.toString('latin1', 0, 4) === 'PK\u0003\u0004' },
  { what: 'a video', test: (f) => f.toString('latin1', 4, 8) === 'ftyp' },
];

/** A few words on what an unaccepted file seems to be, for the refusal message. */
export function describeUnaccepted(file: Buffer): string {
  if (file.length === 0) return 'an empty file';
  return KNOWN.find((k) => k.test(file))?.what ?? 'not a photo we recognise';
}
