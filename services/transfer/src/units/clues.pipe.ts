import { BadRequestException, Injectable, PipeTransform } from '@nestjs/common';
import { cluesProblem } from '@imb/contracts';

/** Rejects a route's CLUES unless it is well formed (upper-cased first: keys are often typed in lower case). */
@Injectable()
export class CluesPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const key = value.toUpperCase();
    const problem = cluesProblem(key);
    if (problem) throw new BadRequestException(problem);
    return key;
  }
}
