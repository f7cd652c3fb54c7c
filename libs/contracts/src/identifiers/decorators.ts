import { ValidationOptions, registerDecorator } from 'class-validator';
import { claveProblem } from './clave';
import { cluesProblem } from './clues';
import { curpProblem } from './curp';
import { rfcProblem } from './rfc';
import { isStateCode } from './states';

function fromProblem(name: string, problem: (v: unknown) => string | null, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate: (value: unknown) => problem(value) === null,
        defaultMessage: (args) => `${args?.property}: ${problem(args?.value) ?? 'invalid'}`,
      },
    });
}

const stateProblem = (v: unknown) =>
  isStateCode(v) ? null : `${JSON.stringify(v)} is not a state code: expected two digits from 01 to 32`;

/** Property must be an INEGI state code '01'..'32'. */
export const IsStateCode = (o?: ValidationOptions) => fromProblem('isStateCode', stateProblem, o);
/** Property must be a CLUES key. */
export const IsClues = (o?: ValidationOptions) => fromProblem('isClues', cluesProblem, o);
/** Property must be a CURP with a correct check digit. */
export const IsCurp = (o?: ValidationOptions) => fromProblem('isCurp', curpProblem, o);
/** Property must be an RFC. */
export const IsRfc = (o?: ValidationOptions) => fromProblem('isRfc', rfcProblem, o);
/** Property must be a compendium clave. */
export const IsClave = (o?: ValidationOptions) => fromProblem('isClave', claveProblem, o);
