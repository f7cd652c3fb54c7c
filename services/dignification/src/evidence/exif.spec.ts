import { findTiff, parseExifDate, readPhotoMetadata, takenAt } from './exif';
import { describeUnaccepted, identifyPhoto } from './photo-type';

/**
 * The reader is checked against photos built here by an independent little TIFF writer (both
 * byte orders), wrapped as a camera would: JPEG APP1, PNG eXIf, WebP EXIF.
 */
type Field = { tag: number; ascii: string } | { tag: number; rationals: [number, number][] } | { tag: number; long: number };

function tiff(littleEndian: boolean, dirs: { exif?: Field[]; gps?: Field[]; extra0?: Field[] }): Buffer {
  const order = [
    { name: 'ifd0', fields: [] as Field[] },
    ...(dirs.exif ? [{ name: 'exif', fields: dirs.exif }] : []),
    ...(dirs.gps ? [{ name: 'gps', fields: dirs.gps }] : []),
  ];
  const size = (fields: Field[]) => 2 + 12 * fields.length + 4;
  // IFD0 holds the pointers (and any extra fields), laid out first.
  const ifd0: Field[] = [...(dirs.extra0 ?? []), ...(dirs.exif ? [{ tag: 0x8769, long: 0 }] : []), ...(dirs.gps ? [{ tag: 0x8825, long: 0 }] : [])];
  order[0].fields = ifd0;
  const offsets = new Map<string, number>();
  let at = 8;
  for (const d of order) {
    offsets.set(d.name, at);
    at += size(d.fields);
  }
  for (const f of ifd0) if ('long' in f) f.long = f.tag === 0x8769 ? offsets.get('exif')! : offsets.get('gps')!;
  const data: Buffer[] = [];
  let dataAt = at;
  const out = Buffer.alloc(at);
  const w16 = (v: number, o: number) => (littleEndian ? out.writeUInt16LE(v, o) : out.writeUInt16BE(v, o));
  const w32 = (v: number, o: number, b: Buffer = out) => (littleEndian ? b.writeUInt32LE(v, o) : b.writeUInt32BE(v, o));
  out.write(littleEndian ? 'II' : 'MM', 0, 'latin1');
  w16(42, 2);
  w32(8, 4);
  for (const d of order) {
    let o = offsets.get(d.name)!;
    w16(d.fields.length, o);
    o += 2;
    for (const f of [...d.fields].sort((a, b) => a.tag - b.tag)) {
      w16(f.tag, o);
      let value: Buffer;
      if ('ascii' in f) {
        value = Buffer.from(`${f.ascii}\u0000`, 'latin1');
        w16(2, o + 2);
        w32(value.length, o + 4);
      } else if ('rationals' in f) {
        value = Buffer.alloc(8 * f.rationals.length);
        f.rationals.forEach(([n, dd], i) => {
          w32(n, i * 8, value);
          w32(dd, i * 8 + 4, value);
        });
        w16(5, o + 2);
        w32(f.rationals.length, o + 4);
      } else {
        value = Buffer.alloc(4);
        w32(f.long, 0, value);
        w16(4, o + 2);
        w32(1, o + 4);
      }
      if (value.length <= 4) {
        value.copy(out, o + 8);
      } else {
        w32(dataAt, o + 8);
        data.push(value);
        dataAt += value.length;
      }
      o += 12;
    }
    w32(0, o);
  }
  return Buffer.concat([out, ...data]);
}

/** GPS fields for decimal degrees, as degrees, minutes and hundredths of seconds. */
function gpsFields(latitude: number, longitude: number): Field[] {
  const dms = (v: number): [number, number][] => {
    const a = Math.abs(v);
    const d = Math.floor(a);
    const m = Math.floor((a - d) * 60);
    const s = Math.round(((a - d) * 60 - m) * 60 * 100);
    return [
      [d, 1],
      [m, 1],
      [s, 100],
    ];
  };
  return [
    { tag: 1, ascii: latitude < 0 ? 'S' : 'N' },
    { tag: 2, rationals: dms(latitude) },
    { tag: 3, ascii: longitude < 0 ? 'W' : 'E' },
    { tag: 4, rationals: dms(longitude) },
  ];
}

const segment = (marker: number, payload: Buffer) => {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
};
const jpeg = (exif?: Buffer) =>
  Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\u0000\u0001\u0001\u0000\u0000\u0001\u0000\u0001\u0000\u0000', 'latin1')),
    ...(exif ? [segment(0xe1, Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), exif]))] : []),
    segment(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0x00, 0x02, 0x12, 0x34, 0xff, 0xd9]),
  ]);
