import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Express error middleware placed after the body parsers: a body that is not valid JSON becomes a
 * 400 saying so (body-parser alone reports only the JSON engine's message, e.g. "Unexpected end").
 */
export function bodyParserErrors(
  err: unknown,
  _req: IncomingMessage,
  _res: ServerResponse,
  next: (err?: unknown) => void,
): void {
  const type = (err as { type?: unknown } | null)?.type;
  if (type === 'entity.parse.failed') {
    next(new BadRequestException(`The request body is not valid JSON: ${(err as Error).message}`));
    return;
  }
  next(err);
}
