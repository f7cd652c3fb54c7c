import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline, Readable, Transform } from 'node:stream';
import { createInflateRaw } from 'node:zlib';
import type { XlsxLimits } from './xlsx-limits';

/** The file could not be read as a workbook; the message says why. */
export class UnreadableWorkbook extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableWorkbook';
  }
}

/**
 * The workbook crossed one of its {@link XlsxLimits} while it was read. `detail` says where and
 * names the setting; the message starts with the code, as a job's failure reason does.
 */
export class XlsxTooLarge extends UnreadableWorkbook {
  readonly code = 'XLSX_TOO_LARGE';
  readonly detail: string;

  constructor(
    readonly limit: keyof XlsxLimits,
    what: string,
  ) {
    const detail = `${what} (limit ${limit})`;
    super(`XLSX_TOO_LARGE: ${detail}`);
    this.name = 'XlsxTooLarge';
    this.detail = detail;
  }
}

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

/** "256 MiB", "64 KiB", or the byte count, for messages about a limit. */
export function sizeText(n: number): string {
  if (n >= GIB && n % GIB === 0) return `${n / GIB} GiB`;
  if (n >= MIB && n % MIB === 0) return `${n / MIB} MiB`;
  if (n >= KIB && n % KIB === 0) return `${n / KIB} KiB`;
  return `${n} bytes`;
}

/** The limit on all the parts read from one workbook together: a job's, or a request's. */
export type WholeFileLimit = 'XLSX_MAX_INFLATED_BYTES' | 'XLSX_MAX_REQUEST_INFLATED_BYTES';

interface ZipEntry {
  method: number;
  compressedSize: number;
  /** Offset of the entry's data: the local header until `open` has read it, then past it. */
  offset: number;
}

/** Bytes `[position, position + length)` of a file or buffer (fewer at its end). */
type ReadRange = (position: number, length: number) => Promise<Buffer>;

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
/**
 * Compressed bytes read at a time: the compression ratio is measured against what was read so
 * far, so a part that inflates a thousand times is stopped after ~100 × 64 KiB at the default.
 */
const COMPRESSED_CHUNK = 64 * KIB;
/**
 * Inflated bytes at a time, kept small: each chunk becomes a string, and strings over ~128 KiB go
 * to V8's large-object space, freed only by full collections (with 256 KiB chunks, a 200 MiB
 * sheet took 8 s and 100 MB more memory; with these, under 1 s).
 */
const INFLATED_CHUNK = 64 * KIB;
/** Small parts are not held to the ratio: a few kB of repeated styles may compress a hundredfold and cost nothing. */
const RATIO_GRACE = MIB;

/**
 * The entries of a zip archive (a file, or bytes in memory), from its central directory; each is
 * inflated on demand, counting the bytes that come out against the limits as they come: the
 * sizes the zip declares are not trusted.
 */
export class ZipEntries {
  /** Bytes inflated from every part read so far, against the whole-file limit. */
  private inflated = 0;

  private constructor(
    private readonly source: string | Buffer,
    private readonly entries: Map<string, ZipEntry>,
    private readonly limits: XlsxLimits,
    private readonly wholeFile: WholeFileLimit,
  ) {}

  static async open(
    source: string | Buffer,
    limits: XlsxLimits,
    wholeFile: WholeFileLimit,
  ): Promise<ZipEntries> {
    const file = typeof source === 'string' ? await open(source, 'r') : null;
    try {
      const read: ReadRange = file
        ? async (position, length) => {
            const buffer = Buffer.alloc(length);
            const { bytesRead } = await file.read(buffer, 0, length, position);
            return buffer.subarray(0, bytesRead);
          }
        : (position, length) => Promise.resolve((source as Buffer).subarray(position, position + length));
      const size = file ? (await file.stat()).size : (source as Buffer).length;
      const tail = await read(Math.max(0, size - 22 - 0xffff), Math.min(size, 22 + 0xffff));
      let end = tail.length - 22;
      while (end >= 0 && tail.readUInt32LE(end) !== END_OF_DIRECTORY) end--;
      if (end < 0)
        throw new UnreadableWorkbook(
          'The .xlsx file is damaged or incomplete (its zip directory cannot be read)',
        );
      const directorySize = tail.readUInt32LE(end + 12);
      const directoryOffset = tail.readUInt32LE(end + 16);
      // Checked before reading: a forged size would otherwise allocate up to 4 GiB.
      if (directoryOffset + directorySize > size)
        throw new UnreadableWorkbook(
          'The .xlsx file is damaged or incomplete (its zip directory lies past its end)',
        );
      const directory = await read(directoryOffset, directorySize);
      const entries = new Map<string, ZipEntry>();
      for (let at = 0, i = tail.readUInt16LE(end + 10); i > 0; i--) {
        if (at + 46 > directory.length || directory.readUInt32LE(at) !== DIRECTORY_ENTRY) {
          throw new UnreadableWorkbook('The .xlsx file is damaged (its zip directory is inconsistent)');
        }
        const nameLength = directory.readUInt16LE(at + 28);
        const name = directory.toString('utf8', at + 46, at + 46 + nameLength);
        const entry = {
          method: directory.readUInt16LE(at + 10),
          compressedSize: directory.readUInt32LE(at + 20),
          offset: directory.readUInt32LE(at + 42),
        };
        // Zip64 (sizes or offsets of 0xffffffff) is for archives far larger than an annex.
        if (entry.compressedSize === 0xffffffff || entry.offset === 0xffffffff)
          throw new UnreadableWorkbook(`The .xlsx file's entry ${name} is too large`);
        entries.set(name, entry);
        at += 46 + nameLength + directory.readUInt16LE(at + 30) + directory.readUInt16LE(at + 32);
      }
      // Where each entry's data starts: after its local header, whose name and extra field may differ from the directory's.
      for (const entry of entries.values()) {
        const header = await read(entry.offset, 30);
        if (header.length < 30 || header.readUInt32LE(0) !== LOCAL_FILE_HEADER)
          throw new UnreadableWorkbook('The .xlsx file is damaged (a zip entry header is missing)');
        entry.offset += 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
      }
      return new ZipEntries(source, entries, limits, wholeFile);
    } finally {
      await file?.close();
    }
  }

