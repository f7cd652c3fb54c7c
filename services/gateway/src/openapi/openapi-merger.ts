import type { OpenAPIObject } from '@nestjs/swagger';
import { GatewayConfig } from '../config/gateway.config';
import { upstreamFailure } from '../upstreams/upstream-error';
import { SERVICE_NAMES, ServiceName, Upstreams } from '../upstreams/upstreams';
import { mergeOpenApi, ServiceDocument } from './merge-openapi';

/** How long a service's document is reused before it is read again. */
const FRESH_MS = 30000;

/**
 * Serves the whole API's document: the gateway's own merged with each service's
 * `/api/docs-json`, read when asked (a missing service is retried on the next request) and
 * reused for a while. Built before the application exists (it patches the document Swagger
 * serves), so it reads the service URLs from the validated config itself.
 */
export class OpenApiMerger {
  private readonly cache = new Map<ServiceName, { at: number; document: OpenAPIObject }>();
  private readonly upstreams: Upstreams;
  private merged?: { at: number; document: OpenAPIObject };
  private merging?: Promise<OpenAPIObject>;

  constructor(private readonly config: GatewayConfig) {
    this.upstreams = new Upstreams(config);
  }

  /**
   * The merged document, built at most once per FRESH_MS (it is public: a flood of requests must
   * not merge it on each); one with a service missing is rebuilt on the next request.
   */
  async merge(gateway: OpenAPIObject): Promise<OpenAPIObject> {
    if (this.merged && Date.now() - this.merged.at < FRESH_MS) return this.merged.document;
    this.merging ??= (async () => {
      const parts = await Promise.all(SERVICE_NAMES.map((service) => this.read(service)));
      const document = mergeOpenApi(gateway, parts);
      this.merged = parts.every((p) => 'document' in p) ? { at: Date.now(), document } : undefined;
      return document;
    })().finally(() => (this.merging = undefined));
    return this.merging;
  }

  private async read(service: ServiceName): Promise<ServiceDocument> {
    const cached = this.cache.get(service);
    if (cached && Date.now() - cached.at < FRESH_MS) return { service, document: cached.document };
    const base = this.upstreams.url(service);
    const timeoutMs = Math.min(this.config.UPSTREAM_CALL_TIMEOUT_MS, 3000);
    try {
      const res = await fetch(`${base}/api/docs-json`, { signal: AbortSignal.timeout(timeoutMs) });
      if (!res.ok) return { service, error: `${base}/api/docs-json answered ${res.status}` };
      const document = (await res.json()) as OpenAPIObject;
      this.cache.set(service, { at: Date.now(), document });
      return { service, document };
    } catch (err) {
      return { service, error: upstreamFailure(service, base, err, timeoutMs).message };
    }
  }
}
