import type { PhotoKind } from './photo-type';

/**
 * A minimal EXIF reader: only what works evidence needs — where (GPS latitude/longitude) and when
 * (DateTimeOriginal, with OffsetTimeOriginal when the camera wrote it) a photo was taken. It finds
 * the EXIF block of a JPEG (APP1 "Exif"), a PNG (eXIf chunk) or a WebP (EXIF chunk) and walks the
 * TIFF structure inside, both byte orders. HEIC keeps its EXIF in an item of the ISO-BMFF `meta`
 * box, which this reader does not walk: a HEIC photo's time and place come from the form fields.
 *
 * Photos are hostile input: every offset is bounds-checked, and a block that cannot be read is
 * treated as absent (the caller then falls back to the form fields) rather than trusted in part.
 */

/** What a photo says about itself; a field is absent when the photo does not say it (or says it badly). */
export interface PhotoMetadata {
  /** DateTimeOriginal as written, "YYYY-MM-DDTHH:MM:SS" (local time of the camera). */
  takenLocal?: string;
  /** OffsetTimeOriginal ("-06:00"), when the camera recorded its time zone. */
  takenOffset?: string;
  latitude?: number;
  longitude?: number;
}

const TAG_EXIF_IFD = 0x8769;
const TAG_GPS_IFD = 0x8825;
const TAG_DATE_TIME_ORIGINAL = 0x9003;
const TAG_OFFSET_TIME_ORIGINAL = 0x9011;
const GPS_LATITUDE_REF = 0x0001;
const GPS_LATITUDE = 0x0002;
const GPS_LONGITUDE_REF = 0x0003;
const GPS_LONGITUDE = 0x0004;

/** Bytes per component of each TIFF field type (BYTE, ASCII, SHORT, LONG, RATIONAL, SBYTE, UNDEFINED, SSHORT, SLONG, SRATIONAL). */
const TYPE_SIZES: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8 };
/** More entries than any real directory holds: a larger count is a corrupt or hostile file. */
const MAX_ENTRIES = 512;

/** The time and place `photo` records about itself (empty when it carries no readable EXIF). */
export function readPhotoMetadata(photo: Buffer, kind: PhotoKind): PhotoMetadata {
  const tiff = findTiff(photo, kind);
  if (!tiff) return {};
  try {
    return readTiff(tiff);
  } catch (err) {
    if (err instanceof MalformedExif) return {};
    throw err;
  }
}

class MalformedExif extends Error {}

const EXIF_HEADER = Buffer.from('Exif\u0000\u0000', 'latin1');

/** The TIFF block holding the EXIF of the photo, or null when it has none we can find. */
export function findTiff(photo: Buffer, kind: PhotoKind): Buffer | null {
  switch (kind) {
    case 'jpeg':
      return jpegTiff(photo);
    case 'png':
      return pngTiff(photo);
    case 'webp':
      return webpTiff(photo);
    case 'heic':
      return null;
  }
}

function jpegTiff(photo: Buffer): Buffer | null {
  let at = 2; // after SOI
  while (at + 4 <= photo.length) {
    if (photo[at] !== 0xff) return null;
    const marker = photo[at + 1];
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    // Image data starts at SOS (metadata comes before it); EOI ends the file.
    if (marker === 0xda || marker === 0xd9) return null;
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2; // markers without a length
      continue;
    }
    const length = photo.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > photo.length) return null;
    const payload = photo.subarray(at + 4, at + 2 + length);
    if (marker === 0xe1 && payload.subarray(0, 6).equals(EXIF_HEADER)) return payload.subarray(6);
    at += 2 + length;
  }
  return null;
}

function pngTiff(photo: Buffer): Buffer | null {
  let at = 8; // after the signature
  while (at + 12 <= photo.length) {
    const length = photo.readUInt32BE(at);
    const type = photo.toString('latin1', at + 4, at + 8);
    if (at + 12 + length > photo.length) return null;
    if (type === 'eXIf') return photo.subarray(at + 8, at + 8 + length);
    if (type === 'IEND') return null;
    at += 12 + length; // length, type, data, CRC
  }
  return null;
}

function webpTiff(photo: Buffer): Buffer | null {
  let at = 12; // after "RIFF", size, "WEBP"
  while (at + 8 <= photo.length) {
    const type = photo.toString('latin1', at, at + 4);
    const length = photo.readUInt32LE(at + 4);
    if (at + 8 + length > photo.length) return null;
    if (type === 'EXIF') {
      const data = photo.subarray(at + 8, at + 8 + length);
      // Some writers keep JPEG's "Exif\0\0" header in the chunk.
      return data.subarray(0, 6).equals(EXIF_HEADER) ? data.subarray(6) : data;
    }
    at += 8 + length + (length % 2); // chunks are padded to an even size
  }
  return null;
}

interface Entry {
  tag: number;
  type: number;
  count: number;
  /** Offset of the value within the TIFF block (inline values point into the entry itself). */
  valueAt: number;
}

