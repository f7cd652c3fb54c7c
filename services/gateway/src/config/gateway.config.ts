import { IsInt, Matches, Max, Min } from 'class-validator';
import { BaseConfig, IntFromEnv, IsUrlWithProtocol } from '@imb/platform';

const URL_MESSAGE = 'expected an http(s) URL of the service, e.g. http://127.0.0.1:3101';
const MS_MESSAGE = 'expected a whole number of milliseconds from 100 to 600000';

/** The gateway's settings: where the services live, timeouts, upload size and rate limits. */
export class GatewayConfig extends BaseConfig {
  @IsUrlWithProtocol(['http', 'https'], { message: URL_MESSAGE })
  TRANSFER_URL = 'http://127.0.0.1:3101';

  @IsUrlWithProtocol(['http', 'https'], { message: URL_MESSAGE })
  HR_URL = 'http://127.0.0.1:3102';

  @IsUrlWithProtocol(['http', 'https'], { message: URL_MESSAGE })
  PROCUREMENT_URL = 'http://127.0.0.1:3103';

  @IsUrlWithProtocol(['http', 'https'], { message: URL_MESSAGE })
  DIGNIFICATION_URL = 'http://127.0.0.1:3104';

  /** How long a proxied request may wait for the service's answer before the caller gets a 504. */
  @IntFromEnv()
  @IsInt({ message: MS_MESSAGE })
  @Min(100, { message: MS_MESSAGE })
  @Max(600000, { message: MS_MESSAGE })
  UPSTREAM_TIMEOUT_MS = 30000;

  /** Timeout of the gateway's own calls to the services (merged listings, OpenAPI, job polling). */
  @IntFromEnv()
  @IsInt({ message: MS_MESSAGE })
  @Min(100, { message: MS_MESSAGE })
  @Max(600000, { message: MS_MESSAGE })
  UPSTREAM_CALL_TIMEOUT_MS = 5000;

  /** Largest streamed (non-JSON) request body, e.g. a multipart upload, in the notation of BODY_LIMIT. */
  @Matches(/^\d+(?:\.\d+)?(?:b|kb|mb)$/i, { message: 'expected a size such as 50mb' })
  UPLOAD_LIMIT = '50mb';

  /** Rate limit: at most THROTTLE_LIMIT requests per client IP in each THROTTLE_TTL_MS window. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of milliseconds, at least 1000' })
  @Min(1000, { message: 'expected a whole number of milliseconds, at least 1000' })
  THROTTLE_TTL_MS = 60000;

  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of requests, at least 1' })
  @Min(1, { message: 'expected a whole number of requests, at least 1' })
  THROTTLE_LIMIT = 1200;

  /** Server-sent event streams one identity may hold open at once (overview, job progress), then 429. */
  @IntFromEnv()
  @IsInt({ message: 'expected a whole number of streams from 1 to 1000' })
  @Min(1, { message: 'expected a whole number of streams from 1 to 1000' })
  @Max(1000, { message: 'expected a whole number of streams from 1 to 1000' })
  SSE_MAX_PER_IDENTITY = 20;
}

/** Bytes of a size written like `50mb`, `512kb` or `100b`. */
export function parseSize(size: string): number {
  const m = /^(\d+(?:\.\d+)?)(b|kb|mb)$/i.exec(size.trim());
  if (!m) throw new Error(`"${size}" is not a size such as 50mb`);
  const unit = { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2].toLowerCase() as 'b' | 'kb' | 'mb'];
  return Math.floor(Number(m[1]) * unit);
}
