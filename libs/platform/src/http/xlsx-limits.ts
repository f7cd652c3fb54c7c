import { Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig } from '../config/base-config';
import { IntFromEnv } from '../config/env-transforms';
import { loadConfig } from '../config/load-config';
import { PLATFORM_OPTIONS, PlatformModuleOptions } from '../platform-options';
import { sizeText } from './xlsx-zip';

const KIB = 1024;
const MIB = 1024 * KIB;
const GIB = 1024 * MIB;

const bytes = (min: number, max: number) =>
  `expected a whole number of bytes from ${min} (${sizeText(min)}) to ${max} (${sizeText(max)})`;

/**
 * How far an uploaded .xlsx may inflate, read from the environment and validated at boot. An
 * .xlsx is a zip, and a 520 kB upload can inflate to 520 MiB: the readers count the bytes coming
 * out of each part as it inflates, whatever sizes the zip declares, and stop at the first limit
 * crossed with XLSX_TOO_LARGE naming it. The defaults leave room for the largest real files: the
 * national CLUES catalogue (~64,000 units × 67 columns: a sheet of about 110 MiB and 11 MiB of
 * shared strings, compressed 8:1), the 2027-2028 demand annex (a 17 MiB sheet), a reference list
 * of 100,000 CURPs (16 MiB).
 */
export class XlsxLimitsConfig extends BaseConfig {
  /** Largest inflated size of one part of a workbook (a sheet, the shared strings, the workbook part). */
  @IntFromEnv()
  @IsInt({ message: bytes(MIB, 4 * GIB) })
  @Min(MIB, { message: bytes(MIB, 4 * GIB) })
  @Max(4 * GIB, { message: bytes(MIB, 4 * GIB) })
  XLSX_MAX_ENTRY_BYTES = 256 * MIB;

  /** Largest inflated size of the parts read from one workbook, together (a workbook of many sheets). */
  @IntFromEnv()
  @IsInt({ message: bytes(MIB, 4 * GIB) })
  @Min(MIB, { message: bytes(MIB, 4 * GIB) })
  @Max(4 * GIB, { message: bytes(MIB, 4 * GIB) })
  XLSX_MAX_INFLATED_BYTES = 512 * MIB;

  /**
   * The same, for a workbook read within an HTTP request with all its rows held in memory (bid
   * files, reference lists): memory grows with the rows, so the limit is lower.
   */
  @IntFromEnv()
  @IsInt({ message: bytes(MIB, GIB) })
  @Min(MIB, { message: bytes(MIB, GIB) })
  @Max(GIB, { message: bytes(MIB, GIB) })
  XLSX_MAX_REQUEST_INFLATED_BYTES = 32 * MIB;

  /**
   * Largest ratio of a part's inflated size to its compressed size, checked once the part has
   * inflated past 1 MiB. Real sheets compress 5 to 15 times; repeated filler, as zip bombs hold,
   * a thousand times.
   */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number from 10 to 10000' })
  @Min(10, { message: 'expected a whole number from 10 to 10000' })
  @Max(10000, { message: 'expected a whole number from 10 to 10000' })
  XLSX_MAX_COMPRESSION_RATIO = 100;

  /** Most shared strings a workbook may hold (they are kept in memory while its rows are read). */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of strings from 1000 to 100000000' })
  @Min(1000, { message: 'expected a whole number of strings from 1000 to 100000000' })
  @Max(100_000_000, { message: 'expected a whole number of strings from 1000 to 100000000' })
  XLSX_MAX_SHARED_STRINGS = 1_000_000;

  /** Largest inflated size of the shared strings part, which is kept in memory while the rows are read. */
  @IntFromEnv()
  @IsInt({ message: bytes(MIB, GIB) })
  @Min(MIB, { message: bytes(MIB, GIB) })
  @Max(GIB, { message: bytes(MIB, GIB) })
  XLSX_MAX_SHARED_STRINGS_BYTES = 64 * MIB;

  /**
   * Largest single element of a part: a row of a sheet, a shared string, a sheet's entry in the
   * workbook (counted in characters of its XML). A real row is a few kB; one that never closes is
   * refused here instead of being held whole.
   */
  @IntFromEnv()
  @IsInt({ message: bytes(64 * KIB, 256 * MIB) })
  @Min(64 * KIB, { message: bytes(64 * KIB, 256 * MIB) })
  @Max(256 * MIB, { message: bytes(64 * KIB, 256 * MIB) })
  XLSX_MAX_ELEMENT_BYTES = 16 * MIB;
}

/** The limits a workbook is read under (the settings of {@link XlsxLimitsConfig}). */
export type XlsxLimits = Pick<
  XlsxLimitsConfig,
  | 'XLSX_MAX_ENTRY_BYTES'
  | 'XLSX_MAX_INFLATED_BYTES'
  | 'XLSX_MAX_REQUEST_INFLATED_BYTES'
  | 'XLSX_MAX_COMPRESSION_RATIO'
  | 'XLSX_MAX_SHARED_STRINGS'
  | 'XLSX_MAX_SHARED_STRINGS_BYTES'
  | 'XLSX_MAX_ELEMENT_BYTES'
>;

/** The default limits, for readers given none. */
export const DEFAULT_XLSX_LIMITS: XlsxLimits = Object.freeze(new XlsxLimitsConfig());

/** Provides {@link XlsxLimitsConfig}, read from the environment the platform booted with. */
export const xlsxLimitsProvider: Provider = {
  provide: XlsxLimitsConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(XlsxLimitsConfig, platform.env ?? process.env, {
      service: platform.service,
      port: platform.port,
    }),
};
