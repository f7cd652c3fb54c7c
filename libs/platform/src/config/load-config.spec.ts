import { IsBoolean, IsUrl } from 'class-validator';
import { BaseConfig } from './base-config';
import { BooleanFromEnv } from './env-transforms';
import { ConfigValidationError, loadConfig, validateConfig } from './load-config';

class TransferConfig extends BaseConfig {
  @BooleanFromEnv()
  @IsBoolean({ message: 'expected true or false' })
  AUTH_DEV_ISSUER = false;

  @IsUrl({ require_tld: false }, { message: 'expected the URL of the issuer JWKS' })
  JWKS_URL: string;
}

const transfer = { service: 'transfer', port: 3101 };

function problems(
  env: Record<string, string>,
  cls: new () => BaseConfig = BaseConfig,
): ConfigValidationError {
  try {
    validateConfig(cls, env, transfer);
  } catch (err) {
    if (err instanceof ConfigValidationError) return err;
    throw err;
  }
  throw new Error('expected the configuration to be refused');
}

describe('validateConfig', () => {
  it('gives every base variable a default that works on a developer machine', () => {
    const config = validateConfig(BaseConfig, {}, transfer);
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3101,
      HOST: '127.0.0.1',
      DATABASE_URL: 'postgres://transfer@127.0.0.1:5432/transfer',
      REDIS_URL: 'redis://127.0.0.1:6379',
      KAFKA_BROKERS: ['127.0.0.1:9092'],
      LOG_LEVEL: 'info',
      BODY_LIMIT: '1mb',
    });
    expect(config).toBeInstanceOf(BaseConfig);
  });

  it('reads the environment, converting numbers and comma lists, ignoring unrelated variables', () => {
    const config = validateConfig(
      BaseConfig,
      {
        PORT: '4000',
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://svc:secret@db.internal:6543/transfer',
        KAFKA_BROKERS: 'k1:9092, k2:9093,',
        LOG_LEVEL: 'debug',
        PATH: '/usr/bin',
      },
      transfer,
    );
    expect(config.PORT).toBe(4000);
    expect(config.NODE_ENV).toBe('production');
    expect(config.DATABASE_URL).toBe('postgresql://svc:secret@db.internal:6543/transfer');
    expect(config.KAFKA_BROKERS).toEqual(['k1:9092', 'k2:9093']);
    expect(config).not.toHaveProperty('PATH');
  });

  it('treats an empty variable as not set', () => {
    expect(validateConfig(BaseConfig, { PORT: '', LOG_LEVEL: ' ' }, transfer)).toMatchObject({
      PORT: 3101,
      LOG_LEVEL: 'info',
    });
  });

  it('lists every problem with the variable, its value and what is expected', () => {
    const error = problems({
      PORT: 'eighty',
      DATABASE_URL: 'mysql://root@localhost/transfer',
      KAFKA_BROKERS: 'localhost',
    });
    expect(error.problems).toEqual([
      { variable: 'PORT', value: 'eighty', expected: 'expected a whole number between 0 and 65535' },
      {
        variable: 'DATABASE_URL',
        value: 'mysql://root@localhost/transfer',
        expected: 'expected a PostgreSQL URL such as postgres://user@127.0.0.1:5432/database',
      },
      {
        variable: 'KAFKA_BROKERS',
        value: 'localhost',
        expected: 'expected a comma-separated list of host:port, e.g. 127.0.0.1:9092,127.0.0.1:9093',
      },
    ]);
    expect(error.message).toContain('Invalid configuration of transfer');
    expect(error.message).toContain('PORT="eighty": expected a whole number between 0 and 65535');
    expect(error.message).toContain('DATABASE_URL="mysql://root@localhost/transfer"');
  });

  it('refuses a port out of range and a database URL that is not a URL', () => {
    const error = problems({ PORT: '70000', DATABASE_URL: 'transfer-db' });
    expect(error.problems.map((p) => [p.variable, p.value])).toEqual([
      ['PORT', '70000'],
      ['DATABASE_URL', 'transfer-db'],
    ]);
  });

  it('validates the fields a service adds, including required ones without a default', () => {
    const error = problems({ AUTH_DEV_ISSUER: 'maybe' }, TransferConfig);
    expect(error.problems).toEqual([
      { variable: 'AUTH_DEV_ISSUER', value: 'maybe', expected: 'expected true or false' },
      { variable: 'JWKS_URL', value: undefined, expected: 'expected the URL of the issuer JWKS' },
    ]);
    expect(error.message).toContain('JWKS_URL=(not set): expected the URL of the issuer JWKS');

    const config = validateConfig(
      TransferConfig,
      { AUTH_DEV_ISSUER: 'yes', JWKS_URL: 'http://issuer:8080/jwks' },
      transfer,
    );
    expect(config.AUTH_DEV_ISSUER).toBe(true);
    expect(config.PORT).toBe(3101);
  });

  it('returns a frozen object', () => {
    const config = validateConfig(BaseConfig, {}, transfer);
    expect(Object.isFrozen(config)).toBe(true);
  });
});

describe('loadConfig', () => {
  it('prints all problems and exits with status 1', () => {
    const exit = jest.spyOn(process, 'exit').mockImplementation(((code?: number) => {
      throw new Error(`exit ${code}`);
    }) as never);
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(() => loadConfig(BaseConfig, { PORT: '-1', REDIS_URL: 'http://cache' }, transfer)).toThrow(
        'exit 1',
      );
      expect(exit).toHaveBeenCalledWith(1);
      const printed = stderr.mock.calls.map(([chunk]) => String(chunk)).join('');
      expect(printed).toContain('PORT="-1"');
      expect(printed).toContain(
        'REDIS_URL="http://cache": expected a Redis URL such as redis://127.0.0.1:6379',
      );
    } finally {
      exit.mockRestore();
      stderr.mockRestore();
    }
  });

  it('returns the config when it is valid', () => {
    expect(loadConfig(BaseConfig, { PORT: '3999' }).PORT).toBe(3999);
  });
});
