import { Provider } from '@nestjs/common';
import { IsInt, IsString, Max, Min, MinLength } from 'class-validator';
import { join, resolve } from 'node:path';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MIB = 1024 * 1024;

/** Settings of the roster imports, from the environment, validated at boot. A 100,000-row roster is ~15 MB as CSV. */
export class HrConfig extends BaseConfig {
  /** Root of the service's stored files; uploads wait for their import job under `imports/`. */
  @IsString({ message: 'expected a directory path, e.g. .run/storage/hr' })
  @MinLength(1, { message: 'expected a directory path, e.g. .run/storage/hr' })
  STORAGE_DIR = '.run/storage/hr';

  /** Largest accepted roster upload, in bytes. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Min(1, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  @Max(1024 * MIB, { message: 'expected a whole number of bytes from 1 to 1073741824 (1 GB)' })
  ROSTER_IMPORT_MAX_BYTES = 100 * MIB;

  /** Rows written per transaction by the import job (each chunk commits with its checkpoint). */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of rows from 100 to 10000' })
  @Min(100, { message: 'expected a whole number of rows from 100 to 10000' })
  @Max(10000, { message: 'expected a whole number of rows from 100 to 10000' })
  ROSTER_IMPORT_CHUNK_ROWS = 10000;

  /**
   * Roster imports, dry runs included, one person may start in any hour (national roles are not
   * counted; see roster-import-budget.ts). A state's import is a dry run, a few fixes and the real
   * one; more, row after row, is someone asking which CURPs hold a post elsewhere.
   */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of imports from 1 to 1000' })
  @Min(1, { message: 'expected a whole number of imports from 1 to 1000' })
  @Max(1000, { message: 'expected a whole number of imports from 1 to 1000' })
  ROSTER_IMPORTS_PER_HOUR = 20;
}

export const hrConfigProvider: Provider = {
  provide: HrConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) => loadConfig(HrConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};

/** Where uploaded rosters wait for their import job (absolute). */
export function rosterImportsDir(config: HrConfig): string {
  return join(resolve(process.cwd(), config.STORAGE_DIR), 'imports');
}