function readTiff(tiff: Buffer): PhotoMetadata {
  if (tiff.length < 8) throw new MalformedExif('EXIF block too short');
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new MalformedExif('no TIFF byte order');
  const le = order === 'II';
  const within = (at: number, size: number) => {
    if (at < 0 || at + size > tiff.length) throw new MalformedExif(`read past the end of the EXIF block at ${at}`);
    return at;
  };
  const u16 = (at: number) => (le ? tiff.readUInt16LE(within(at, 2)) : tiff.readUInt16BE(within(at, 2)));
  const u32 = (at: number) => (le ? tiff.readUInt32LE(within(at, 4)) : tiff.readUInt32BE(within(at, 4)));
  if (u16(2) !== 42) throw new MalformedExif('not a TIFF header');

  const directory = (offset: number): Map<number, Entry> => {
    if (offset < 8 || offset + 2 > tiff.length) throw new MalformedExif('directory out of bounds');
    const count = u16(offset);
    if (count > MAX_ENTRIES || offset + 2 + count * 12 > tiff.length) throw new MalformedExif('directory too large');
    const entries = new Map<number, Entry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const type = u16(at + 2);
      const n = u32(at + 4);
      const size = (TYPE_SIZES[type] ?? 0) * n;
      if (size === 0) continue; // unknown type or empty value: not one we read
      const valueAt = size <= 4 ? at + 8 : u32(at + 8);
      if (valueAt + size > tiff.length) continue; // a value pointing outside the block is ignored
      entries.set(u16(at), { tag: u16(at), type, count: n, valueAt });
    }
    return entries;
  };
  const ascii = (e: Entry | undefined): string | undefined => {
    if (!e || e.type !== 2) return undefined;
    return tiff.toString('latin1', e.valueAt, e.valueAt + e.count).replace(/\0.*$/s, '').trim();
  };
  const pointer = (e: Entry | undefined): number | undefined => {
    if (!e || e.count !== 1) return undefined;
    if (e.type === 4) return u32(e.valueAt);
    return undefined;
  };
  /** Degrees, minutes, seconds (three RATIONALs) as decimal degrees; undefined when malformed. */
  const degrees = (e: Entry | undefined): number | undefined => {
    if (!e || e.type !== 5 || e.count !== 3) return undefined;
    let value = 0;
    for (let i = 0; i < 3; i++) {
      const numerator = u32(e.valueAt + i * 8);
      const denominator = u32(e.valueAt + i * 8 + 4);
      if (denominator === 0) return undefined;
      value += numerator / denominator / 60 ** i;
    }
    return value;
  };

  const ifd0 = directory(u32(4));
  const out: PhotoMetadata = {};

  const exifAt = pointer(ifd0.get(TAG_EXIF_IFD));
  if (exifAt !== undefined) {
    const exif = directory(exifAt);
    const taken = parseExifDate(ascii(exif.get(TAG_DATE_TIME_ORIGINAL)));
    if (taken) {
      out.takenLocal = taken;
      const offset = ascii(exif.get(TAG_OFFSET_TIME_ORIGINAL));
      if (offset && /^[+-](0\d|1[0-4]):[0-5]\d$/.test(offset)) out.takenOffset = offset;
    }
  }

  const gpsAt = pointer(ifd0.get(TAG_GPS_IFD));
  if (gpsAt !== undefined) {
    const gps = directory(gpsAt);
    const latRef = ascii(gps.get(GPS_LATITUDE_REF));
    const lonRef = ascii(gps.get(GPS_LONGITUDE_REF));
    const lat = degrees(gps.get(GPS_LATITUDE));
    const lon = degrees(gps.get(GPS_LONGITUDE));
    if (lat !== undefined && lon !== undefined && (latRef === 'N' || latRef === 'S') && (lonRef === 'E' || lonRef === 'W')) {
      const latitude = latRef === 'S' ? -lat : lat;
      const longitude = lonRef === 'W' ? -lon : lon;
      if (Math.abs(latitude) <= 90 && Math.abs(longitude) <= 180) Object.assign(out, { latitude, longitude });
    }
  }
  return out;
}

/** "2027:03:01 10:15:00" → "2027-03-01T10:15:00"; undefined for blanks ("    :  :  ") and impossible dates. */
export function parseExifDate(text: string | undefined): string | undefined {
  const m = /^(\d{4}):(\d{2}):(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text ?? '');
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}`;
  const check = new Date(`${iso}Z`);
  // Date rolls 2027-02-30 over to March: a date that does not survive the round trip is not real.
  if (Number.isNaN(check.getTime()) || check.toISOString().slice(0, 19) !== iso || Number(y) < 1990) return undefined;
  return iso;
}

/** The instant a photo was taken: its local time at its own offset, or at `defaultOffset` when it recorded none. */
export function takenAt(meta: PhotoMetadata, defaultOffset: string): Date | undefined {
  if (!meta.takenLocal) return undefined;
  return new Date(`${meta.takenLocal}${meta.takenOffset ?? defaultOffset}`);
}
