import { randomUUID } from 'node:crypto';

/** The parts of an OpenAPI 3 document these tests read. */
export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, JsonSchema> };
}

export interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema?: JsonSchema;
}

export interface OpenApiOperation {
  operationId?: string;
  parameters?: OpenApiParameter[];
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> };
  /** Set by @Public() in libs/auth. */
  'x-public'?: boolean;
  /** Set by @Roles(...) in libs/auth: the caller needs one of these. */
  'x-roles'?: string[];
  /** Set by @StateScope(field) in libs/auth: the request field naming the state acted on. */
  'x-state-scope'?: string;
}

export interface JsonSchema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  example?: unknown;
  [key: string]: unknown;
}

/** One operation of a service, with the access rules its decorators declare. */
export interface Route {
  service: string;
  baseUrl: string;
  method: string;
  /** OpenAPI path template, e.g. `/api/transfers/{stateCode}/advance`. */
  path: string;
  operationId: string;
  pathParams: OpenApiParameter[];
  queryParams: OpenApiParameter[];
  /** Content types of the request body the document declares (none for GET). */
  bodyTypes: string[];
  bodySchema?: JsonSchema;
  isPublic: boolean;
  roles: string[];
  stateScope?: string;
  write: boolean;
  document: OpenApiDocument;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every operation of a service's OpenAPI document. */
export function routesOf(service: string, baseUrl: string, document: OpenApiDocument): Route[] {
  const routes: Route[] = [];
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const params = op.parameters ?? [];
      const content = op.requestBody?.content ?? {};
      const bodyTypes = Object.keys(content);
      routes.push({
        service,
        baseUrl,
        method: method.toUpperCase(),
        path,
        operationId: op.operationId ?? `${method} ${path}`,
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        bodyTypes,
        bodySchema: bodyTypes.length ? content[bodyTypes[0]].schema : undefined,
        isPublic: op['x-public'] === true,
        roles: op['x-roles'] ?? [],
        stateScope: op['x-state-scope'],
        write: method !== 'get',
        document,
      });
    }
  }
  return routes;
}

/** Where a state-scoped route reads its state: path, query or JSON body (as AuthGuard does). */
export function stateScopeLocation(route: Route): 'path' | 'query' | 'body' | undefined {
  if (!route.stateScope) return undefined;
  if (route.path.includes(`{${route.stateScope}}`)) return 'path';
  if (route.queryParams.some((p) => p.name === route.stateScope)) return 'query';
  return 'body';
}

/** A plausible value for a path parameter that is not the state (the record need not exist). */
export function sampleParam(param: OpenApiParameter): string {
  const name = param.name.toLowerCase();
  const schema = param.schema ?? {};
  if (schema.enum?.length) return String(schema.enum[0]);
  if (name === 'statecode') return '13';
  if (schema.format === 'uuid' || name === 'id' || name.endsWith('id')) return randomUUID();
  if (name === 'clues') return 'HGSSA000016';
  if (schema.type === 'integer' || schema.type === 'number' || name === 'version') return '1';
  if (name === 'code') return '2027-2028';
  if (name === 'clave') return '010.000.0104.00';
  return 'x';
}

/**
 * The URL of a route with its path parameters filled (`overrides` first, then plausible samples)
 * and the given query string.
 */
export function routeUrl(route: Route, overrides: Record<string, string> = {}, query: Record<string, string> = {}): string {
  // Placeholders, declared or not (a param read through a custom decorator may be missing from the document).
  const path = route.path.replace(/\{([^}]+)\}/g, (_match, name: string) => {
    const declared = route.pathParams.find((p) => p.name === name) ?? { name, in: 'path' as const };
    // A lone surrogate cannot be sent in a URL; it becomes U+FFFD, as a browser would send it.
    return encodeURIComponent((overrides[name] ?? sampleParam(declared)).replace(/[\uD800-\uDFFF]/gu, '\uFFFD'));
  });
  const qs = new URLSearchParams(query).toString();
  return `${route.baseUrl}${path}${qs ? `?${qs}` : ''}`;
}

/** Follows `$ref` (and a single `allOf`) to the schema it names. */
export function resolveSchema(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema) return undefined;
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    return resolveSchema(document, document.components?.schemas?.[name]);
  }
  if (schema.allOf?.length === 1) return resolveSchema(document, schema.allOf[0]);
  return schema;
}

/** True when the route takes a multipart upload (an import or a document). */
export function isUpload(route: Route): boolean {
  return route.bodyTypes.some((t) => t.startsWith('multipart/'));
}
