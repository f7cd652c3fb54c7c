import { Provider } from '@nestjs/common';
import { ValidateBy } from 'class-validator';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

const MAX_INTERVAL_MS = 3_600_000;

/** 0 (off) or a pause long enough not to hammer the database. */
function IsPublishingInterval(): PropertyDecorator {
  return ValidateBy({
    name: 'isPublishingInterval',
    validator: {
      validate: (value: unknown) => Number.isInteger(value) && (value === 0 || ((value as number) >= 100 && (value as number) <= MAX_INTERVAL_MS)),
      defaultMessage: () => `expected a whole number of milliseconds: 0 (do not publish from this process) or 100 to ${MAX_INTERVAL_MS}`,
    },
  });
}

/** Settings of the progress figures, validated at boot with the service's base settings. */
export class ProgressConfig extends BaseConfig {
  /** How often changed figures are published as events; 0 turns publishing off in this process. */
  @IntFromEnv()
  @IsPublishingInterval()
  PROGRESS_INTERVAL_MS = 2000;
}

/** Provides {@link ProgressConfig}, read from the environment the platform booted with. */
export const progressConfigProvider: Provider = {
  provide: ProgressConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(ProgressConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};
