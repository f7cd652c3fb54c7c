import { AuditConfig } from '@imb/audit';
import { loadAuthConfig } from '@imb/auth';
import { BaseConfig, validateConfig, XlsxLimitsConfig } from '@imb/platform';
import { DemandConfig } from './demand/demand.config';

/** The service's name and default port, as PlatformModule boots it. */
export const SERVICE = { service: 'procurement', port: 3103 };

/**
 * Every setting procurement reads at start-up, validated as its providers do (each throws listing what
 * is wrong): the configuration classes of its features and the auth settings. The compose test
 * (config.spec.ts) runs docker-compose.yml's environment through it. A feature that adds a
 * configuration class adds it here.
 */
export function validateServiceConfig(env: Record<string, string | undefined>) {
  const classes: (new () => BaseConfig)[] = [DemandConfig, XlsxLimitsConfig, AuditConfig];
  return { settings: classes.map((configClass) => validateConfig(configClass, env, SERVICE)), auth: loadAuthConfig(env) };
}
