import { plainToInstance } from 'class-transformer';
import { getMetadataStorage, validateSync, ValidationError } from 'class-validator';
import { BaseConfig } from './base-config';

/** Service-specific defaults applied before the environment is read. */
export interface ConfigDefaults {
  /** Service name: the default DATABASE_URL (and so MIGRATIONS_DATABASE_URL) is postgres://<service>@127.0.0.1:5432/<service>. */
  service?: string;
  /** Default PORT of the service (gateway 3000, transfer 3101, …). */
  port?: number;
}

/** One wrong environment variable. */
export interface ConfigProblem {
  variable: string;
  /** The value as given in the environment; undefined when it was not set. */
  value: string | undefined;
  expected: string;
}

/** Thrown by {@link validateConfig}; its message lists every problem, one per line. */
export class ConfigValidationError extends Error {
  constructor(
    readonly problems: ConfigProblem[],
    service?: string,
  ) {
    super(
      [
        `Invalid configuration${service ? ` of ${service}` : ''}: fix these environment variables and start again.`,
        ...problems.map(
          (p) =>
            `  - ${p.variable}=${p.value === undefined ? '(not set)' : JSON.stringify(p.value)}: ${p.expected}`,
        ),
      ].join('\n'),
    );
    this.name = 'ConfigValidationError';
  }
}

type ConfigClass<T> = new () => T;

/** Names of the fields a config class declares: those with an initial value or a validator. */
function declaredFields(configClass: ConfigClass<object>, instance: object): string[] {
  const validated = getMetadataStorage()
    .getTargetValidationMetadatas(configClass, '', true, false)
    .map((m) => m.propertyName);
  return [...new Set([...Object.keys(instance), ...validated])];
}

function problemsOf(errors: ValidationError[], env: Record<string, string | undefined>): ConfigProblem[] {
  return errors.map((error) => ({
    variable: error.property,
    value: nonEmpty(env[error.property]),
    expected: [...new Set(Object.values(error.constraints ?? {}))].join('; ') || 'a valid value',
  }));
}

// An empty variable (`PORT=`) means "not set", the way shells and .env files commonly use it.
function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

/**
 * Builds a config object from `env`: class defaults, then `defaults`, then environment values,
 * validated with class-validator. Throws {@link ConfigValidationError} listing every problem.
 */
export function validateConfig<T extends BaseConfig>(
  configClass: ConfigClass<T>,
  env: Record<string, string | undefined>,
  defaults: ConfigDefaults = {},
): T {
  const initial = new configClass();
  const plain: Record<string, unknown> = { ...(initial as object) };
  if (defaults.port !== undefined) plain.PORT = defaults.port;
  if (defaults.service !== undefined) {
    plain.DATABASE_URL = `postgres://${defaults.service}@127.0.0.1:5432/${defaults.service}`;
  }
  for (const field of declaredFields(configClass, initial)) {
    const value = nonEmpty(env[field]);
    if (value !== undefined) plain[field] = value;
  }
  const config = plainToInstance(configClass, plain);
  const errors = validateSync(config, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigValidationError(problemsOf(errors, env), defaults.service);
  // Unset, migrations connect as the service does. Filled in after validation, so that a wrong
  // DATABASE_URL is reported once, under its own name.
  config.MIGRATIONS_DATABASE_URL ??= config.DATABASE_URL;
  return Object.freeze(config);
}

/**
 * Loads and validates the configuration at boot. On any problem prints them all to stderr and
 * exits with status 1: a service never starts half-configured.
 */
export function loadConfig<T extends BaseConfig>(
  configClass: ConfigClass<T>,
  env: Record<string, string | undefined> = process.env,
  defaults: ConfigDefaults = {},
): T {
  try {
    return validateConfig(configClass, env, defaults);
  } catch (err) {
    if (!(err instanceof ConfigValidationError)) throw err;
    process.stderr.write(`${err.message}\n`);
    return process.exit(1);
  }
}
