import { open } from 'node:fs/promises';

/** The first `length` bytes of the file at `path` (fewer when it is shorter): enough to tell what an upload really is. */
export async function readFileHead(path: string, length = 64 * 1024): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(length), 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * What the first bytes of a file named .csv hold that text does not: NUL bytes (a binary or UTF-16
 * file is full of them) and other control characters (tab, line feed, form feed and carriage return
 * aside). How many of each make a file "not text" is the caller's to say.
 */
export function controlBytes(head: Buffer): { nul: number; other: number } {
  let nul = 0;
  let other = 0;
  for (const byte of head) {
    if (byte === 0) nul++;
    else if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0c && byte !== 0x0d) other++;
  }
  return { nul, other };
}
