import { STATUS_CODES } from 'node:http';
import { HttpException } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { validationException } from './validation';

/** The body of every error response: `{statusCode, error, message}` plus details. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [detail: string]: unknown;
}

/** How one exception is answered and whether it deserves a log line with its stack. */
export interface ErrorResponse {
  body: ErrorBody;
  /** True for failures of the service itself (5xx), which are logged with their stack. */
  serverFault: boolean;
}

const reason = (status: number): string => STATUS_CODES[status] ?? 'Error';

function respond(status: number, message: string, details: Record<string, unknown> = {}): ErrorResponse {
  return {
    body: { ...details, statusCode: status, error: reason(status), message },
    serverFault: status >= 500,
  };
}

function fromHttpException(exception: HttpException): ErrorResponse {
  const status = exception.getStatus();
  const response = exception.getResponse();
  if (typeof response === 'string') return respond(status, response);
  const { statusCode: _statusCode, error, message, ...details } = response as Record<string, unknown>;
  const text = Array.isArray(message)
    ? message.join('; ')
    : typeof message === 'string'
      ? message
      : exception.message;
  const result = respond(status, text, details);
  if (typeof error === 'string') result.body.error = error;
  return result;
}

interface PgError {
  code?: string;
  detail?: string;
  message?: string;
}

// SQLSTATE codes: class 22 is "data exception" (bad input such as 'abc' for a uuid column).
function fromQueryFailed(exception: { driverError: unknown; message: string }): ErrorResponse | undefined {
  const pg = exception.driverError as PgError | undefined;
  const code = pg?.code ?? '';
  const detail = pg?.detail ? ` ${pg.detail}` : '';
  if (code === '23505') return respond(409, `A record with the same key already exists.${detail}`);
  if (code === '23503')
    return respond(409, `The operation refers to a record that does not exist or is still in use.${detail}`);
  if (code.startsWith('22')) return respond(400, `Invalid value: ${pg?.message ?? exception.message}`);
  return undefined;
}

interface HttpLikeError {
  status?: unknown;
  statusCode?: unknown;
  expose?: unknown;
  type?: unknown;
  limit?: unknown;
  message?: unknown;
}

// Errors raised by body-parser and other connect middleware (http-errors): they carry a 4xx
// status and `expose: true` when their message is meant for the client.
function fromHttpLikeError(exception: unknown): ErrorResponse | undefined {
  if (typeof exception !== 'object' || exception === null) return undefined;
  const err = exception as HttpLikeError;
  const status = typeof err.status === 'number' ? err.status : err.statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499 || err.expose !== true) return undefined;
  if (err.type === 'entity.too.large') {
    return respond(413, `The request body is larger than the limit of ${String(err.limit)} bytes.`);
  }
  return respond(status, typeof err.message === 'string' ? err.message : reason(status));
}

function isValidationErrorList(exception: unknown): exception is ValidationError[] {
  return (
    Array.isArray(exception) && exception.length > 0 && exception.every((e) => e instanceof ValidationError)
  );
}

/**
 * Maps anything thrown while serving a request to the HTTP answer. Unknown errors become a 500
 * that reveals nothing but the correlation id to quote when reporting it.
 */
export function toErrorResponse(exception: unknown, correlationId: string): ErrorResponse {
  if (exception instanceof DomainError) {
    return respond(exception.httpStatus, exception.message, { ...exception.details, code: exception.code });
  }
  if (exception instanceof HttpException) return fromHttpException(exception);
  if (isValidationErrorList(exception)) return fromHttpException(validationException(exception));
  if (exception instanceof ValidationError) return fromHttpException(validationException([exception]));
  if (exception instanceof EntityNotFoundError) return respond(404, 'The requested record was not found.');
  if (exception instanceof QueryFailedError) {
    const mapped = fromQueryFailed(exception);
    if (mapped) return mapped;
  }
  const httpLike = fromHttpLikeError(exception);
  if (httpLike) return httpLike;
  return respond(500, 'Internal error', { correlationId });
}
