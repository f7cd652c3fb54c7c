import { Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { join } from 'node:path';
import { IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';
import { MIB, StorageConfig, storageRoot } from '../storage.config';

export { formatBytes } from '../storage.config';

/**
 * Settings of the units feature, read from the environment and validated at boot. The upload
 * limit is 40 MB by default: a state's catalogue is a few MB (Hidalgo's 511 units: 135 kB as
 * .xlsx), the national catalogue of ~64,000 units about 17 MB as .xlsx; raise the limit to
 * import a national CSV export with all 67 columns.
 */
export class UnitsConfig extends StorageConfig {
  /** Largest accepted catalogue upload, in bytes. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Min(1, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Max(1024 * MIB, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  UNITS_IMPORT_MAX_BYTES = 40 * MIB;

  /**
   * Rows written per transaction by the import job (each chunk commits with its checkpoint). Big
   * chunks spread each transaction's fixed cost (audit record, checkpoint, round trips) over more rows.
   */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of rows from 100 to 10000' })
  @Min(100, { message: 'expected a whole number of rows from 100 to 10000' })
  @Max(10000, { message: 'expected a whole number of rows from 100 to 10000' })
  UNITS_IMPORT_CHUNK_ROWS = 10000;
}

/** Provides {@link UnitsConfig}, read from the environment the platform booted with. */
export const unitsConfigProvider: Provider = {
  provide: UnitsConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(UnitsConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/** Where uploaded catalogues wait for their import job (absolute). */
export function importsDir(config: UnitsConfig): string {
  return join(storageRoot(config), 'imports');
}
