import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import pino, { DestinationStream, Logger as PinoInstance } from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { currentContext, currentCorrelationId, redactCurps } from '@imb/contracts';
import { requestContext } from '../context/correlation.middleware';
import type { LogLevel } from '../config/base-config';

/** Request paths polled by probes and scrapers; logging each poll only buries real traffic. */
const QUIET_PATHS = new Set(['/health', '/metrics']);

/** Header values that must never reach a log line. */
const REDACTED = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
];

function bindingsOf(logger: PinoInstance): string {
  return (logger as unknown as Record<symbol, string | undefined>)[pino.symbols.chindingsSym] ?? '';
}

/**
 * pino `mixin`: adds `correlationId` and `actor` of the current execution context to every line,
 * unless the line or the (child) logger already carries them.
 */
export function contextMixin(mergeObject: object, _level: number, logger: PinoInstance): object {
  const context = currentContext();
  if (!context) return {};
  const extra: { correlationId?: string; actor?: string } = {};
  const bindings = bindingsOf(logger);
  if (!('correlationId' in mergeObject) && !bindings.includes('"correlationId":')) {
    extra.correlationId = context.correlationId;
  }
  if (context.actor && !('actor' in mergeObject) && !bindings.includes('"actor":'))
    extra.actor = context.actor;
  return extra;
}

function withActor(req: IncomingMessage, value: Record<string, unknown>): Record<string, unknown> {
  const actor = requestContext(req)?.actor;
  return actor ? { ...value, actor } : value;
}

/**
 * The URL as a request log line may show it: CURP-shaped path segments and query values (any
 * case) become `[curp]`, since routes such as `/candidates/{curp}` carry a person in the path
 * and logs are no place for personal data (ARCHITECTURE rule 9, docs/data-access.md).
 */
export function loggableUrl(url: string | undefined): string | undefined {
  return url === undefined ? undefined : redactCurps(url);
}

/** `value` with every CURP-shaped run in its strings replaced by `[curp]`, however deep (cycles kept as `[circular]`). */
function redactCurpsDeep(value: unknown, seen = new WeakSet<object>()): unknown {
  if (typeof value === 'string') return redactCurps(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[circular]';
  seen.add(value);
  if (Array.isArray(value)) return value.map((item) => redactCurpsDeep(item, seen));
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    // A failed query's parameters are the row's values (names, RFCs): no pattern recognizes a name.
    if (key === 'parameters') continue;
    out[key] = redactCurpsDeep(item, seen);
  }
  return out;
}

/**
 * An error as a log line may show it: pino's serialization (type, message, stack, own fields)
 * with every CURP-shaped run replaced by `[curp]` — in the message, the stack and fields such as
 * PostgreSQL's `detail` (`Key (curp)=(…) already exists`) — and without a failed query's
 * parameters. Takes an Error or what pino-http's wrapper has already serialized.
 */
export function loggableError(err: unknown): unknown {
  return redactCurpsDeep(err instanceof Error ? pino.stdSerializers.err(err) : err);
}

const serializers = {
  err: loggableError,
  // One compact line per request: the full header set (CSP and friends) would dwarf the message.
  req: (req: {
    method?: string;
    url?: string;
    remoteAddress?: string;
    headers?: Record<string, unknown>;
  }) => ({
    method: req.method,
    url: loggableUrl(req.url),
    remoteAddress: req.remoteAddress,
    userAgent: req.headers?.['user-agent'],
  }),
  res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
};

export interface LoggerSettings {
  service: string;
  level: LogLevel;
  /** Where JSON lines go; stdout (written asynchronously) when absent (tests pass a stream to read them). */
  destination?: DestinationStream;
}

/** nestjs-pino parameters: JSON lines, correlation id and actor on each, one line per request. */
export function buildLoggerParams({ service, level, destination }: LoggerSettings): Params {
  const options: PinoHttpOptions = {
    level,
    base: { service, pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    mixin: contextMixin,
    serializers,
    // Messages are text anyone may have built from an error or a record: no CURP leaves in one.
    hooks: {
      logMethod(args, method) {
        const [first, ...rest] = args as unknown[];
        // A lone error (`logger.error(err)`) becomes its own message: say so, so the message is redacted too.
        const spelled = first instanceof Error && typeof rest[0] !== 'string' ? [{ err: first }, first.message, ...rest] : args;
        method.apply(this, spelled.map((arg: unknown) => (typeof arg === 'string' ? redactCurps(arg) : arg)) as Parameters<typeof method>);
      },
    },
    redact: { paths: REDACTED, censor: '[redacted]' },
    // The request id is the correlation id, bound to the request's logger under that name.
    genReqId: (req: IncomingMessage) => requestContext(req)?.correlationId ?? currentCorrelationId(),
    customAttributeKeys: { reqId: 'correlationId' },
    quietReqLogger: true,
    customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: Record<string, unknown>) =>
      withActor(req, value),
    customErrorObject: (
      req: IncomingMessage,
      _res: ServerResponse,
      _err: Error,
      value: Record<string, unknown>,
    ) => withActor(req, value),
    customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
      err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.has((req.url ?? '').split('?')[0]) },
  };
  // stdout is written asynchronously (pino flushes what is pending when the process exits): a
  // slow reader of the pipe must not stall every request behind its log line.
  return { pinoHttp: [options, destination ?? pino.destination({ dest: 1, sync: false })] };
}
