import { AuditConfig } from '@imb/audit';
import { loadAuthConfig } from '@imb/auth';
import { BaseConfig, validateConfig, XlsxLimitsConfig } from '@imb/platform';
import { DocumentsConfig } from './documents/documents.config';
import { ProgressConfig } from './progress/progress.config';
import { OrphanedImportsConfig } from './units/orphaned-imports';
import { UnitsConfig } from './units/units.config';

/** The service's name and default port, as PlatformModule boots it. */
export const SERVICE = { service: 'transfer', port: 3101 };

/**
 * Every setting transfer reads at start-up, validated as its providers do (each throws listing what
 * is wrong): the configuration classes of its features and the auth settings. The compose test
 * (config.spec.ts) runs docker-compose.yml's environment through it. A feature that adds a
 * configuration class adds it here.
 */
export function validateServiceConfig(env: Record<string, string | undefined>) {
  const classes: (new () => BaseConfig)[] = [UnitsConfig, DocumentsConfig, ProgressConfig, OrphanedImportsConfig, XlsxLimitsConfig, AuditConfig];
  return { settings: classes.map((configClass) => validateConfig(configClass, env, SERVICE)), auth: loadAuthConfig(env) };
}
