import { bootstrapService, loadConfig } from '@imb/platform';
import { AppModule } from './app.module';
import { GatewayConfig } from './config/gateway.config';
import { rateLimitOutsideNest } from './config/rate-limit.module';
import { OpenApiMerger } from './openapi/openapi-merger';

const docs = new OpenApiMerger(loadConfig(GatewayConfig, process.env, { service: 'gateway', port: 3000 }));

void bootstrapService({
  module: AppModule,
  openApi: {
    title: 'IMSS-BIENESTAR platform',
    description:
      "The public API: one front door for every service. The gateway's own routes are merged with each service's document.",
    patchDocument: (own) => docs.merge(own),
    // Each merged document may read four services: it spends the client's budget like any route.
    middleware: rateLimitOutsideNest,
  },
  // The dashboard loads its own scripts and styles and talks to the same origin (fetch, SSE).
  helmet: {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
  },
});
