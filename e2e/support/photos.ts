/**
 * Test photos as a phone would send them: a small JPEG whose APP1 segment carries EXIF with the
 * capture time (DateTimeOriginal, OffsetTimeOriginal) and the GPS position, or none at all.
 * The image data is a placeholder; the service reads only the signature and the EXIF.
 */

export interface PhotoFacts {
  /** "YYYY:MM:DD HH:MM:SS", camera local time. */
  takenLocal?: string;
  /** "-06:00" */
  offset?: string;
  latitude?: number;
  longitude?: number;
  /** Bytes that make two photos of the same scene differ. */
  seed?: string;
}

type Value = { ascii: string } | { rationals: number[] } | { long: number };
type Dir = [number, Value][];

/** Big-endian ("MM") TIFF with IFD0 pointing at an Exif IFD and a GPS IFD. */
function tiff(exif: Dir, gps: Dir): Buffer {
  const dirSize = (d: Dir) => 2 + d.length * 12 + 4;
  const ifd0: Dir = [];
  if (exif.length) ifd0.push([0x8769, { long: 0 }]);
  if (gps.length) ifd0.push([0x8825, { long: 0 }]);
  const ifd0At = 8;
  const exifAt = ifd0At + dirSize(ifd0);
  const gpsAt = exifAt + (exif.length ? dirSize(exif) : 0);
  let dataAt = gpsAt + (gps.length ? dirSize(gps) : 0);
  for (const [tag, v] of ifd0) (v as { long: number }).long = tag === 0x8769 ? exifAt : gpsAt;

  const head = Buffer.alloc(dataAt);
  const extra: Buffer[] = [];
  head.write('MM', 0, 'latin1');
  head.writeUInt16BE(42, 2);
  head.writeUInt32BE(ifd0At, 4);
  const writeDir = (dir: Dir, at: number) => {
    head.writeUInt16BE(dir.length, at);
    dir.forEach(([tag, v], i) => {
      const e = at + 2 + i * 12;
      head.writeUInt16BE(tag, e);
      let bytes: Buffer;
      if ('ascii' in v) {
        bytes = Buffer.from(`${v.ascii}\u0000`, 'latin1');
        head.writeUInt16BE(2, e + 2);
        head.writeUInt32BE(bytes.length, e + 4);
      } else if ('rationals' in v) {
        bytes = Buffer.alloc(v.rationals.length * 4);
        v.rationals.forEach((n, j) => bytes.writeUInt32BE(n, j * 4));
        head.writeUInt16BE(5, e + 2);
        head.writeUInt32BE(v.rationals.length / 2, e + 4);
      } else {
        bytes = Buffer.alloc(4);
        bytes.writeUInt32BE(v.long);
        head.writeUInt16BE(4, e + 2);
        head.writeUInt32BE(1, e + 4);
      }
      if (bytes.length <= 4) bytes.copy(head, e + 8);
      else {
        head.writeUInt32BE(dataAt, e + 8);
        extra.push(bytes);
        dataAt += bytes.length;
      }
    });
    head.writeUInt32BE(0, at + 2 + dir.length * 12);
  };
  writeDir(ifd0, ifd0At);
  if (exif.length) writeDir(exif, exifAt);
  if (gps.length) writeDir(gps, gpsAt);
  return Buffer.concat([head, ...extra]);
}

/** Degrees as degrees/1, minutes/1, seconds/10000. */
function dms(value: number): number[] {
  const a = Math.abs(value);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = Math.round(((a - d) * 60 - m) * 60 * 10000);
  return [d, 1, m, 1, s, 10000];
}

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

/** A JPEG carrying `facts` in its EXIF (no APP1 segment at all when it has none). */
export function jpegPhoto(facts: PhotoFacts = {}): Buffer {
  const exif: Dir = [];
  if (facts.takenLocal) exif.push([0x9003, { ascii: facts.takenLocal }]);
  if (facts.takenLocal && facts.offset) exif.push([0x9011, { ascii: facts.offset }]);
  const gps: Dir =
    facts.latitude === undefined || facts.longitude === undefined
      ? []
      : [
          [1, { ascii: facts.latitude < 0 ? 'S' : 'N' }],
          [2, { rationals: dms(facts.latitude) }],
          [3, { ascii: facts.longitude < 0 ? 'W' : 'E' }],
          [4, { rationals: dms(facts.longitude) }],
        ];
  const app1 = exif.length || gps.length ? [segment(0xe1, Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), tiff(exif, gps)]))] : [];
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000', 'latin1')),
    ...app1,
    segment(0xfe, Buffer.from(`e2e photo ${facts.seed ?? ''}`, 'latin1')),
    Buffer.from([0xff, 0xda, 0x00, 0x02, 0x00, 0x00, 0xff, 0xd9]),
  ]);
}

/** A PNG without EXIF (a screenshot, an edited photo). */
export function pngPhoto(seed = ''): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
  };
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.alloc(13)),
    chunk('tEXt', Buffer.from(`Comment\u0000${seed}`, 'latin1')),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
