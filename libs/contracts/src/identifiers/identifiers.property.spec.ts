import fc from 'fast-check';
import { validateSync } from 'class-validator';
import {
  CLAVE_GROUPS,
  claveProblem,
  cluesProblem,
  cluesStateCode,
  curpCheckDigit,
  curpProblem,
  IsClave,
  IsClues,
  IsCurp,
  IsRfc,
  IsStateCode,
  isStateCode,
  rfcProblem,
  STATES,
} from './index';

/**
 * Property tests of every identifier validator (issue 8, hostile input): each accepts every
 * well-formed value, refuses every value broken in one place, never throws on arbitrary input, and
 * its class-validator decorator agrees with it and explains a refusal. Seeded, so a failure is
 * reproducible with the seed fast-check prints.
 */
const SEED = 2026_08;
const settings = { seed: SEED, numRuns: 300 };

const chars = (alphabet: string, n: number) =>
  fc.array(fc.constantFrom(...alphabet.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXYZ';
const abbr = fc.constantFrom(...STATES.map((s) => s.abbr));
const pad = (n: number) => String(n).padStart(2, '0');
/** A real calendar date as YYMMDD (2000-2099). */
const yymmdd = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map(
  (d) => `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`,
);

const validStateCode = fc.integer({ min: 1, max: 32 }).map(pad);
const validClues = fc.tuple(abbr, chars(LETTERS, 3), chars(DIGITS, 6)).map(([s, i, n]) => `${s}${i}${n}`);
const validCurp = fc
  .tuple(chars(LETTERS, 1), fc.constantFrom(...'AEIOUX'.split('')), chars(LETTERS, 2), yymmdd, fc.constantFrom('H', 'M', 'X'), fc.oneof(abbr, fc.constant('NE')), chars(CONSONANTS, 3), chars(LETTERS + DIGITS, 1))
  .map(([a, v, b, date, sex, st, cons, h]) => `${a}${v}${b}${date}${sex}${st}${cons}${h}`)
  .map((stem) => stem + curpCheckDigit(stem));
const validRfc = fc
  .tuple(fc.oneof(chars(LETTERS + 'Ñ&', 3), chars(LETTERS + 'Ñ&', 4)), yymmdd, chars(LETTERS + DIGITS, 2), chars('A' + DIGITS, 1))
  .map(([name, date, h, d]) => `${name}${date}${h}${d}`);
const validClave = fc
  .tuple(fc.constantFrom(...CLAVE_GROUPS), chars(DIGITS, 3), chars(DIGITS, 4), fc.option(chars(DIGITS, 2), { nil: undefined }))
  .map(([g, s, e, v]) => `${g}.${s}.${e}${v === undefined ? '' : `.${v}`}`);

/** Anything at all, including values JSON cannot carry (bigint, symbols, functions are excluded by fast-check's JSON-free defaults). */
const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true });

/** A value broken in one place: a character replaced by one of another class, one added or removed, case or spacing changed. */
function broken(valid: fc.Arbitrary<string>, foreign: string, ways = [0, 1, 2, 3, 4]): fc.Arbitrary<string> {
  return fc.tuple(valid, fc.nat(), fc.constantFrom(...foreign.split('')), fc.constantFrom(...ways)).map(([v, at, c, how]) => {
    const i = at % v.length;
    switch (how) {
      case 0:
        return v.slice(0, i) + c + v.slice(i + 1);
      case 1:
        return v.slice(0, i) + v.slice(i + 1);
      case 2:
        return v + c;
      case 3:
        return v.toLowerCase() !== v ? v.toLowerCase() : v + c;
      default:
        return ` ${v}`;
    }
  });
}

interface Validator {
  name: string;
  problem: (v: unknown) => string | null;
  valid: fc.Arbitrary<string>;
  /** Characters that break the format wherever they go (or change it beyond repair). */
  foreign: string;
  decorator: () => PropertyDecorator;
  /** Ways of breaking that apply (default all); an RFC less one letter is another valid RFC. */
  ways?: number[];
}

