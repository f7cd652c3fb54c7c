import { HttpException, Injectable } from '@nestjs/common';
import { currentCorrelationId } from '@imb/contracts';
import { CORRELATION_HEADER } from '@imb/platform';
import { GatewayConfig } from '../config/gateway.config';
import { upstreamFailure } from './upstream-error';
import { ServiceName, Upstreams } from './upstreams';

/** A service's answer: its status and parsed JSON body. */
export interface UpstreamAnswer<T = unknown> {
  status: number;
  body: T;
}

/**
 * The gateway's own calls to the services (merged listings, job polling, OpenAPI), with the
 * caller's token and the request's correlation id, and a timeout so a hung service never hangs
 * the caller.
 */
@Injectable()
export class UpstreamClient {
  constructor(
    private readonly upstreams: Upstreams,
    private readonly config: GatewayConfig,
  ) {}

  /** GETs `path` (starting with /) from the service; throws 502/503/504 when it cannot answer. */
  get<T = unknown>(service: ServiceName, path: string, authorization?: string): Promise<UpstreamAnswer<T>> {
    return this.call<T>(service, path, authorization);
  }

  /** Like {@link get}, but a 4xx/5xx answer of the service is re-thrown to the caller as it was. */
  async getOk<T = unknown>(service: ServiceName, path: string, authorization?: string): Promise<T> {
    return ok(await this.call<T>(service, path, authorization));
  }

  /** POSTs `body` as JSON to `path` of the service; a 4xx/5xx answer is re-thrown to the caller as it was. */
  async postOk<T = unknown>(service: ServiceName, path: string, body: unknown, authorization?: string): Promise<T> {
    return ok(await this.call<T>(service, path, authorization, body));
  }

  private async call<T>(
    service: ServiceName,
    path: string,
    authorization: string | undefined,
    body?: unknown,
  ): Promise<UpstreamAnswer<T>> {
    const base = this.upstreams.url(service);
    const timeoutMs = this.config.UPSTREAM_CALL_TIMEOUT_MS;
    try {
      const res = await fetch(`${base}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          accept: 'application/json',
          [CORRELATION_HEADER]: currentCorrelationId(),
          ...(authorization ? { authorization } : {}),
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
    } catch (err) {
      throw upstreamFailure(service, base, err, timeoutMs);
    }
  }
}

function ok<T>(answer: UpstreamAnswer<T>): T {
  if (answer.status >= 400) throw passThrough(answer);
  return answer.body;
}

/** A service's error answer, to be answered to the caller unchanged. */
export function passThrough(answer: UpstreamAnswer): HttpException {
  const body =
    answer.body && typeof answer.body === 'object'
      ? (answer.body as Record<string, unknown>)
      : { message: String(answer.body) };
  return new HttpException(body, answer.status);
}
