import {
  Body,
  Controller,
  Get,
  INestApplication,
  Injectable,
  Logger,
  Module,
  Param,
  Post,
} from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { InjectRepository, TypeOrmModule } from '@nestjs/typeorm';
import { IsInt, IsString, Length, Min } from 'class-validator';
import { __resetOutOfContextForTests } from 'nestjs-pino/PinoLogger';
import { Gauge } from 'prom-client';
import request from 'supertest';
import {
  Column,
  DataSource,
  Entity,
  MigrationInterface,
  PrimaryGeneratedColumn,
  QueryRunner,
  Repository,
} from 'typeorm';
import { createDatabase, dropDatabase } from '@imb/testing';
import {
  BaseConfig,
  bootstrapService,
  bootstrapWorker,
  buildDataSourceOptions,
  configurePlatformApp,
  DomainError,
  metricsRegistry,
  PlatformModule,
  PlatformModuleOptions,
  runMigrationsCli,
} from './index';

@Entity('widget')
class Widget {
  @PrimaryGeneratedColumn('uuid') id: string;
  @Column({ unique: true }) name: string;
  @Column('int') quantity: number;
}

class CreateWidgets1700000000000 implements MigrationInterface {
  name = 'CreateWidgets1700000000000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(
      `CREATE TABLE widget (id uuid PRIMARY KEY DEFAULT gen_random_uuid(), name text NOT NULL UNIQUE, quantity int NOT NULL)`,
    );
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE widget`);
  }
}

class CreateWidget {
  @IsString() @Length(1, 50) name: string;
  @IsInt() @Min(1) quantity: number;
}

@Injectable()
class WidgetService {
  private readonly logger = new Logger(WidgetService.name);
  constructor(@InjectRepository(Widget) private readonly widgets: Repository<Widget>) {}

  async create(input: CreateWidget): Promise<Widget> {
    this.logger.log(`creating widget ${input.name}`);
    if (input.name === 'forbidden') {
      throw new DomainError('NAME_RESERVED', 'The name "forbidden" is reserved; choose another.', 422, {
        name: input.name,
      });
    }
    return this.widgets.save(this.widgets.create(input));
  }

  find(id: string): Promise<Widget> {
    return this.widgets.findOneByOrFail({ id });
  }
}

@Controller('widgets')
class WidgetController {
  constructor(private readonly service: WidgetService) {}
  @Post() create(@Body() body: CreateWidget): Promise<Widget> {
    return this.service.create(body);
  }
  @Get(':id') find(@Param('id') id: string): Promise<Widget> {
    return this.service.find(id);
  }
  @Get('-/crash') crash(): never {
    throw new Error('widget store exploded');
  }
}

@Controller('slow')
class SlowController {
  @Get() async slow(): Promise<{ done: boolean }> {
    await new Promise((resolve) => setTimeout(resolve, 400));
    return { done: true };
  }
}

const schema = { entities: [Widget], migrations: [CreateWidgets1700000000000] };

function testModule(options: PlatformModuleOptions, withWidgets: boolean) {
  // nestjs-pino keeps one process-wide logger for lines written outside a request, made by the
  // first app; each app of this file writes to its own destination, so that logger starts afresh.
  __resetOutOfContextForTests();
  @Module({
    imports: [PlatformModule.forRoot(options), ...(withWidgets ? [TypeOrmModule.forFeature([Widget])] : [])],
    controllers: withWidgets ? [WidgetController, SlowController] : [SlowController],
    providers: withWidgets ? [WidgetService] : [],
  })
  class AppModule {}
  return AppModule;
}

/** Collects the JSON lines pino writes. */
class LogCapture {
  readonly lines: Array<Record<string, unknown>> = [];
  write(chunk: string): void {
    for (const line of chunk.split('\n').filter(Boolean))
      this.lines.push(JSON.parse(line) as Record<string, unknown>);
  }
}

const silent = { write: () => undefined };

describe('PlatformModule against PostgreSQL and Redis', () => {
  let database: string;
  let databaseUrl: string;
  let app: INestApplication;
  const logs = new LogCapture();

  beforeAll(async () => {
    database = await createDatabase('platform');
    databaseUrl = `postgres://postgres@127.0.0.1:5432/${database}`;
    const output: string[] = [];
    const status = await runMigrationsCli(buildDataSourceOptions({ url: databaseUrl, ...schema }), ['run'], {
      out: (line) => output.push(line),
      err: (line) => output.push(line),
    });
    expect({ status, output }).toEqual({ status: 0, output: ['applied CreateWidgets1700000000000'] });

    const moduleRef = await Test.createTestingModule({
      imports: [
        testModule(
          {
            service: 'platform-test',
            port: 3999,
            env: { DATABASE_URL: databaseUrl, LOG_LEVEL: 'info' },
            database: schema,
            redis: true,
            kafka: false,
            logDestination: logs,
          },
          true,
        ),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ bufferLogs: true, bodyParser: false });
    configurePlatformApp(app, { openApi: { title: 'Platform test', description: 'Widgets' } });
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    if (database) await dropDatabase(database);
  });

  it('GET /health is 200 with the database and Redis up', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.body).toEqual({
      status: 'ok',
      info: { database: { status: 'up' }, redis: { status: 'up' } },
      error: {},
      details: { database: { status: 'up' }, redis: { status: 'up' } },
    });
  });

  it('GET /metrics exposes the request duration histogram by route and status', async () => {
    const created = await request(app.getHttpServer())
      .post('/api/widgets')
      .send({ name: 'gauge', quantity: 3 })
      .expect(201);
    await request(app.getHttpServer())
      .get(`/api/widgets/${created.body.id as string}`)
      .expect(200);
    const res = await request(app.getHttpServer()).get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toContain('http_request_duration_seconds');
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{[^}]*method="GET",route="\/api\/widgets\/:id",status="200"/,
    );
    expect(res.text).toContain('process_cpu_user_seconds_total');
  });

  it('serves metrics other libraries register on the shared registry', async () => {
    const lag = new Gauge({
      name: 'platform_test_outbox_lag_seconds',
      help: 'test gauge',
      registers: [metricsRegistry],
    });
    lag.set(4);
    try {
      const res = await request(app.getHttpServer()).get('/metrics').expect(200);
      expect(res.text).toMatch(/platform_test_outbox_lag_seconds\{service="platform-test"\} 4/);
    } finally {
      metricsRegistry.removeSingleMetric('platform_test_outbox_lag_seconds');
    }
  });

  it('GET /api/docs-json is an OpenAPI document with bearer auth', async () => {
    const res = await request(app.getHttpServer()).get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.info.title).toBe('Platform test');
    expect(res.body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(res.body.paths)).toEqual(expect.arrayContaining(['/health', '/api/widgets']));
    const ui = await request(app.getHttpServer()).get('/api/docs').expect(200).expect('content-type', /html/);
    expect(ui.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('refuses a body with an extra field and a wrong type with a field-level 400, writing nothing', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/widgets')
      .send({ name: 'bolt', quantity: 'many', colour: 'red' })
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message:
        'Invalid input: property colour should not exist; quantity must not be less than 1; quantity must be an integer number',
      errors: [
        { field: 'colour', messages: ['property colour should not exist'] },
        {
          field: 'quantity',
          messages: ['quantity must not be less than 1', 'quantity must be an integer number'],
        },
      ],
    });
    expect(await app.get(DataSource).getRepository(Widget).countBy({ name: 'bolt' })).toBe(0);
  });

  it('answers malformed JSON with a 400 in the standard shape', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/widgets')
      .set('content-type', 'application/json')
      .send('{"name": ')
      .expect(400);
    expect(res.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: expect.stringMatching(/^The request body is not valid JSON: /),
    });
  });

  it('maps domain errors, unique violations, bad uuids, missing rows and crashes', async () => {
    const server = app.getHttpServer();
    const reserved = await request(server)
      .post('/api/widgets')
      .send({ name: 'forbidden', quantity: 1 })
      .expect(422);
    expect(reserved.body).toEqual({
      statusCode: 422,
      error: 'Unprocessable Entity',
      code: 'NAME_RESERVED',
      message: 'The name "forbidden" is reserved; choose another.',
      name: 'forbidden',
    });

    await request(server).post('/api/widgets').send({ name: 'nut', quantity: 1 }).expect(201);
    const duplicate = await request(server)
      .post('/api/widgets')
      .send({ name: 'nut', quantity: 2 })
      .expect(409);
    expect(duplicate.body.message).toContain('Key (name)=(nut) already exists.');

    const badId = await request(server).get('/api/widgets/not-a-uuid').expect(400);
    expect(badId.body.message).toContain('invalid input syntax for type uuid');

    await request(server).get('/api/widgets/00000000-0000-4000-8000-000000000000').expect(404);

    const crash = await request(server)
      .get('/api/widgets/-/crash')
      .set('x-correlation-id', 'crash-1')
      .expect(500);
    expect(crash.body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal error',
      correlationId: 'crash-1',
    });
    const logged = logs.lines.find((l) => l.correlationId === 'crash-1' && l.err !== undefined);
    expect(logged).toMatchObject({ level: 'error', service: 'platform-test' });
    expect((logged?.err as { stack: string }).stack).toContain('widget store exploded');
  });

  it('echoes x-correlation-id and writes it on the request line and on log lines of the handler', async () => {
    const res = await request(app.getHttpServer())
      .post('/api/widgets')
      .set('x-correlation-id', 'test-corr-123')
      .set('authorization', 'Bearer secret-token')
      .send({ name: 'washer', quantity: 5 })
      .expect(201);
    expect(res.headers['x-correlation-id']).toBe('test-corr-123');

    const mine = logs.lines.filter((l) => l.correlationId === 'test-corr-123');
    const handlerLine = mine.find((l) => l.msg === 'creating widget washer');
    expect(handlerLine).toMatchObject({ level: 'info', context: 'WidgetService', service: 'platform-test' });
    const requestLine = mine.find((l) => l.msg === 'request completed');
    expect(requestLine).toMatchObject({
      req: { method: 'POST', url: '/api/widgets' },
      res: { statusCode: 201 },
    });
    expect(JSON.stringify(requestLine)).not.toContain('secret-token');
    expect(JSON.stringify(logs.lines)).not.toContain('secret-token');
  });

  it('replaces an invalid x-correlation-id with a UUID', async () => {
    const res = await request(app.getHttpServer())
      .get('/health')
      .set('x-correlation-id', 'bad id!')
      .expect(200);
    expect(res.headers['x-correlation-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sets security headers', async () => {
    const res = await request(app.getHttpServer()).get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('reverts the last migration with the CLI', async () => {
    const output: string[] = [];
    const cli = { out: (l: string) => output.push(l), err: (l: string) => output.push(l) };
    const options = buildDataSourceOptions({ url: databaseUrl, ...schema });
    await app.close();
    expect(await runMigrationsCli(options, ['revert'], cli)).toBe(0);
    expect(await runMigrationsCli(options, ['revert'], cli)).toBe(0);
    expect(await runMigrationsCli(options, ['sideways'], cli)).toBe(2);
    expect(output.slice(0, 2)).toEqual(['reverted CreateWidgets1700000000000', 'no migration to revert']);
    expect(output[2]).toContain('Unknown command "sideways"');
    process.exitCode = 0;
  });
});

describe('health when dependencies are unreachable', () => {
  it('reports Redis and Kafka down with a 503 and a reason, quickly', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        testModule(
          {
            service: 'platform-down',
            env: { REDIS_URL: 'redis://127.0.0.1:1', KAFKA_BROKERS: '127.0.0.1:1' },
            database: false,
            redis: true,
            kafka: true,
            healthTimeoutMs: 1000,
            logDestination: silent,
          },
          false,
        ),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    configurePlatformApp(app, { openApi: false });
    await app.init();
    try {
      const started = Date.now();
      const res = await request(app.getHttpServer()).get('/health').expect(503);
      expect(Date.now() - started).toBeLessThan(3000);
      expect(res.body.status).toBe('error');
      expect(res.body.error.redis).toMatchObject({
        status: 'down',
        message: expect.stringContaining('ECONNREFUSED'),
      });
      expect(res.body.error.kafka).toMatchObject({
        status: 'down',
        message: expect.stringContaining('ECONNREFUSED'),
      });
      // A second check reconnects from scratch and still answers.
      await request(app.getHttpServer()).get('/health').expect(503);
    } finally {
      await app.close();
    }
  });

  it('reports Kafka on 127.0.0.1:9092 up or down without hanging, whether or not a broker runs', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        testModule(
          { service: 'platform-kafka', env: {}, database: false, kafka: true, logDestination: silent },
          false,
        ),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ bufferLogs: true });
    configurePlatformApp(app, { openApi: false });
    await app.init();
    try {
      const res = await request(app.getHttpServer()).get('/health');
      expect([200, 503]).toContain(res.status);
      expect(res.body.details.kafka.status).toBe(res.status === 200 ? 'up' : 'down');
    } finally {
      await app.close();
    }
  });
});

