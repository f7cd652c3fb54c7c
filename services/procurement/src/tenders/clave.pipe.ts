import { Injectable, PipeTransform } from '@nestjs/common';
import { claveProblem } from '@imb/contracts';
import { DomainError } from '@imb/platform';

/** A clave in the path: 400 with the reason when malformed. */
@Injectable()
export class ClavePipe implements PipeTransform<string, string> {
  transform(value: string): string {
    const problem = claveProblem(value);
    if (problem) throw new DomainError('BAD_CLAVE', problem, 400);
    return value;
  }
}
