import { HttpException, Injectable, PayloadTooLargeException } from '@nestjs/common';
import type { Request, Response } from 'express';
import type { ClientRequest } from 'node:http';
import { createProxyMiddleware, fixRequestBody, RequestHandler } from 'http-proxy-middleware';
import { currentCorrelationId } from '@imb/contracts';
import { CORRELATION_HEADER, requestContext, toErrorResponse } from '@imb/platform';
import { GatewayConfig, parseSize } from '../config/gateway.config';
import { upstreamFailure } from '../upstreams/upstream-error';
import { SERVICE_NAMES, ServiceName, Upstreams } from '../upstreams/upstreams';

/**
 * Forwards a request to the service that owns it, path and query unchanged, with the caller's
 * Authorization header and the request's correlation id. JSON and form bodies were already parsed
 * (and size-limited by BODY_LIMIT) by the platform's body parsers, so they are re-serialized;
 * anything else (multipart uploads) streams through, limited to UPLOAD_LIMIT by its Content-Length. A service that is
 * down, breaks the connection or stays silent for UPSTREAM_TIMEOUT_MS gets the caller a 503, 502
 * or 504 naming it.
 */
@Injectable()
export class ProxyService {
  private readonly handlers: Record<ServiceName, RequestHandler<Request, Response>>;
  private readonly uploadLimit: number;

  constructor(
    private readonly upstreams: Upstreams,
    private readonly config: GatewayConfig,
  ) {
    this.uploadLimit = parseSize(config.UPLOAD_LIMIT);
    this.handlers = Object.fromEntries(SERVICE_NAMES.map((s) => [s, this.handlerFor(s)])) as Record<
      ServiceName,
      RequestHandler<Request, Response>
    >;
  }

  /** Proxies `req` to `service` and lets the service's answer stream back to the caller. */
  async forward(service: ServiceName, req: Request, res: Response): Promise<void> {
    this.limitStreamedBody(req);
    // Set on the incoming request: http-proxy copies these headers when it opens the outgoing one.
    req.headers[CORRELATION_HEADER] = requestContext(req)?.correlationId ?? currentCorrelationId();
    await this.handlers[service](req, res, (err?: unknown) => {
      if (err) this.reply(res, err);
    });
  }

  /**
   * A streamed body must declare its size, so an oversized upload gets its 413 before a byte of
   * it reaches a service (browsers always send Content-Length with a form).
   */
  private limitStreamedBody(req: Request): void {
    if (req.readableEnded) return;
    const declared = Number(req.headers['content-length']);
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] !== undefined) {
      throw new HttpException(
        {
          statusCode: 411,
          message: `Send uploads with a Content-Length header (at most ${this.config.UPLOAD_LIMIT}); chunked uploads are not accepted.`,
        },
        411,
      );
    }
    if (Number.isFinite(declared) && declared > this.uploadLimit) {
      throw new PayloadTooLargeException(
        `The request body is larger than the upload limit of ${this.config.UPLOAD_LIMIT} (${this.uploadLimit} bytes).`,
      );
    }
  }

  private handlerFor(service: ServiceName): RequestHandler<Request, Response> {
    const target = this.upstreams.url(service);
    const timeoutMs = this.config.UPSTREAM_TIMEOUT_MS;
    return createProxyMiddleware<Request, Response>({
      target,
      changeOrigin: true,
      xfwd: true,
      on: {
        // Runs once the outgoing request has a socket; a streamed body may have started to flow by
        // then, so headers are only touched for a body that was parsed (and is re-serialized here).
        proxyReq: (proxyReq: ClientRequest, req: Request) => {
          if (req.readableEnded && req.body !== undefined && !proxyReq.headersSent) {
            proxyReq.removeHeader('transfer-encoding');
            // The body parser inflated a gzip or deflate body; it goes on as plain JSON.
            proxyReq.removeHeader('content-encoding');
            fixRequestBody(proxyReq, req);
          }
          // An idle timeout: a long upload that keeps sending is fine, a service that stays silent is not.
          proxyReq.setTimeout(timeoutMs, () =>
            proxyReq.destroy(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' })),
          );
        },
        error: (err, _req, res) => {
          this.reply(res as Response, upstreamFailure(service, target, err, timeoutMs));
        },
      },
    });
  }

  /** Answers `{statusCode, error, message}` unless the service's answer has already begun. */
  private reply(res: Response, err: unknown): void {
    if (res.writableEnded) return;
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const { body } = toErrorResponse(err, requestContext(res.req)?.correlationId ?? currentCorrelationId());
    res.status(body.statusCode).json(body);
  }
}
