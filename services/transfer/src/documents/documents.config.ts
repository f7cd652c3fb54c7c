import { Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';
import { MIB, StorageConfig } from '../storage.config';

export { formatBytes, storageRoot } from '../storage.config';

/**
 * Settings of the evidence documents, read from the environment and validated at boot like the
 * service's base settings (the process stops with a list of what is wrong).
 */
export class DocumentsConfig extends StorageConfig {
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
