import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** Title and description of a service's OpenAPI document. */
export interface OpenApiOptions {
  title: string;
  description?: string;
  version?: string;
  /**
   * Rewrites the document each time it is served (e.g. the gateway merging in its services'
   * documents); the document built from the app's own controllers is passed in.
   */
  patchDocument?: (document: OpenAPIObject) => OpenAPIObject | Promise<OpenAPIObject>;
  /**
   * Express middleware run before the UI and the documents are served. Swagger serves them
   * straight from Express, outside Nest's routing, so global guards (e.g. the gateway's rate
   * limit) never see them: this is where such a check goes.
   */
  middleware?: (app: INestApplication) => RequestHandler;
}

/** Path of the Swagger UI; the JSON document is served at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'api/docs';

/** The paths Swagger serves: the UI and its assets, and the document as JSON and YAML. */
const OPENAPI_ROUTES = new RegExp(`^/${OPENAPI_PATH}(-json|-yaml)?(/|$)`);

/** Serves Swagger UI at /api/docs and the document at /api/docs-json, bearer auth declared. */
export function setupOpenApi(app: INestApplication, options: OpenApiOptions): void {
  const config = new DocumentBuilder()
    .setTitle(options.title)
    .setDescription(options.description ?? '')
    .setVersion(options.version ?? '1.0')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  if (options.middleware) {
    const middleware = options.middleware(app);
    // Registered first, so it runs before the UI (and its assets) and the JSON and YAML documents.
    // Not mounted at a path: Express would strip it from req.path, which the middleware may read.
    app.use((req: Request, res: Response, next: NextFunction) => (OPENAPI_ROUTES.test(req.path) ? middleware(req, res, next) : next()));
  }
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
    ...(options.patchDocument ? { patchDocumentOnRequest: (_req: unknown, _res: unknown, doc: OpenAPIObject) => options.patchDocument!(doc) } : {}),
  });
}