  /** How many entries the archive holds. */
  get size(): number {
    return this.entries.size;
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** The entries' names, in the order their data lies in the file. */
  get names(): string[] {
    return [...this.entries].sort(([, a], [, b]) => a.offset - b.offset).map(([name]) => name);
  }

  /**
   * The entry's content, inflated, as a stream of bytes that fails with {@link XlsxTooLarge} as
   * soon as a limit is crossed: the part's (`partLimit` when it is lower, e.g. the shared
   * strings'), the whole file's, or the compression ratio.
   */
  stream(name: string, partLimit?: 'XLSX_MAX_SHARED_STRINGS_BYTES'): Readable {
    const entry = this.entries.get(name);
    if (!entry) throw new UnreadableWorkbook(`The .xlsx file has no ${name}`);
    if (entry.method !== 0 && entry.method !== 8)
      throw new UnreadableWorkbook(`The .xlsx file's ${name} uses an unknown compression (${entry.method})`);
    const partLimitName =
      partLimit && this.limits[partLimit] < this.limits.XLSX_MAX_ENTRY_BYTES
        ? partLimit
        : 'XLSX_MAX_ENTRY_BYTES';
    const maxPart = this.limits[partLimitName];
    const maxWhole = this.limits[this.wholeFile];
    const ratio = this.limits.XLSX_MAX_COMPRESSION_RATIO;
    let compressed = 0;
    let inflated = 0;
    const countIn = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        compressed += chunk.length;
        done(null, chunk);
      },
    });
    const countOut = new Transform({
      transform: (chunk: Buffer, _encoding, done) => {
        inflated += chunk.length;
        this.inflated += chunk.length;
        if (inflated > maxPart)
          return done(new XlsxTooLarge(partLimitName, `${name} inflates beyond ${sizeText(maxPart)}`));
        if (this.inflated > maxWhole)
          return done(
            new XlsxTooLarge(
              this.wholeFile,
              `the parts of the workbook inflate beyond ${sizeText(maxWhole)} together (reading ${name})`,
            ),
          );
        if (inflated > RATIO_GRACE && inflated > ratio * compressed)
          return done(
            new XlsxTooLarge(
              'XLSX_MAX_COMPRESSION_RATIO',
              `${name} inflates to more than ${ratio} times its compressed size, as zip bombs do (real sheets: 5 to 15 times)`,
            ),
          );
        done(null, chunk);
      },
    });
    const raw = this.compressed(entry);
    // Any stream failing or closed early (the reader stopped) destroys the others.
    return entry.method === 0
      ? pipeline(raw, countIn, countOut, () => undefined)
      : pipeline(raw, countIn, createInflateRaw({ chunkSize: INFLATED_CHUNK }), countOut, () => undefined);
  }

  /** The entry's compressed bytes, a chunk at a time. */
  private compressed(entry: ZipEntry): Readable {
    if (typeof this.source !== 'string') {
      const data = this.source.subarray(entry.offset, entry.offset + entry.compressedSize);
      return Readable.from(
        (function* () {
          for (let at = 0; at < data.length; at += COMPRESSED_CHUNK)
            yield data.subarray(at, at + COMPRESSED_CHUNK);
        })(),
      );
    }
    if (entry.compressedSize === 0) return Readable.from([]);
    return createReadStream(this.source, {
      start: entry.offset,
      end: entry.offset + entry.compressedSize - 1,
      highWaterMark: COMPRESSED_CHUNK,
    });
  }
}
