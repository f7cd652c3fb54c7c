import { DomainError } from '@imb/platform';
import { ServiceName } from './upstreams';

/** A service left out of a merged answer because it could not answer. */
export interface UnavailableService {
  service: ServiceName;
  message: string;
}

/** What every service answered, and which ones could not. */
export interface FanOut<T> {
  answers: { service: ServiceName; value: T }[];
  unavailable: UnavailableService[];
}

const isUpstreamFailure = (err: unknown): err is DomainError =>
  err instanceof DomainError && err.code.startsWith('UPSTREAM_');

/** What else a merge may leave out instead of failing, e.g. a service refusing the caller (403). */
export type Tolerated = (err: unknown) => boolean;

/**
 * Asks every service at once. A service that is down, broke off or timed out is listed as
 * unavailable (the merged answer says what it lacks), and so is one whose error `tolerated`
 * accepts; any other error, such as a 400 for a bad filter, fails the whole request.
 */
export async function askAll<T>(
  services: readonly ServiceName[],
  ask: (service: ServiceName) => Promise<T>,
  tolerated: Tolerated = () => false,
): Promise<FanOut<T>> {
  const settled = await Promise.allSettled(services.map((service) => ask(service)));
  const out: FanOut<T> = { answers: [], unavailable: [] };
  settled.forEach((result, i) => {
    const service = services[i];
    if (result.status === 'fulfilled') out.answers.push({ service, value: result.value });
    else if (isUpstreamFailure(result.reason) || tolerated(result.reason)) {
      out.unavailable.push({
        service,
        message: result.reason instanceof Error ? result.reason.message : String(result.reason),
      });
    } else throw result.reason;
  });
  if (out.answers.length === 0 && out.unavailable.length > 0) {
    throw new DomainError(
      'UPSTREAM_UNAVAILABLE',
      `No service could answer: ${out.unavailable.map((u) => u.message).join(' ')}`,
      503,
      {
        unavailable: out.unavailable,
      },
    );
  }
  return out;
}

/** `?a=1&b=x` from the defined values, or '' when there are none. */
export function queryString(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== '') search.set(key, String(value));
  const text = search.toString();
  return text ? `?${text}` : '';
}
