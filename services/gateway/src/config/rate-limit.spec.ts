import { Controller, Get, Global, INestApplication, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { Test } from '@nestjs/testing';
import { getStorageToken, ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import request from 'supertest';
import { PlatformExceptionFilter, setupOpenApi } from '@imb/platform';
import { GatewayConfig } from './gateway.config';
import { HitLogStorage } from './hit-log-storage';
import { rateLimitOutsideNest, RateLimitModule, throttlerOptions } from './rate-limit.module';

@Controller('ping')
class PingController {
  @Get()
  ping(): string {
    return 'pong';
  }
}

@Controller('other')
class OtherController {
  @Get()
  other(): string {
    return 'other';
  }
}

describe('rate limiting with HitLogStorage', () => {
  let app: INestApplication;
  const storage = new HitLogStorage();

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ThrottlerModule.forRoot({ throttlers: [{ ttl: 60_000, limit: 2 }], storage })],
      controllers: [PingController],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    }).compile();
    app = moduleRef.createNestApplication();
    await app.init();
  });

  afterAll(async () => {
    storage.close();
    await app.close();
  });

  it('answers 429 with Retry-After beyond the limit, with the limit headers before', async () => {
    const first = await request(app.getHttpServer()).get('/ping').expect(200);
    expect(first.headers['x-ratelimit-limit']).toBe('2');
    expect(first.headers['x-ratelimit-remaining']).toBe('1');
    await request(app.getHttpServer()).get('/ping').expect(200);
    const refused = await request(app.getHttpServer()).get('/ping').expect(429);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe("the gateway's rate limit", () => {
  it('is one budget per client across routes, not one per route', async () => {
    const options = throttlerOptions({ THROTTLE_LIMIT: 2, THROTTLE_TTL_MS: 60_000 });
    const moduleRef = await Test.createTestingModule({
      imports: [ThrottlerModule.forRoot(options)],
      controllers: [PingController, OtherController],
      providers: [{ provide: APP_GUARD, useClass: ThrottlerGuard }],
    }).compile();
    const app = moduleRef.createNestApplication();
    await app.init();
    try {
      await request(app.getHttpServer()).get('/ping').expect(200);
      await request(app.getHttpServer()).get('/other').expect(200);
      const refused = await request(app.getHttpServer()).get('/other').expect(429);
      expect(refused.body.message).toMatch(/at most 2 per 60 s/);
    } finally {
      await app.close();
      (options.storage as HitLogStorage).close();
    }
  });
});

describe("the gateway's rate limit and the OpenAPI documents", () => {
  @Global()
  @Module({ providers: [{ provide: GatewayConfig, useValue: { THROTTLE_LIMIT: 3, THROTTLE_TTL_MS: 60_000 } }], exports: [GatewayConfig] })
  class ConfigStub {}

  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [ConfigStub, RateLimitModule],
      controllers: [PingController],
      providers: [{ provide: APP_FILTER, useClass: PlatformExceptionFilter }],
    }).compile();
    app = moduleRef.createNestApplication();
    // As main.ts sets it up: Swagger serves the UI and the documents straight from Express.
    setupOpenApi(app, { title: 'gateway', middleware: rateLimitOutsideNest });
    await app.init();
  });

  afterAll(async () => {
    app.get<HitLogStorage>(getStorageToken()).close();
    await app.close();
  });

  it('counts /api/docs-json and /api/docs against the same per-client budget as the routes', async () => {
    const json = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(json.headers['x-ratelimit-remaining']).toBe('2');
    await request(app.getHttpServer()).get('/ping').expect(200);
    await request(app.getHttpServer()).get('/api/docs').expect(200);
    for (const path of ['/api/docs-json', '/api/docs', '/api/docs-yaml', '/ping']) {
      const refused = await request(app.getHttpServer()).get(path).expect(429);
      expect(refused.body).toMatchObject({ statusCode: 429, error: 'Too Many Requests', message: expect.stringMatching(/at most 3 per 60 s/) });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
  });
});
