import { Provider } from '@nestjs/common';
import { IsInt, Max, Min } from 'class-validator';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MIB = 1024 * 1024;

/** Settings of the formalization campaigns, from the environment, validated at boot. */
export class FormalizationConfig extends BaseConfig {
  /** Largest accepted reference list upload (a list of 100,000 CURPs is about 2 MB as CSV). */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of bytes from 1 to 209715200 (200 MB)' })
  @Min(1, { message: 'expected a whole number of bytes from 1 to 209715200 (200 MB)' })
  @Max(200 * MIB, { message: 'expected a whole number of bytes from 1 to 209715200 (200 MB)' })
  FORMALIZATION_LIST_MAX_BYTES = 20 * MIB;

  /** Candidates evaluated per transaction (with its checkpoint) by the eligibility job. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of candidates from 100 to 50000' })
  @Min(100, { message: 'expected a whole number of candidates from 100 to 50000' })
  @Max(50000, { message: 'expected a whole number of candidates from 100 to 50000' })
  FORMALIZATION_EVALUATION_CHUNK = 2000;

  /** People moved per transaction (with its checkpoint) by a bulk step job. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of people from 1 to 1000' })
  @Min(1, { message: 'expected a whole number of people from 1 to 1000' })
  @Max(1000, { message: 'expected a whole number of people from 1 to 1000' })
  FORMALIZATION_STEP_CHUNK = 100;
}

export const formalizationConfigProvider: Provider = {
  provide: FormalizationConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) => loadConfig(FormalizationConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};
