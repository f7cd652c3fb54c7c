import type { OpenAPIObject, PathItemObject } from '@nestjs/swagger';

/** One service's part of the merged document: its document, or why it is missing. */
export type ServiceDocument =
  | { service: string; document: OpenAPIObject }
  | { service: string; error: string };

const SCHEMA_REF = '#/components/schemas/';

/** `value` with every `$ref` to a schema renamed by `renames`. */
function renameRefs<T>(value: T, renames: Map<string, string>): T {
  if (renames.size === 0) return value;
  const text = JSON.stringify(value).replace(
    /"\$ref":"#\/components\/schemas\/([^"]+)"/g,
    (whole, name: string) => (renames.has(name) ? `"$ref":"${SCHEMA_REF}${renames.get(name)}"` : whole),
  );
  return JSON.parse(text) as T;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The path's operations with ids made unique across services (every service has e.g. `AuditController_search`). */
function prefixOperationIds(item: PathItemObject, service: string): PathItemObject {
  const out: PathItemObject = { ...item };
  for (const method of METHODS) {
    const operation = out[method];
    if (operation?.operationId)
      out[method] = { ...operation, operationId: `${service}_${operation.operationId}` };
  }
  return out;
}

/**
 * One document for the whole API: the gateway's own paths, then each service's other paths and
 * components. A service's schema whose name is taken by a different schema is renamed
 * `<service>.<Name>` (with its references), and its operation ids are prefixed with its name so
 * they stay unique. A service whose document could not be read is
 * named in the description and in `x-missing-services`, and its paths are absent.
 */
export function mergeOpenApi(gateway: OpenAPIObject, services: ServiceDocument[]): OpenAPIObject {
  const merged: OpenAPIObject = JSON.parse(JSON.stringify(gateway)) as OpenAPIObject;
  merged.paths ??= {};
  merged.components ??= {};
  const schemas = (merged.components.schemas ??= {});
  const tags = new Map((merged.tags ?? []).map((t) => [t.name, t]));
  const missing: { service: string; error: string }[] = [];

  for (const part of services) {
    if ('error' in part) {
      missing.push(part);
      continue;
    }
    const theirs = part.document.components?.schemas ?? {};
    const renames = new Map<string, string>();
    for (const [name, schema] of Object.entries(theirs)) {
      if (schemas[name] !== undefined && !same(schemas[name], schema))
        renames.set(name, `${part.service}.${name}`);
    }
    const doc = renameRefs(part.document, renames);
    for (const [name, schema] of Object.entries(doc.components?.schemas ?? {}))
      schemas[renames.get(name) ?? name] = schema;
    for (const [kind, entries] of Object.entries(doc.components ?? {})) {
      if (kind === 'schemas' || !entries) continue;
      const target = ((merged.components as Record<string, Record<string, unknown>>)[kind] ??= {});
      Object.assign(target, { ...(entries as Record<string, unknown>), ...target });
    }
    for (const [path, item] of Object.entries(doc.paths ?? {})) {
      // A path the gateway serves itself (the merged jobs and audit) is not forwarded: the
      // service's operations there are for the gateway only, not for clients.
      if (gateway.paths?.[path]) continue;
      merged.paths[path] = { ...prefixOperationIds(item ?? {}, part.service), ...(merged.paths[path] ?? {}) };
    }
    for (const tag of doc.tags ?? []) if (!tags.has(tag.name)) tags.set(tag.name, tag);
  }

  if (tags.size) merged.tags = [...tags.values()];
  if (missing.length) {
    const lines = missing.map((m) => `- ${m.service}: ${m.error}`).join('\n');
    merged.info = {
      ...merged.info,
      description:
        `${merged.info.description ?? ''}\n\n**Incomplete:** these services could not be read, so their operations are missing:\n${lines}`.trim(),
    };
  }
  (merged as OpenAPIObject & { 'x-missing-services': string[] })['x-missing-services'] = missing.map(
    (m) => m.service,
  );
  return merged;
}
