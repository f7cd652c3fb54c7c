import { Injectable, PipeTransform } from '@nestjs/common';
import { EXERCISE_CODE_PATTERN } from '@imb/contracts';
import { DomainError } from '@imb/platform';

/** Validates the `:code` of an exercise route (e.g. 2027-2028). */
@Injectable()
export class ExerciseCodePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!EXERCISE_CODE_PATTERN.test(value)) {
      throw new DomainError('INVALID_EXERCISE_CODE', `"${String(value).slice(0, 40)}" is not an exercise code: expected the years it covers, e.g. 2027-2028`, 400);
    }
    return value;
  }
}
