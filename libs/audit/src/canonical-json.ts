/**
 * Deterministic JSON text of a value: object keys sorted, otherwise the same rules as
 * `JSON.stringify` (toJSON honoured, undefined/function members dropped, NaN/Infinity → null).
 *
 * Why not `JSON.stringify`: key order follows insertion order, and PostgreSQL `jsonb` re-orders
 * keys on storage, so the same record read back would hash differently.
 */
export function canonicalJson(value: unknown): string {
  const text = serialize(value, new Set());
  if (text === undefined) throw new TypeError('canonicalJson: the value has no JSON representation');
  return text;
}

function serialize(input: unknown, ancestors: Set<object>): string | undefined {
  const value = hasToJson(input) ? input.toJSON() : input;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'bigint':
      throw new TypeError('canonicalJson: a bigint has no JSON representation; convert it to a string first');
    case 'object':
      if (value === null) return 'null';
      if (ancestors.has(value)) throw new TypeError('canonicalJson: the value contains a circular reference');
      ancestors.add(value);
      try {
        if (Array.isArray(value)) {
          return `[${value.map((item) => serialize(item, ancestors) ?? 'null').join(',')}]`;
        }
        const members: string[] = [];
        for (const key of Object.keys(value).sort()) {
          const member = serialize((value as Record<string, unknown>)[key], ancestors);
          if (member !== undefined) members.push(`${JSON.stringify(key)}:${member}`);
        }
        return `{${members.join(',')}}`;
      } finally {
        ancestors.delete(value);
      }
  }
}

function hasToJson(value: unknown): value is { toJSON(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { toJSON?: unknown }).toJSON === 'function'
  );
}
