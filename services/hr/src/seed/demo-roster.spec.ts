import { curpProblem, rfcProblem } from '@imb/contracts';
import { person, rosterCsv } from './demo-roster';

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

  it('writes three posts per unit, every 12th vacant', () => {
    const lines = rosterCsv('13', ['HGIMB000001', 'HGIMB000002']).trim().split('\n');
    expect(lines).toHaveLength(1 + 6);
    expect(lines[0]).toMatch(/^PLAZA,CODIGO_PUESTO,CLUES/);
    expect(lines.slice(1).every((l) => /,HGIMB00000[12],/.test(l))).toBe(true);
  });
});