const pngChunk = (type: string, data: Buffer) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
};
const png = (exif: Buffer) =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', Buffer.alloc(13)),
    pngChunk('eXIf', exif),
    pngChunk('IDAT', Buffer.alloc(10)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
const riffChunk = (type: string, data: Buffer) => {
  const head = Buffer.alloc(8);
  head.write(type, 0, 'latin1');
  head.writeUInt32LE(data.length, 4);
  return Buffer.concat([head, data, Buffer.alloc(data.length % 2)]);
};
const webp = (exif: Buffer) => {
  const body = Buffer.concat([Buffer.from('WEBP', 'latin1'), riffChunk('VP8X', Buffer.alloc(10)), riffChunk('VP8 ', Buffer.alloc(11)), riffChunk('EXIF', exif)]);
  const head = Buffer.alloc(8);
  head.write('RIFF', 0, 'latin1');
  head.writeUInt32LE(body.length, 4);
  return Buffer.concat([head, body]);
};

const ACATLAN = { latitude: 20.144656, longitude: -98.440023 };
const camera = (le: boolean) =>
  tiff(le, {
    extra0: [{ tag: 0x010f, ascii: 'Camara de prueba' }],
    exif: [
      { tag: 0x9003, ascii: '2027:03:01 10:15:30' },
      { tag: 0x9011, ascii: '-06:00' },
    ],
    gps: gpsFields(ACATLAN.latitude, ACATLAN.longitude),
  });

describe('identifyPhoto', () => {
  it('recognises JPEG, PNG, WebP and HEIC by their bytes, and nothing else', () => {
    expect(identifyPhoto(jpeg())).toBe('jpeg');
    expect(identifyPhoto(png(camera(true)))).toBe('png');
    expect(identifyPhoto(webp(camera(true)))).toBe('webp');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\u0000\u0000\u0000\u0000mif1heic', 'latin1'), Buffer.alloc(40)]);
    expect(identifyPhoto(heic)).toBe('heic');
    const android = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypmif1\u0000\u0000\u0000\u0000heix', 'latin1'), Buffer.alloc(40)]);
    expect(identifyPhoto(android)).toBe('heic');
    const mp4 = Buffer.concat([Buffer.from([0, 0, 0, 20]), Buffer.from('ftypisom\u0000\u0000\u0002\u0000mp41', 'latin1'), Buffer.alloc(40)]);
    expect(identifyPhoto(mp4)).toBeNull();
    expect(describeUnaccepted(mp4)).toBe('a video');
    expect(identifyPhoto(Buffer.from('%PDF-1.7\n'))).toBeNull();
    expect(describeUnaccepted(Buffer.from('%PDF-1.7\n'))).toBe('a PDF document');
    expect(identifyPhoto(Buffer.from('GIF89a......'))).toBeNull();
    expect(identifyPhoto(Buffer.alloc(0))).toBeNull();
    expect(describeUnaccepted(Buffer.alloc(0))).toBe('an empty file');
    expect(identifyPhoto(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

describe('readPhotoMetadata', () => {
  it.each([
    ['little-endian', true],
    ['big-endian', false],
  ])('reads GPS and DateTimeOriginal from a JPEG (%s TIFF)', (_name, le) => {
    const meta = readPhotoMetadata(jpeg(camera(le)), 'jpeg');
    expect(meta).toEqual({ takenLocal: '2027-03-01T10:15:30', takenOffset: '-06:00', latitude: expect.any(Number), longitude: expect.any(Number) });
    // Hundredths of a second of arc: within a few decimetres.
    expect(meta.latitude).toBeCloseTo(ACATLAN.latitude, 5);
    expect(meta.longitude).toBeCloseTo(ACATLAN.longitude, 5);
    expect(takenAt(meta, '+00:00')!.toISOString()).toBe('2027-03-01T16:15:30.000Z');
  });

  it('reads the same from PNG eXIf and WebP EXIF chunks (with or without the Exif header)', () => {
    const expected = readPhotoMetadata(jpeg(camera(true)), 'jpeg');
    expect(readPhotoMetadata(png(camera(true)), 'png')).toEqual(expected);
    expect(readPhotoMetadata(webp(camera(false)), 'webp')).toEqual(expected);
    expect(readPhotoMetadata(webp(Buffer.concat([Buffer.from('Exif\u0000\u0000', 'latin1'), camera(true)])), 'webp')).toEqual(expected);
  });

  it('gives southern and western hemispheres their signs', () => {
    const meta = readPhotoMetadata(jpeg(tiff(true, { gps: gpsFields(-33.45, 151.2) })), 'jpeg');
    expect(meta.latitude).toBeCloseTo(-33.45, 5);
    expect(meta.longitude).toBeCloseTo(151.2, 5);
    expect(meta.takenLocal).toBeUndefined();
  });

  it('uses the default offset when the camera recorded none', () => {
    const meta = readPhotoMetadata(jpeg(tiff(false, { exif: [{ tag: 0x9003, ascii: '2027:03:01 10:15:30' }] })), 'jpeg');
    expect(meta).toEqual({ takenLocal: '2027-03-01T10:15:30' });
    expect(takenAt(meta, '-06:00')!.toISOString()).toBe('2027-03-01T16:15:30.000Z');
  });

  it('treats photos without EXIF, HEIC, and blank or impossible values as saying nothing', () => {
    expect(readPhotoMetadata(jpeg(), 'jpeg')).toEqual({});
    expect(readPhotoMetadata(Buffer.alloc(64), 'heic')).toEqual({});
    expect(readPhotoMetadata(jpeg(tiff(true, { exif: [{ tag: 0x9003, ascii: '    :  :     :  :  ' }] })), 'jpeg')).toEqual({});
    expect(readPhotoMetadata(jpeg(tiff(true, { exif: [{ tag: 0x9003, ascii: '2027:02:30 10:00:00' }] })), 'jpeg')).toEqual({});
    const noRef = tiff(true, { gps: gpsFields(20, -98).filter((f) => f.tag !== 1) });
    expect(readPhotoMetadata(jpeg(noRef), 'jpeg')).toEqual({});
    const zeroDenominator = tiff(true, { gps: [{ tag: 1, ascii: 'N' }, { tag: 2, rationals: [[20, 0], [0, 1], [0, 1]] }, { tag: 3, ascii: 'W' }, { tag: 4, rationals: [[98, 1], [0, 1], [0, 1]] }] });
    expect(readPhotoMetadata(jpeg(zeroDenominator), 'jpeg')).toEqual({});
    const outOfRange = tiff(true, { gps: [{ tag: 1, ascii: 'N' }, { tag: 2, rationals: [[95, 1], [0, 1], [0, 1]] }, { tag: 3, ascii: 'W' }, { tag: 4, rationals: [[98, 1], [0, 1], [0, 1]] }] });
    expect(readPhotoMetadata(jpeg(outOfRange), 'jpeg')).toEqual({});
  });

  it('survives truncated and hostile EXIF blocks without throwing', () => {
    const good = camera(true);
    for (let cut = 0; cut < good.length; cut += 3) {
      expect(() => readPhotoMetadata(jpeg(good.subarray(0, cut)), 'jpeg')).not.toThrow();
      expect(() => readPhotoMetadata(png(good.subarray(0, cut)), 'png')).not.toThrow();
    }
    // Directory offsets pointing far away, and a directory claiming 65535 entries.
    const hostile = Buffer.from(good);
    hostile.writeUInt32LE(0xfffffff0, 4);
    expect(readPhotoMetadata(jpeg(hostile), 'jpeg')).toEqual({});
    const huge = Buffer.from(good);
    huge.writeUInt16LE(0xffff, 8);
    expect(readPhotoMetadata(jpeg(huge), 'jpeg')).toEqual({});
    // A JPEG segment whose length runs past the end of the file.
    const broken = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff]), Buffer.from('Exif')]);
    expect(findTiff(broken, 'jpeg')).toBeNull();
    expect(readPhotoMetadata(broken, 'jpeg')).toEqual({});
  });
});

describe('parseExifDate', () => {
  it('accepts real timestamps only', () => {
    expect(parseExifDate('2027:03:01 10:15:30')).toBe('2027-03-01T10:15:30');
    expect(parseExifDate('2027:13:01 10:15:30')).toBeUndefined();
    expect(parseExifDate('2027-03-01 10:15:30')).toBeUndefined();
    expect(parseExifDate('0000:00:00 00:00:00')).toBeUndefined();
    expect(parseExifDate(undefined)).toBeUndefined();
  });
});
