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

  constructor(private readonly config: GatewayConfig) {
    this.upstreams = new Upstreams(config);
  }

  async merge(gateway: OpenAPIObject): Promise<OpenAPIObject> {
    const parts = await Promise.all(SERVICE_NAMES.map((service) => this.read(service)));
    return mergeOpenApi(gateway, parts);
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
