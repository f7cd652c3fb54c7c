import { ArgumentsHost, Catch, ExceptionFilter, Logger } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { IncomingMessage } from 'node:http';
import { currentCorrelationId, redactCurps } from '@imb/contracts';
import { requestContext } from '../context/correlation.middleware';
import { toErrorResponse } from './error-response';

/** The one global exception filter: every error leaves as `{statusCode, error, message, ...details}`. */
@Catch()
export class PlatformExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('ExceptionFilter');

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const http = host.switchToHttp();
    const request = http.getRequest<IncomingMessage>();
    const response = http.getResponse<unknown>();
    const correlationId = requestContext(request)?.correlationId ?? currentCorrelationId();
    const { body, serverFault } = toErrorResponse(exception, correlationId);
    if (serverFault) {
      // The URL (e.g. /candidates/{curp}) and the message may name a person: logs must not.
      const url = request.url === undefined ? undefined : redactCurps(request.url);
      this.logger.error(
        {
          err: exception,
          correlationId,
          method: request.method,
          url,
          statusCode: body.statusCode,
        },
        redactCurps(`${request.method ?? ''} ${url ?? ''} failed: ${exception instanceof Error ? exception.message : String(exception)}`),
      );
    }
    const adapter = this.adapterHost.httpAdapter;
    if (adapter.isHeadersSent(response)) {
      adapter.end(response);
      return;
    }
    adapter.reply(response, body, body.statusCode);
  }
}
