import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import pinoHttp, { type Options as PinoHttpOptions } from 'pino-http';
import { currentContext, runInContext } from '@imb/contracts';
import { buildLoggerParams, contextMixin, loggableUrl } from './logger-params';

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

async function waitForLine(lines: string[]): Promise<void> {
  for (let i = 0; i < 100 && lines.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
}
