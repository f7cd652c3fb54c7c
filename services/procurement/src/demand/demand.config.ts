import { Provider } from '@nestjs/common';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { join, resolve } from 'node:path';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MIB = 1024 * 1024;

/** Settings of demand imports, read from the environment and validated at boot. */
export class DemandConfig extends BaseConfig {
  /** Root of the service's stored files; uploads wait in <STORAGE_DIR>/imports for their job. */
  @IsString({ message: 'expected a directory path, e.g. .run/storage/procurement' })
  @MinLength(1, { message: 'expected a directory path, e.g. .run/storage/procurement' })
  STORAGE_DIR = '.run/storage/procurement';

  /** Largest accepted annex upload, in bytes (the 2027-2028 annex is 2.4 MB). */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Min(1, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Max(1024 * MIB, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  DEMAND_IMPORT_MAX_BYTES = 50 * MIB;
}

export const demandConfigProvider: Provider = {
  provide: DemandConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(DemandConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/** Where uploaded annexes wait for their import job (absolute). */
export function importsDir(config: DemandConfig): string {
  return join(resolve(process.cwd(), config.STORAGE_DIR), 'imports');
}
