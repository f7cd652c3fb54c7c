import { IsString, MinLength } from 'class-validator';
import { resolve } from 'node:path';
import { BaseConfig } from '@imb/platform';

export const MIB = 1024 * 1024;

/** Settings every transfer feature that stores files shares (documents, catalogue uploads). */
export class StorageConfig extends BaseConfig {
  /** Root of the service's stored files; relative paths are resolved against the working directory. */
  @IsString({ message: 'expected a directory path, e.g. .run/storage/transfer' })
  @MinLength(1, { message: 'expected a directory path, e.g. .run/storage/transfer' })
  STORAGE_DIR = '.run/storage/transfer';
}

/** The absolute storage root of a config. */
export function storageRoot(config: StorageConfig): string {
  return resolve(process.cwd(), config.STORAGE_DIR);
}

/** "25 MB" for whole mebibytes, otherwise the byte count. */
export function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MB` : `${bytes} bytes`;
}
