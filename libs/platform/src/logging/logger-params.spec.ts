import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import pinoHttp, { type Options as PinoHttpOptions } from 'pino-http';
import { currentContext, runInContext } from '@imb/contracts';
import { buildLoggerParams, contextMixin, loggableError, loggableUrl } from './logger-params';

function capture() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    { mixin: contextMixin },
    { write: (s: string) => lines.push(JSON.parse(s) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe('contextMixin', () => {
  it('adds the correlation id and actor of the current execution context to each line', () => {
    const { logger, lines } = capture();
    runInContext({ correlationId: 'c-1', actor: 'ana' }, () => logger.info('stage advanced'));
    expect(lines[0]).toMatchObject({ msg: 'stage advanced', correlationId: 'c-1', actor: 'ana' });
  });

  it('sees an actor set after the context was opened (authentication runs after the middleware)', () => {
    const { logger, lines } = capture();
    runInContext({ correlationId: 'c-2' }, () => {
      logger.info('before auth');
      const context = currentContext();
      if (context) context.actor = 'luis';
      logger.info('after auth');
    });
    expect(lines[0]).not.toHaveProperty('actor');
    expect(lines[1]).toMatchObject({ correlationId: 'c-2', actor: 'luis' });
  });

  it('adds nothing outside any context', () => {
    const { logger, lines } = capture();
    logger.info('boot');
    expect(lines[0]).not.toHaveProperty('correlationId');
  });

  it('never writes a key twice when the line or a child logger already carries it', () => {
    const raw: string[] = [];
    const logger = pino({ mixin: contextMixin }, { write: (s: string) => raw.push(s) });
    runInContext({ correlationId: 'ctx', actor: 'ana' }, () => {
      logger.child({ correlationId: 'bound' }).info('from a request logger');
      logger.info({ correlationId: 'explicit', actor: 'system:transfer' }, 'explicit fields');
    });
    expect(raw[0].match(/"correlationId"/g)).toHaveLength(1);
    expect(JSON.parse(raw[0])).toMatchObject({ correlationId: 'bound', actor: 'ana' });
    expect(raw[1].match(/"correlationId"/g)).toHaveLength(1);
    expect(JSON.parse(raw[1])).toMatchObject({ correlationId: 'explicit', actor: 'system:transfer' });
  });
});

describe('buildLoggerParams', () => {
  it('writes to the given destination at the configured level', () => {
    const destination = { write: () => undefined };
    const params = buildLoggerParams({ service: 'hr', level: 'debug', destination });
    const [options, stream] = params.pinoHttp as [PinoHttpOptions, unknown];
    expect(stream).toBe(destination);
    expect(options.level).toBe('debug');
    expect(options.base).toMatchObject({ service: 'hr' });
  });
});

describe('request log lines and personal data', () => {
  const curp = 'GOMA850101HNTRRR09';

  it('replaces CURP-shaped path segments and query values, in any case', () => {
    expect(loggableUrl(`/api/hr/formalization/campaigns/c1/candidates/${curp}/steps`)).toBe(
      '/api/hr/formalization/campaigns/c1/candidates/[curp]/steps',
    );
    expect(loggableUrl(`/api/hr/x?curp=${curp.toLowerCase()}&other=${curp}`)).toBe('/api/hr/x?curp=[curp]&other=[curp]');
    expect(loggableUrl('/api/hr/states/18/posts?clues=NTIMB000016&page=2')).toBe('/api/hr/states/18/posts?clues=NTIMB000016&page=2');
    expect(loggableUrl(undefined)).toBeUndefined();
  });

  it('never writes a CURP from the URL into the line pino-http logs for a request', async () => {
    const raw: string[] = [];
    const params = buildLoggerParams({ service: 'hr', level: 'info', destination: { write: (s: string) => raw.push(s) } });
    const [options, stream] = params.pinoHttp as [PinoHttpOptions, pino.DestinationStream];
    const log = pinoHttp(options, stream);
    const server = createServer((req, res) => {
      log(req, res);
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      await fetch(`http://127.0.0.1:${port}/api/hr/formalization/campaigns/c1/candidates/${curp}?again=${curp.toLowerCase()}`);
      await waitForLine(raw);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
    expect(raw.join('')).not.toMatch(new RegExp(curp, 'i'));
    expect(JSON.parse(raw[0])).toMatchObject({
      req: { method: 'GET', url: '/api/hr/formalization/campaigns/c1/candidates/[curp]?again=[curp]' },
      res: { statusCode: 404 },
    });
  });
});

describe('logged errors and personal data', () => {
  const curp = 'GOMA850101HNTRRR09';

  /** A unique violation as TypeORM raises it from pg: the CURP in the message, the stack and `detail`. */
  const duplicateWorker = () => {
    const err = Object.assign(new Error(`could not add worker ${curp}: duplicate key value violates unique constraint "worker_curp_key"`), {
      code: '23505',
      detail: `Key (curp)=(${curp}) already exists.`,
      query: 'INSERT INTO worker (curp, rfc, name) VALUES ($1, $2, $3)',
      parameters: [curp, 'GORA850101AB1', 'Ana María Gómez Ruiz'],
      driverError: Object.assign(new Error('duplicate key value violates unique constraint "worker_curp_key"'), {
        detail: `Key (curp)=(${curp.toLowerCase()}) already exists.`,
      }),
    });
    err.stack = `${err.message}\n    at applyRosterChunk (roster-import.writer.ts:210:11)`;
    return err;
  };

  it('replaces CURPs in the message, the stack and every field, and leaves out the query parameters', () => {
    const logged = loggableError(duplicateWorker()) as Record<string, unknown>;
    expect(logged).toMatchObject({
      type: 'Error',
      code: '23505',
      message: 'could not add worker [curp]: duplicate key value violates unique constraint "worker_curp_key"',
      stack: expect.stringContaining('could not add worker [curp]: duplicate key'),
      detail: 'Key (curp)=([curp]) already exists.',
      driverError: { detail: 'Key (curp)=([curp]) already exists.' },
    });
    expect(logged).not.toHaveProperty('parameters');
    expect(JSON.stringify(logged)).not.toMatch(new RegExp(`${curp}|Gómez`, 'i'));
  });

  it('keeps CURPs out of the lines the service logger writes, error and message alike', () => {
    const raw: string[] = [];
    const params = buildLoggerParams({ service: 'hr', level: 'info', destination: { write: (s: string) => raw.push(s) } });
    const [options, stream] = params.pinoHttp as [PinoHttpOptions, pino.DestinationStream];
    const { logger } = pinoHttp(options, stream);
    const err = duplicateWorker();
    logger.error({ err }, `POST /api/hr/rosters/imports failed: ${err.message}`);
    logger.error(err);
    logger.warn('job %s: %s', 'hr-1', err.message);
    expect(raw).toHaveLength(3);
    expect(raw.join('')).not.toMatch(new RegExp(curp, 'i'));
    expect(JSON.parse(raw[0])).toMatchObject({
      msg: 'POST /api/hr/rosters/imports failed: could not add worker [curp]: duplicate key value violates unique constraint "worker_curp_key"',
      err: { detail: 'Key (curp)=([curp]) already exists.' },
    });
    expect(JSON.parse(raw[1])).toMatchObject({ err: { stack: expect.stringContaining('[curp]') } });
    expect(JSON.parse(raw[2])).toMatchObject({ msg: expect.stringContaining('job hr-1: could not add worker [curp]') });
  });
});

async function waitForLine(lines: string[]): Promise<void> {
  for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
