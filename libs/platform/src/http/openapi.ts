import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

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
}

/** Path of the Swagger UI; the JSON document is served at `${OPENAPI_PATH}-json`. */
export const OPENAPI_PATH = 'api/docs';

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
  SwaggerModule.setup(OPENAPI_PATH, app, document, {
    jsonDocumentUrl: `${OPENAPI_PATH}-json`,
    swaggerOptions: { persistAuthorization: true },
    ...(options.patchDocument ? { patchDocumentOnRequest: (_req: unknown, _res: unknown, doc: OpenAPIObject) => options.patchDocument!(doc) } : {}),
  });
}
