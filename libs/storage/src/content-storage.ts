import type { Readable } from 'node:stream';

/** What a store knows of a piece of content: its SHA-256 (lower-case hex) and its size in bytes. */
export interface StoredContent {
  sha256: string;
  size: number;
}

/**
 * Where files live, addressed by the SHA-256 of their content: storing the same bytes twice
 * keeps one copy, and a hash names exactly one content. {@link LocalDiskContentStorage} is the
 * default; an object store can replace it by implementing this interface.
 */
export interface ContentStorage {
  /** Stores the content (read to its end) and returns its hash and size; stored at most once per hash. */
  put(content: Readable | Buffer): Promise<StoredContent>;
  /** The stored content of `sha256`; rejects with {@link ContentNotFoundError} when there is none. */
  open(sha256: string): Promise<Readable>;
  /** Whether content with this hash is stored. */
  exists(sha256: string): Promise<boolean>;
}

/** No content is stored under the hash. */
export class ContentNotFoundError extends Error {
  constructor(readonly sha256: string) {
    super(`no stored content has the SHA-256 ${sha256}`);
    this.name = 'ContentNotFoundError';
  }
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/** True when `value` is a SHA-256 in lower-case hex, the only form the stores accept. */
export function isSha256(value: string): boolean {
  return SHA256_HEX.test(value);
}
