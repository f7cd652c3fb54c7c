import { BaseConfig } from './base-config';
import { ConfigValidationError, validateConfig } from './load-config';

const hr = { service: 'hr', port: 3102 };

describe('MIGRATIONS_DATABASE_URL', () => {
  it('is DATABASE_URL when unset, the default one included', () => {
    expect(validateConfig(BaseConfig, {}, hr).MIGRATIONS_DATABASE_URL).toBe(
      'postgres://hr@127.0.0.1:5432/hr',
    );
    const runtime = 'postgres://hr_app:hr_app@db:5432/hr';
    expect(
      validateConfig(BaseConfig, { DATABASE_URL: runtime, MIGRATIONS_DATABASE_URL: '' }, hr),
    ).toMatchObject({
      DATABASE_URL: runtime,
      MIGRATIONS_DATABASE_URL: runtime,
    });
  });

  it('names its own role when set', () => {
    const config = validateConfig(
      BaseConfig,
      {
        DATABASE_URL: 'postgres://hr_app:hr_app@db:5432/hr',
        MIGRATIONS_DATABASE_URL: 'postgresql://hr:hr@db:5432/hr',
      },
      hr,
    );
    expect(config.DATABASE_URL).toBe('postgres://hr_app:hr_app@db:5432/hr');
    expect(config.MIGRATIONS_DATABASE_URL).toBe('postgresql://hr:hr@db:5432/hr');
  });

  it('is validated like DATABASE_URL', () => {
    let error: unknown;
    try {
      validateConfig(BaseConfig, { MIGRATIONS_DATABASE_URL: 'mysql://root@db/hr' }, hr);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigValidationError);
    expect((error as ConfigValidationError).problems).toEqual([
      {
        variable: 'MIGRATIONS_DATABASE_URL',
        value: 'mysql://root@db/hr',
        expected: expect.stringContaining('PostgreSQL URL'),
      },
    ]);
  });

  it('is not reported again when DATABASE_URL, which it would take, is wrong', () => {
    expect(() => validateConfig(BaseConfig, { DATABASE_URL: 'hr-db' }, hr)).toThrow(
      expect.objectContaining({ problems: [expect.objectContaining({ variable: 'DATABASE_URL' })] }),
    );
  });
});
