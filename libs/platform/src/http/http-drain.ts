import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { BaseConfig } from '../config/base-config';

/**
 * First step of a graceful shutdown: stop accepting connections and let in-flight requests finish
 * (at most SHUTDOWN_TIMEOUT_MS), before consumers, relays and pools close. PlatformModule is
 * global and Nest runs the destroy hooks of global modules first, which gives this ordering.
 */
@Injectable()
export class HttpDrain implements OnModuleDestroy {
  private readonly logger = new Logger('Shutdown');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly config: BaseConfig,
  ) {}

  async onModuleDestroy(): Promise<void> {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server?.listening) return;
    this.logger.log('No longer accepting requests; waiting for in-flight requests to finish');
    await new Promise<void>((resolve) => {
      // close() drops idle keep-alive connections only once; a connection whose request finishes
      // later would otherwise stay open until its keep-alive timeout and delay the shutdown.
      const sweeper = setInterval(() => server.closeIdleConnections(), 100);
      const deadline = setTimeout(() => {
        this.logger.warn(
          `Requests still running after ${this.config.SHUTDOWN_TIMEOUT_MS} ms; closing their connections`,
        );
        server.closeAllConnections();
      }, this.config.SHUTDOWN_TIMEOUT_MS);
      sweeper.unref();
      deadline.unref();
      server.close(() => {
        clearInterval(sweeper);
        clearTimeout(deadline);
        resolve();
      });
    });
  }
}
