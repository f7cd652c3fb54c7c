import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** services/gateway/web, found from the built files (dist/dashboard/) so it works from any clone. */
export const WEB_ROOT = resolve(__dirname, '..', '..', 'web');

/**
 * Serves the web dashboard (static HTML, CSS and ES modules, no build step) at `/` and
 * `/assets/…`. Registered when the module initializes, after the platform's middleware (helmet,
 * correlation id) and before Nest's not-found handler, so `/api` routes are never shadowed: a
 * path that names no file falls through to them.
 */
@Injectable()
class DashboardAssets implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<express.Express>();
    // No build step means no hashed file names: browsers revalidate (ETag) instead of caching blindly.
    app.use(express.static(WEB_ROOT, { index: 'index.html', fallthrough: true, maxAge: 0 }));
    // The dashboard's own pages (e.g. /states/13 reloaded in the browser) are index.html too;
    // /app/… is the web app's (WebAppModule).
    const index = join(WEB_ROOT, 'index.html');
    app.use((req: Request, res: Response, next: NextFunction) => {
      const page =
        req.method === 'GET' &&
        !/^\/(api|health|metrics|assets|app)(\/|$)/.test(req.path) &&
        req.accepts('html') === 'html';
      if (page && existsSync(index)) res.sendFile(index);
      else next();
    });
  }
}

@Module({ providers: [DashboardAssets] })
export class DashboardModule {}
