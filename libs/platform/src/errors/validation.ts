import { BadRequestException, ValidationPipe } from '@nestjs/common';
import { ValidationError } from 'class-validator';

/** One input field that failed validation, with its dotted path (`items.0.quantity`). */
export interface FieldProblem {
  field: string;
  messages: string[];
}

/** Flattens class-validator errors (nested objects and arrays included) into one entry per field. */
export function fieldProblems(errors: readonly ValidationError[], parentPath = ''): FieldProblem[] {
  return errors.flatMap((error) => {
    const field = parentPath ? `${parentPath}.${error.property}` : error.property;
    // class-validator words messages after the leaf property; prefixing the parent path makes
    // "quantity must be …" readable as "items.0.quantity must be …". Constraints sharing one
    // message (IsInt, Min and Max of a bounded number, all failed by NaN) say it once.
    const messages = [...new Set(Object.values(error.constraints ?? {}))].map((m) =>
      parentPath ? `${parentPath}.${m}` : m,
    );
    const own = messages.length > 0 ? [{ field, messages }] : [];
    return [...own, ...fieldProblems(error.children ?? [], field)];
  });
}

/** The 400 thrown for invalid input: one message naming every failing field, plus `errors` per field. */
export function validationException(errors: readonly ValidationError[]): BadRequestException {
  const problems = fieldProblems(errors);
  const summary = problems.flatMap((p) => p.messages).join('; ');
  return new BadRequestException({
    message: `Invalid input: ${summary || 'the request does not match the expected shape'}`,
    errors: problems,
  });
}

/** The global pipe: unknown fields are refused, payloads become their DTO classes. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors) => validationException(errors),
  });
}
