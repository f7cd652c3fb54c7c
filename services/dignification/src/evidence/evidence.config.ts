import { Provider } from '@nestjs/common';
import { Max, Min } from 'class-validator';
import { BaseConfig, IntFromEnv, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';

/** Settings of the works evidence, validated at boot. */
export class EvidenceConfig extends BaseConfig {
  /** A photo taken farther than this from its unit's coordinates is flagged (our rule). */
  @IntFromEnv()
  @Min(1)
  @Max(1000)
  EVIDENCE_MAX_DISTANCE_KM = 5;
}

export const evidenceConfigProvider: Provider = {
  provide: EvidenceConfig,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) =>
    loadConfig(EvidenceConfig, platform.env ?? process.env, { service: platform.service, port: platform.port }),
};
