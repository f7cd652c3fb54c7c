import { DomainError } from '@imb/platform';
import type { ServiceName } from './upstreams';

/** Network error codes meaning nothing listens at the service's address (it is down or not deployed). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/** The error's code, looking through fetch's `cause` wrapper. */
function codeOf(err: unknown): string | undefined {
  const e = err as { code?: unknown; cause?: { code?: unknown }; name?: unknown } | null;
  if (e?.name === 'TimeoutError') return 'TIMEOUT';
  const code = e?.code ?? e?.cause?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Why a service could not answer, as the error the caller gets: 503 when it is not reachable,
 * 504 when it did not answer in time, 502 when the connection broke. The message names the
 * service so a person knows what is down.
 */
export function upstreamFailure(
  service: ServiceName,
  url: string,
  err: unknown,
  timeoutMs: number,
): DomainError {
  const code = codeOf(err) ?? 'ERROR';
  if (
    code === 'TIMEOUT' ||
    code === 'ETIMEDOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    code === 'UND_ERR_HEADERS_TIMEOUT'
  ) {
    return new DomainError(
      'UPSTREAM_TIMEOUT',
      `The ${service} service did not answer within ${timeoutMs} ms; try again shortly.`,
      504,
      { service },
    );
  }
  if (UNREACHABLE.has(code)) {
    return new DomainError(
      'UPSTREAM_UNAVAILABLE',
      `The ${service} service is unavailable (${code} at ${url}); try again shortly.`,
      503,
      { service },
    );
  }
  const detail = err instanceof Error ? err.message : String(err);
  return new DomainError(
    'UPSTREAM_FAILED',
    `The ${service} service broke off the request (${code}: ${detail}); try again shortly.`,
    502,
    { service },
  );
}
