import { Injectable, Module, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import express, { NextFunction, Request, Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** Where the gateway serves the web app (services/gateway/app, built by Vite with this `base`). */
export const WEB_APP_PATH = '/app';
/** services/gateway/app/dist, found from the built files (dist/web-app/) so it works from any clone. */
export const WEB_APP_DIST = resolve(__dirname, '..', '..', 'app', 'dist');

/**
 * Serves the single-page web app at `/app/` beside the classic dashboard (`/`): its hashed
 * assets cached for good, and index.html for every other page of the app (`/app/audit?page=2`
 * reloaded in the browser), so the app's router takes it from there. Same origin as `/api`.
 */
@Injectable()
class WebAppAssets implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const app = this.adapterHost.httpAdapter.getInstance<express.Express>();
    // Vite names each asset after its content, so a name never changes meaning.
    app.use(
      `${WEB_APP_PATH}/assets`,
      express.static(join(WEB_APP_DIST, 'assets'), { immutable: true, maxAge: '1y' }),
    );
    app.use(WEB_APP_PATH, express.static(WEB_APP_DIST, { index: false, maxAge: 0 }));
    const index = join(WEB_APP_DIST, 'index.html');
    app.use(WEB_APP_PATH, (req: Request, res: Response, next: NextFunction) => {
      // A missing asset (an old page asking for a chunk of a previous build) is a 404, never index.html.
      const page =
        (req.method === 'GET' || req.method === 'HEAD') &&
        !req.path.startsWith('/assets/') &&
        req.accepts('html') === 'html';
      if (!page) return next();
      if (!existsSync(index)) {
        res
          .status(404)
          .type('text/plain')
          .send('The web app is not built: npx nx run @imb/gateway-app:build');
        return;
      }
      // index.html names the current build's assets: revalidated on every visit.
      res.sendFile(index, { headers: { 'Cache-Control': 'no-cache' } });
    });
  }
}

@Module({ providers: [WebAppAssets] })
export class WebAppModule {}
