import type { IncomingMessage, ServerResponse } from 'node:http';
import { collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/**
 * The process's Prometheus registry, served at GET /metrics. Other libraries register their own
 * metrics here: `new Gauge({ name: 'outbox_lag_seconds', help, registers: [metricsRegistry] })`.
 */
export const metricsRegistry = new Registry();

/** Duration of HTTP requests by method, route pattern and status code. */
export const httpRequestDuration = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'Duration of HTTP requests in seconds, by method, route pattern and status code',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

let defaultMetricsEnabled = false;

/** Starts collecting Node.js process metrics (once per process) labelled with the service name. */
export function enableDefaultMetrics(service: string): void {
  if (defaultMetricsEnabled) return;
  defaultMetricsEnabled = true;
  metricsRegistry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: metricsRegistry });
}

interface RoutedRequest extends IncomingMessage {
  baseUrl?: string;
  route?: { path?: unknown };
}

// The route pattern (/api/transfers/:stateCode), never the raw URL: one series per route, not per id.
function routeOf(req: RoutedRequest): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` || '/' : 'unmatched';
}

/** Connect-style middleware timing every request into {@link httpRequestDuration}. */
export function httpMetricsMiddleware(req: IncomingMessage, res: ServerResponse, next: () => void): void {
  const stop = httpRequestDuration.startTimer();
  res.once('finish', () => {
    stop({ method: req.method ?? 'UNKNOWN', route: routeOf(req), status: String(res.statusCode) });
  });
  next();
}
