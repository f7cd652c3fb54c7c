import { curpProblem, rfcProblem } from '@imb/contracts';
import { DEMO_ROSTER_STATES, demoStaffing, exactShare, person, rosterCsv } from './demo-roster';

describe('demo roster', () => {
  it('gives every person a valid, unique CURP and a valid RFC', () => {
    const curps = new Set<string>();
    for (let n = 0; n < 12000; n++) {
      const p = person(n, 'HG');
      expect(curpProblem(p.curp)).toBeNull();
      expect(rfcProblem(p.rfc)).toBeNull();
      curps.add(p.curp);
    }
    expect(curps.size).toBe(12000);
  });

  it('writes three posts per unit, occupied up to the count asked for each category', () => {
    const lines = rosterCsv('13', ['HGIMB000001', 'HGIMB000002'], (category) => (category === 'specialist' ? 1 : 0)).trim().split('\n');
    expect(lines).toHaveLength(1 + 6);
    expect(lines[0]).toMatch(/^PLAZA,CODIGO_PUESTO,CLUES/);
    expect(lines.slice(1).every((l) => /,HGIMB00000[12],/.test(l))).toBe(true);
    expect(lines.slice(1).map((l) => l.split(',')[4])).toEqual(['OCUPADA', 'VACANTE', 'VACANTE', 'VACANTE', 'VACANTE', 'VACANTE']);
  });

  it('sets targets so that occupied / target is exactly the percent, one decimal included', () => {
    expect(exactShare(54, 95)).toEqual({ target: 40, occupied: 38 });
    expect(exactShare(216, 81)).toEqual({ target: 200, occupied: 162 });
    expect(() => exactShare(10, 81)).toThrow(/at least 100/);
    const clues = Array.from({ length: 180 }, (_, i) => `BSIMB${String(i + 1).padStart(6, '0')}`);
    const bcs = DEMO_ROSTER_STATES.find((s) => s.stateCode === '03')!;
    const { csv, targets } = demoStaffing('03', clues, bcs.hired);
    const occupiedRows = csv.split('\n').filter((l) => l.includes(',OCUPADA,'));
    const occupiedOf = (codes: RegExp) => occupiedRows.filter((l) => codes.test(l.split(',')[1])).length;
    const target = (category: string) => targets.find((t) => t.category === category)!.target;
    expect(occupiedOf(/^M0100[45]$/) / target('specialist')).toBe(0.95);
    expect(occupiedOf(/^M0100[67]$/) / target('general-practitioner')).toBe(0.96);
    expect(occupiedOf(/^M020/) / target('nursing')).toBe(0.81);
  });

  it('can show every demo state its percentages with the posts its demo units hold', () => {
    // Fewer units than transfer's demo gives each (Tlaxcala 119 less excluded; the others 300 or more).
    const clues = (n: number) => Array.from({ length: n }, (_, i) => `TLIMB${String(i + 1).padStart(6, '0')}`);
    for (const { stateCode, hired, published } of DEMO_ROSTER_STATES) expect(() => demoStaffing(stateCode, clues(published ? 110 : 290), hired)).not.toThrow();
  });
});
