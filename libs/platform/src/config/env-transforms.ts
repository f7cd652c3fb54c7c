import { Transform } from 'class-transformer';

// Environment variables are always strings. These transforms convert only values that parse
// cleanly and leave anything else untouched, so the validator reports the value as it was given.

/** Reads an integer from an environment string ("3101" → 3101). */
export function IntFromEnv(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value,
  );
}

/** Reads a boolean from an environment string (true/false, 1/0, yes/no, on/off). */
export function BooleanFromEnv(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => {
    if (typeof value !== 'string') return value;
    const normalized = value.trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(normalized)) return true;
    if (['false', '0', 'no', 'off'].includes(normalized)) return false;
    return value;
  });
}

/** Reads a comma-separated list from an environment string ("a, b,c" → ["a", "b", "c"]). */
export function ListFromEnv(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string'
      ? value
          .split(',')
          .map((item) => item.trim())
          .filter((item) => item.length > 0)
      : value,
  );
}
