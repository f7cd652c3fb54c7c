import {
  ArgumentsHost,
  BadRequestException,
  ConflictException,
  ForbiddenException,
  HttpException,
  NotFoundException,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { plainToInstance, Type } from 'class-transformer';
import { IsInt, IsString, Min, ValidateNested, validateSync } from 'class-validator';
import { EntityNotFoundError, QueryFailedError } from 'typeorm';
import { DomainError } from './domain-error';
import { toErrorResponse } from './error-response';
import { PlatformExceptionFilter } from './platform-exception.filter';
import { createValidationPipe } from './validation';

class Line {
  @IsString() clave: string;
  @IsInt() @Min(1) quantity: number;
}

class Demand {
  @IsString() stateCode: string;
  @ValidateNested({ each: true }) @Type(() => Line) lines: Line[];
}

const pgError = (code: string, message: string, detail?: string) =>
  new QueryFailedError('INSERT …', [], Object.assign(new Error(message), { code, detail }));

describe('toErrorResponse', () => {
  const map = (exception: unknown) => toErrorResponse(exception, 'corr-1');

  it('answers a domain error with its status, code, message and details', () => {
    const error = new DomainError('GATE_OPEN', '2 checklist items are still open: acta, inventory', 409, {
      missing: ['acta', 'inventory'],
    });
    expect(map(error)).toEqual({
      serverFault: false,
      body: {
        statusCode: 409,
        error: 'Conflict',
        code: 'GATE_OPEN',
        message: '2 checklist items are still open: acta, inventory',
        missing: ['acta', 'inventory'],
      },
    });
  });

  it('never lets details overwrite statusCode, error or message', () => {
    const { body } = map(
      new DomainError('X', 'real', 422, { statusCode: 200, message: 'fake', error: 'none' }),
    );
    expect(body).toMatchObject({ statusCode: 422, error: 'Unprocessable Entity', message: 'real' });
  });

  it('keeps the status and message of HTTP exceptions', () => {
    expect(map(new NotFoundException('State 99 does not exist')).body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'State 99 does not exist',
    });
    expect(map(new ForbiddenException()).body).toEqual({
      statusCode: 403,
      error: 'Forbidden',
      message: 'Forbidden',
    });
    expect(map(new HttpException('slow down', 429)).body).toEqual({
      statusCode: 429,
      error: 'Too Many Requests',
      message: 'slow down',
    });
    expect(map(new ConflictException({ message: 'Gate is open', missing: ['a'] })).body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'Gate is open',
      missing: ['a'],
    });
  });

  it('joins the message list of a Nest-style 400 into one sentence', () => {
    expect(
      map(new BadRequestException(['name must be a string', 'age must be an integer'])).body.message,
    ).toBe('name must be a string; age must be an integer');
  });

  it('turns class-validator errors into a 400 naming each failing field, nested ones by path', () => {
    const demand = plainToInstance(Demand, {
      stateCode: 13,
      lines: [{ clave: '010.000.0104.00', quantity: 0 }],
    });
    const { body, serverFault } = map(validateSync(demand));
    expect(serverFault).toBe(false);
    expect(body.statusCode).toBe(400);
    expect(body.error).toBe('Bad Request');
    expect(body.message).toBe(
      'Invalid input: stateCode must be a string; lines.0.quantity must not be less than 1',
    );
    expect(body.errors).toEqual([
      { field: 'stateCode', messages: ['stateCode must be a string'] },
      { field: 'lines.0.quantity', messages: ['lines.0.quantity must not be less than 1'] },
    ]);
  });

  it('maps a unique violation to 409 and invalid input syntax to 400', () => {
    const unique = map(
      pgError(
        '23505',
        'duplicate key value violates unique constraint "uq_clues"',
        'Key (clues)=(MCSSA000012) already exists.',
      ),
    );
    expect(unique.body).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'A record with the same key already exists. Key (clues)=(MCSSA000012) already exists.',
    });
    const syntax = map(pgError('22P02', 'invalid input syntax for type uuid: "abc"'));
    expect(syntax.body).toEqual({
      statusCode: 400,
      error: 'Bad Request',
      message: 'Invalid value: invalid input syntax for type uuid: "abc"',
    });
    expect(
      map(pgError('23503', 'violates foreign key', 'Key (unit_id)=(7) is not present.')).body.statusCode,
    ).toBe(409);
  });

  it('treats other database failures as internal errors', () => {
    const { body, serverFault } = map(pgError('53300', 'too many connections'));
    expect(serverFault).toBe(true);
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal error',
      correlationId: 'corr-1',
    });
  });

  it('maps a missing entity to 404', () => {
    expect(map(new EntityNotFoundError('Unit', { clues: 'X' })).body.statusCode).toBe(404);
  });

  it('keeps the 4xx of middleware errors such as an oversized body', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), {
      status: 413,
      expose: true,
      type: 'entity.too.large',
      limit: 1024,
    });
    expect(map(tooLarge).body).toEqual({
      statusCode: 413,
      error: 'Payload Too Large',
      message: 'The request body is larger than the limit of 1024 bytes.',
    });
    const hidden = Object.assign(new Error('secret internals'), { status: 400, expose: false });
    expect(map(hidden).body.statusCode).toBe(500);
  });

  it('hides unknown errors behind a 500 with the correlation id', () => {
    const { body, serverFault } = map(new TypeError("Cannot read properties of undefined (reading 'id')"));
    expect(serverFault).toBe(true);
    expect(body).toEqual({
      statusCode: 500,
      error: 'Internal Server Error',
      message: 'Internal error',
      correlationId: 'corr-1',
    });
    expect(map('a thrown string').body.statusCode).toBe(500);
  });
});

