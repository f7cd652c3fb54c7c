import { Provider } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { IsOptional, IsString } from 'class-validator';
import { BaseConfig, loadConfig, PLATFORM_OPTIONS, PlatformModuleOptions } from '@imb/platform';
import { DEFAULT_RULES, EligibilityRules, rulesProblems } from './eligibility-rules';

/** Settings of the dignification rules, validated at boot with the service's base settings. */
export class RulesConfig extends BaseConfig {
  /** JSON file overriding parts of the default rules table (exclusions, requiredCareLevel, tiers, expandedServices, priority, joinedStages). */
  @IsOptional()
  @IsString()
  DIGNIFICATION_RULES_FILE?: string;
}

/** The rules in force: new programmes copy them. */
export class RulesInForce {
  constructor(readonly rules: EligibilityRules) {}
}

/** The defaults with a file's overrides, refusing (at boot) a table that could not be applied. */
export function loadRules(file: string | undefined): EligibilityRules {
  const rules: EligibilityRules = file ? { ...DEFAULT_RULES, ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<EligibilityRules>) } : DEFAULT_RULES;
  const problems = rulesProblems(rules);
  if (problems.length) throw new Error(`DIGNIFICATION_RULES_FILE ${file}: ${problems.join('; ')}`);
  return rules;
}

export const rulesProvider: Provider = {
  provide: RulesInForce,
  inject: [PLATFORM_OPTIONS],
  useFactory: (platform: PlatformModuleOptions) => {
    const config = loadConfig(RulesConfig, platform.env ?? process.env, { service: platform.service, port: platform.port });
    return new RulesInForce(loadRules(config.DIGNIFICATION_RULES_FILE));
  },
};