const VALIDATORS: Validator[] = [
  {
    name: 'state code',
    problem: (v) => (isStateCode(v) ? null : 'not a state code'),
    valid: validStateCode,
    foreign: 'x-. /',
    decorator: () => IsStateCode() as PropertyDecorator,
  },
  { name: 'CLUES', problem: cluesProblem, valid: validClues, foreign: '-. /_ñ', decorator: () => IsClues() as PropertyDecorator },
  { name: 'CURP', problem: curpProblem, valid: validCurp, foreign: '-. /_ñ', decorator: () => IsCurp() as PropertyDecorator },
  { name: 'RFC', problem: rfcProblem, valid: validRfc, foreign: '-. /_', decorator: () => IsRfc() as PropertyDecorator, ways: [0, 2, 3, 4] },
  { name: 'clave', problem: claveProblem, valid: validClave, foreign: 'A-/ _', decorator: () => IsClave() as PropertyDecorator },
];

describe.each(VALIDATORS)('$name validator', ({ problem, valid, foreign, decorator, ways }) => {
  class Holder {
    value: unknown;
  }
  decorator()(Holder.prototype, 'value');
  const errorsFor = (value: unknown) => {
    const holder = new Holder();
    holder.value = value;
    return validateSync(holder);
  };

  it('accepts every well-formed value', () => {
    fc.assert(
      fc.property(valid, (v) => problem(v) === null),
      settings,
    );
  });

  it('refuses every value broken in one place, saying why', () => {
    fc.assert(
      fc.property(broken(valid, foreign, ways), (v) => {
        const why = problem(v);
        return typeof why === 'string' && why.length > 10;
      }),
      settings,
    );
  });

  it('never throws, whatever it is given', () => {
    fc.assert(
      fc.property(anything, (v) => {
        const why = problem(v);
        return why === null || typeof why === 'string';
      }),
      settings,
    );
  });

  it('refuses anything that is not a string', () => {
    fc.assert(
      fc.property(
        anything.filter((v) => typeof v !== 'string'),
        (v) => problem(v) !== null,
      ),
      settings,
    );
  });

  it('has a decorator that agrees with it and names the field in its message', () => {
    fc.assert(
      fc.property(fc.oneof(valid, broken(valid, foreign, ways), fc.jsonValue()), (v) => {
        const errors = errorsFor(v);
        if (problem(v) === null) return errors.length === 0;
        return errors.length === 1 && Object.values(errors[0].constraints ?? {}).some((m) => m.includes('value'));
      }),
      settings,
    );
  });
});

describe('identifier details', () => {
  it('a CLUES key names its state', () => {
    fc.assert(
      fc.property(validClues, (clues) => STATES.find((s) => s.abbr === clues.slice(0, 2))?.code === cluesStateCode(clues)),
      settings,
    );
  });

  it('a CURP with any other check digit is refused', () => {
    fc.assert(
      fc.property(validCurp, fc.integer({ min: 1, max: 9 }), (curp, shift) => {
        const other = String((Number(curp[17]) + shift) % 10);
        return curpProblem(curp.slice(0, 17) + other) !== null;
      }),
      settings,
    );
  });

  it('an RFC with an impossible date is refused', () => {
    fc.assert(
      fc.property(validRfc, fc.constantFrom('0230', '0431', '0631', '0931', '1131', '1300', '0100', '0132'), (rfc, mmdd) => {
        const dateAt = rfc.length === 13 ? 4 : 3;
        return rfcProblem(rfc.slice(0, dateAt + 2) + mmdd + rfc.slice(dateAt + 6)) !== null;
      }),
      settings,
    );
  });

  it('a clave outside the compendium groups is refused', () => {
    fc.assert(
      fc.property(
        validClave,
        chars(DIGITS, 3).filter((g) => !(CLAVE_GROUPS as readonly string[]).includes(g)),
        (clave, group) => claveProblem(group + clave.slice(3)) !== null,
      ),
      settings,
    );
  });

  it('state codes are exactly the strings 01..32', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 4 }), (s) => isStateCode(s) === /^(0[1-9]|[12]\d|3[0-2])$/.test(s)),
      settings,
    );
  });
});
