import { AuditConfig } from '@imb/audit';
import { loadAuthConfig } from '@imb/auth';
import { BaseConfig, validateConfig } from '@imb/platform';
import { EvidenceConfig } from './evidence/evidence.config';
import { RulesConfig } from './units/rules.config';

/** The service's name and default port, as PlatformModule boots it. */
export const SERVICE = { service: 'dignification', port: 3104 };

/**
 * Every setting dignification reads at start-up, validated as its providers do (each throws listing what
 * is wrong): the configuration classes of its features and the auth settings. The compose test
 * (config.spec.ts) runs docker-compose.yml's environment through it. A feature that adds a
 * configuration class adds it here.
 */
export function validateServiceConfig(env: Record<string, string | undefined>) {
  const classes: (new () => BaseConfig)[] = [RulesConfig, EvidenceConfig, AuditConfig];
  return { settings: classes.map((configClass) => validateConfig(configClass, env, SERVICE)), auth: loadAuthConfig(env) };
}