describe('PlatformExceptionFilter', () => {
  function setup(headersSent = false, url = '/api/transfers/13/advance') {
    const replies: Array<{ body: unknown; status: number }> = [];
    const adapter = {
      isHeadersSent: () => headersSent,
      reply: (_res: unknown, body: unknown, status: number) => replies.push({ body, status }),
      end: jest.fn(),
    };
    const filter = new PlatformExceptionFilter({ httpAdapter: adapter } as unknown as HttpAdapterHost);
    const request = { method: 'POST', url, headers: {} };
    const host = {
      getType: () => 'http',
      switchToHttp: () => ({ getRequest: () => request, getResponse: () => ({}) }),
    } as unknown as ArgumentsHost;
    const logged: unknown[][] = [];
    (filter as unknown as { logger: { error: (...args: unknown[]) => void } }).logger = {
      error: (...args: unknown[]) => logged.push(args),
    };
    return { filter, host, replies, logged, adapter };
  }

  it('replies with the mapped body and status and does not log client errors', () => {
    const { filter, host, replies, logged } = setup();
    filter.catch(new DomainError('GATE_OPEN', 'open', 409, { missing: ['a'] }), host);
    expect(replies).toEqual([
      {
        status: 409,
        body: { statusCode: 409, error: 'Conflict', code: 'GATE_OPEN', message: 'open', missing: ['a'] },
      },
    ]);
    expect(logged).toEqual([]);
  });

  it('logs the URL of a failed request without the CURP in its path (docs/data-access.md)', () => {
    const { filter, host, logged } = setup(false, '/api/hr/formalization/campaigns/c1/candidates/GOMA850101HNTRRR09/steps');
    filter.catch(new Error('boom'), host);
    const [fields, message] = logged[0] as [{ url: string }, string];
    expect(fields.url).toBe('/api/hr/formalization/campaigns/c1/candidates/[curp]/steps');
    expect(message).not.toContain('GOMA850101HNTRRR09');
  });

  it('logs unknown errors with their stack and the correlation id it answers with', () => {
    const { filter, host, replies, logged } = setup();
    const boom = new Error('boom');
    filter.catch(boom, host);
    const [{ status, body }] = replies as Array<{ status: number; body: { correlationId: string } }>;
    expect(status).toBe(500);
    const [fields, message] = logged[0] as [{ err: Error; correlationId: string }, string];
    expect(fields.err).toBe(boom);
    expect(fields.err.stack).toContain('boom');
    expect(fields.correlationId).toBe(body.correlationId);
    expect(message).toContain('POST /api/transfers/13/advance failed: boom');
  });

  it('ends the response when headers were already sent', () => {
    const { filter, host, replies, adapter } = setup(true);
    filter.catch(new Error('late'), host);
    expect(replies).toEqual([]);
    expect(adapter.end).toHaveBeenCalled();
  });
});

describe('createValidationPipe', () => {
  it('refuses unknown fields and wrong types with field-level messages', async () => {
    const pipe = createValidationPipe();
    const error = (await pipe
      .transform({ stateCode: '13', lines: [], extra: true }, { type: 'body', metatype: Demand })
      .catch((e: unknown) => e)) as BadRequestException;
    expect(error).toBeInstanceOf(BadRequestException);
    expect(toErrorResponse(error, 'c').body.message).toBe('Invalid input: property extra should not exist');
  });

  it('returns an instance of the DTO when the input is valid', async () => {
    const value = await createValidationPipe().transform(
      { stateCode: '13', lines: [{ clave: 'x', quantity: 2 }] },
      { type: 'body', metatype: Demand },
    );
    expect(value).toBeInstanceOf(Demand);
    expect((value as Demand).lines[0]).toBeInstanceOf(Line);
  });
});
