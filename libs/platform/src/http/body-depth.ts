import { BadRequestException } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Deepest nesting of arrays and objects a request body may have. The platform's DTOs nest a few
 * levels; a body nested thousands of levels deep would overflow the stack of the (recursive)
 * validation and transformation code and end as a 500.
 */
export const MAX_BODY_DEPTH = 32;

/** True when `value` nests arrays/objects deeper than `max` levels (checked without recursion). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: Array<{ value: unknown; depth: number }> = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const { value: current, depth } = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(current)) stack.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** Express middleware placed after the body parsers: 400 for a body nested deeper than MAX_BODY_DEPTH. */
export function bodyDepthLimit(req: IncomingMessage & { body?: unknown }, _res: ServerResponse, next: (err?: unknown) => void): void {
  if (nestedDeeperThan(req.body, MAX_BODY_DEPTH)) {
    next(new BadRequestException(`The request body is nested too deeply: at most ${MAX_BODY_DEPTH} levels of arrays and objects are accepted.`));
    return;
  }
  next();
}
