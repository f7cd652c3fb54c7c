import { Provider } from '@nestjs/common';
import { IsInt, IsString, Matches, Max, Min, MinLength } from 'class-validator';
import { resolve } from 'node:path';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MIB = 1024 * 1024;

/** Settings of the works evidence, validated at boot. */
export class EvidenceConfig extends BaseConfig {
  /** A photo taken farther than this from its unit's coordinates is flagged (our rule). */
  @IntFromEnv()
  @Min(1)
  @Max(1000)
  EVIDENCE_MAX_DISTANCE_KM = 5;

  /** Largest accepted photo, in bytes: phone photos are 1–8 MB (JPEG/HEIC at 12–50 Mpx). */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1024 to 104857600 (100 MB)' })
  @Min(1024, { message: 'expected a whole number of bytes from 1024 to 104857600 (100 MB)' })
  @Max(100 * MIB, { message: 'expected a whole number of bytes from 1024 to 104857600 (100 MB)' })
  EVIDENCE_MAX_BYTES = 20 * MIB;

  /**
   * UTC offset of a photo's EXIF DateTimeOriginal when the camera recorded none (no
   * OffsetTimeOriginal): central Mexico time, which keeps no daylight saving since 2022.
   */
  @Matches(/^[+-](0\d|1[0-4]):[0-5]\d$/, { message: 'expected a UTC offset such as -06:00' })
  EVIDENCE_DEFAULT_UTC_OFFSET = '-06:00';

  /** Root of the service's stored files (photos under `<STORAGE_DIR>/evidence`); relative to the working directory. */
  @IsString({ message: 'expected a directory path, e.g. .run/storage/dignification' })
  @MinLength(1, { message: 'expected a directory path, e.g. .run/storage/dignification' })
  STORAGE_DIR = '.run/storage/dignification';
}

/** Where photos are stored (absolute): content-addressed under `<STORAGE_DIR>/evidence`. */
export function photosRoot(config: EvidenceConfig): string {
  return resolve(process.cwd(), config.STORAGE_DIR, 'evidence');
}

export const evidenceConfigProvider: Provider = {
  provide: EvidenceConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(EvidenceConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};
