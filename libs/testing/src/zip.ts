import { constants, deflateRawSync } from 'node:zlib';

export interface ZipOptions {
  /** Store entries as they are instead of deflating them. */
  store?: boolean;
  /** The archive comment, after the end-of-central-directory record. */
  comment?: string;
}

/** An entry given already deflated: raw deflate data that inflates to `size` bytes. */
export interface DeflatedEntry {
  deflated: Buffer;
  size: number;
}

const MIB = 1024 * 1024;

/**
 * Deflated data of `head`, then `body` `times` over, then `tail`, built in the time and memory of
 * its compressed size, so a test can hold an entry that inflates to hundreds of MiB (a zip bomb):
 * each piece is deflated once and flushed to a byte boundary with the compressor's history
 * reset (Z_FULL_FLUSH), which lets its bytes be repeated as they are.
 */
export function repeatedEntry(head: string, body: string | Buffer, times: number, tail = ''): DeflatedEntry {
  const unit = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const perBlock = Math.max(1, Math.floor(MIB / unit.length));
  const piece = (content: Buffer) => deflateRawSync(content, { finishFlush: constants.Z_FULL_FLUSH });
  const block = piece(Buffer.concat(Array<Buffer>(Math.min(perBlock, times)).fill(unit)));
  const rest = times % perBlock;
  const deflated = Buffer.concat([
    piece(Buffer.from(head)),
    ...Array<Buffer>(Math.floor(times / perBlock)).fill(block),
    ...(rest ? [piece(Buffer.concat(Array<Buffer>(rest).fill(unit)))] : []),
    deflateRawSync(Buffer.from(tail)),
  ]);
  return { deflated, size: Buffer.byteLength(head) + unit.length * times + Buffer.byteLength(tail) };
}

const isDeflated = (content: string | Buffer | DeflatedEntry): content is DeflatedEntry =>
  typeof content === 'object' && !Buffer.isBuffer(content);

/**
 * A zip archive holding the given entries (name → content), the way a workbook writer lays one
 * out: local headers and data, then the central directory, then its end record. For tests of
 * the readers that walk zips: CRCs are left at zero, which none of them checks.
 */
export function zipOf(
  entries: Record<string, string | Buffer | DeflatedEntry>,
  options: ZipOptions = {},
): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(entries)) {
    const method = options.store && !isDeflated(content) ? 0 : 8;
    let data: Buffer;
    let size: number;
    if (isDeflated(content)) ({ deflated: data, size } = content);
    else {
      const raw = Buffer.isBuffer(content) ? content : Buffer.from(content);
      data = options.store ? raw : deflateRawSync(raw);
      size = raw.length;
    }
    const fileName = Buffer.from(name);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, data);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + data.length;
  }
  const directory = Buffer.concat(centrals);
  const comment = Buffer.from(options.comment ?? '');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(centrals.length / 2, 8);
  end.writeUInt16LE(centrals.length / 2, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  end.writeUInt16LE(comment.length, 20);
  return Buffer.concat([...locals, directory, end, comment]);
}
