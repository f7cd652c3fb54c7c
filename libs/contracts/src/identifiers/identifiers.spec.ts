import fc from 'fast-check';
import { claveProblem, cluesProblem, cluesStateCode, curpCheckDigit, curpProblem, isStateCode, rfcProblem, STATES } from './index';

const upper = (chars: string, n: number) => fc.array(fc.constantFrom(...chars.split('')), { minLength: n, maxLength: n }).map((a) => a.join(''));
const digits = (n: number) => upper('0123456789', n);
const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CONSONANTS = 'BCDFGHJKLMNPQRSTVWXYZ';

/** First 17 characters of a well-formed CURP. */
const curpStem = fc
  .tuple(
    upper(LETTERS, 1),
    fc.constantFrom(...'AEIOUX'.split('')),
    upper(LETTERS, 2),
    digits(2),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
    fc.constantFrom('H', 'M'),
    fc.constantFrom(...STATES.map((s) => s.abbr), 'NE'),
    upper(CONSONANTS, 3),
    upper(LETTERS + '0123456789', 1),
  )
  .map(([a, v, b, yy, mm, dd, sex, st, cons, h]) => `${a}${v}${b}${yy}${String(mm).padStart(2, '0')}${String(dd).padStart(2, '0')}${sex}${st}${cons}${h}`);

describe('identifiers', () => {
  it('state codes are exactly 01..32', () => {
    expect(STATES.map((s) => s.code)).toEqual(Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')));
    for (const bad of ['00', '33', '1', '013', 13, null, ' 13']) expect(isStateCode(bad)).toBe(false);
  });

  it('CURP: a published example validates; its check digit is computed from the first 17 characters', () => {
    expect(curpProblem('HEGG560427MVZRRL04')).toBeNull();
    expect(curpProblem('HEGG560427MVZRRL05')).toMatch(/check digit 5, but its first 17 characters give 4/);
    expect(curpProblem('HEGG561327MVZRRL04')).toMatch(/is not a CURP/); // month 13
    expect(curpProblem('HEGG560427MXXRRL04')).toMatch(/birth state/);
  });

  it('CURP: every well-formed stem with its computed digit is valid, and every other digit is refused', () => {
    fc.assert(
      fc.property(curpStem, fc.integer({ min: 0, max: 9 }), (stem, other) => {
        const digit = curpCheckDigit(stem);
        expect(curpProblem(stem + digit)).toBeNull();
        if (String(other) !== digit) expect(curpProblem(stem + String(other))).not.toBeNull();
      }),
    );
  });

  it('CURP validation never throws on arbitrary input', () => {
    fc.assert(fc.property(fc.anything(), (v) => typeof curpProblem(v) === 'string' || curpProblem(v) === null));
  });

  it('CLUES: state prefix, institution and six digits', () => {
    expect(cluesProblem('HGSSA000016')).toBeNull();
    expect(cluesStateCode('HGIMB001234')).toBe('13');
    expect(cluesProblem('XXSSA000016')).toMatch(/not a state key/);
    expect(cluesProblem('HGSSA00016')).toMatch(/11 characters/);
    fc.assert(fc.property(fc.string(), (s) => cluesProblem(s) === null || typeof cluesProblem(s) === 'string'));
  });

  it('RFC: persons 13, organisations 12, with a possible date', () => {
    expect(rfcProblem('GOMA850101AB1')).toBeNull();
    expect(rfcProblem('ABC850101AB1')).toBeNull();
    expect(rfcProblem('GOMA850230AB1')).toMatch(/impossible date/);
    expect(rfcProblem('GOMA8501011')).toMatch(/is not an RFC/);
  });

  it('clave: GGG.GGG.EEEE.VV or GGG.GGG.EEEE in a known group', () => {
    expect(claveProblem('010.000.0104.00')).toBeNull();
    expect(claveProblem('060.345.3440')).toBeNull();
    expect(claveProblem('020.000.0104.00')).toMatch(/group 020/);
    expect(claveProblem('010.000.104.00')).toMatch(/not a clave/);
  });
});
