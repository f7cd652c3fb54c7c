import { Provider } from '@nestjs/common';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { resolve } from 'node:path';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MIB = 1024 * 1024;

/**
 * Settings of the evidence documents, read from the environment and validated at boot like the
 * service's base settings (the process stops with a list of what is wrong).
 */
export class DocumentsConfig extends BaseConfig {
  /** Root of the service's stored files; relative paths are resolved against the working directory. */
  @IsString({ message: 'expected a directory path, e.g. .run/storage/transfer' })
  @MinLength(1, { message: 'expected a directory path, e.g. .run/storage/transfer' })
  STORAGE_DIR = '.run/storage/transfer';

  /** Largest accepted document, in bytes. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Min(1, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Max(1024 * MIB, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  DOCUMENT_MAX_BYTES = 25 * MIB;
}

/** Provides {@link DocumentsConfig}, read from the environment the platform booted with. */
export const documentsConfigProvider: Provider = {
  provide: DocumentsConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(DocumentsConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/** The absolute storage root of a config. */
export function storageRoot(config: DocumentsConfig): string {
  return resolve(process.cwd(), config.STORAGE_DIR);
}

/** "25 MB" for whole mebibytes, otherwise the byte count. */
export function formatBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MB` : `${bytes} bytes`;
}
