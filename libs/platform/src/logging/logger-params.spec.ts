import pino from 'pino';
import type { Options as PinoHttpOptions } from 'pino-http';
import { currentContext, runInContext } from '@imb/contracts';
import { buildLoggerParams, contextMixin } from './logger-params';

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