describe('bootstrapWorker', () => {
  it('starts the modules with config and logger but no HTTP server', async () => {
    const logs = new LogCapture();
    const AppModule = testModule(
      { service: 'platform-worker', env: { LOG_LEVEL: 'debug' }, database: false, logDestination: logs },
      false,
    );
    const worker = await bootstrapWorker({ module: AppModule });
    try {
      expect(worker.get(BaseConfig).LOG_LEVEL).toBe('debug');
      expect(logs.lines.some((l) => l.msg === 'platform-worker worker started')).toBe(true);
    } finally {
      await worker.close();
    }
  });
});

describe('bootstrapService', () => {
  it('on shutdown stops accepting connections but finishes requests in flight', async () => {
    const AppModule = testModule(
      {
        service: 'platform-drain',
        env: { HOST: '127.0.0.1', PORT: '0' },
        database: false,
        logDestination: silent,
      },
      false,
    );
    const app = await bootstrapService({ module: AppModule, openApi: false });
    const url = await app.getUrl();
    const inFlight = fetch(`${url}/api/slow`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = Date.now();
    const closed = app.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await expect(fetch(`${url}/health`)).rejects.toThrow();
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ done: true });
    await closed;
    // Idle keep-alive connections must not hold the shutdown until their timeout.
    expect(Date.now() - closing).toBeLessThan(2000);
  });

  it('listens on HOST:PORT, enforces BODY_LIMIT and closes cleanly', async () => {
    const logs = new LogCapture();
    const AppModule = testModule(
      {
        service: 'platform-boot',
        env: { HOST: '127.0.0.1', PORT: '0', BODY_LIMIT: '1kb', REDIS_URL: 'redis://127.0.0.1:6379' },
        database: false,
        redis: true,
        logDestination: logs,
      },
      false,
    );
    const app = await bootstrapService({ module: AppModule });
    try {
      const url = await app.getUrl();
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(app.get(BaseConfig).BODY_LIMIT).toBe('1kb');
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      const big = await fetch(`${url}/health`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ blob: 'x'.repeat(2048) }),
      });
      expect(big.status).toBe(413);
      expect(await big.json()).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'The request body is larger than the limit of 1024 bytes.',
      });
      expect(
        logs.lines.some((l) => String(l.msg).startsWith('platform-boot listening on http://127.0.0.1:')),
      ).toBe(true);
    } finally {
      await app.close();
    }
  });
});
