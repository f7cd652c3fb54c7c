import { cluesProblem } from '@imb/contracts';
import { catalogueCsv, DEMO_UNIT_STATES, goesBeyond, imbClues, ssaClues, targetStatus, unitNumber } from './demo-units';
import { readHeader, missingColumns } from '../units/clues-catalogue';

describe('demo units', () => {
  it('writes a catalogue with the official required columns and valid CLUES of the state', () => {
    const [header, ...rows] = catalogueCsv('13', 120).trim().split('\n');
    const columns = readHeader(header.split(','));
    expect(columns).not.toBeNull();
    expect(missingColumns(columns!)).toEqual([]);
    expect(rows).toHaveLength(120);
    for (const row of rows) {
      const clues = row.split(',')[0];
      expect(cluesProblem(clues)).toBeNull();
      expect(clues.startsWith('HGSSA')).toBe(true);
    }
  });

  it('keeps the unit number across re-registration', () => {
    expect(ssaClues('31', 42)).toBe('YNSSA000042');
    expect(imbClues('31', 42)).toBe('YNIMB000042');
    expect(unitNumber(imbClues('31', 42))).toBe(42);
  });

  it('sends most units of an operating state to operation and spreads a state handing over', () => {
    const operating = Array.from({ length: 100 }, (_, i) => targetStatus('OPERATION', i + 1));
    expect(operating.filter((s) => s === 'OPERATING')).toHaveLength(80);
    const handingOver = new Set(Array.from({ length: 10 }, (_, i) => targetStatus('HANDOVER', i)));
    expect(handingOver).toEqual(new Set(['RE_REGISTERED', 'HANDED_OVER', 'INCLUDED', 'NEEDS_REGULARIZATION', 'INVENTORIED']));
    expect(goesBeyond('OPERATING', 'INCLUDED')).toBe(true);
    expect(goesBeyond('INCLUDED', 'INCLUDED')).toBe(false);
    expect(goesBeyond('EXCLUDED', 'INVENTORIED')).toBe(false);
  });
});

describe('demo catalogue sizes', () => {
  const kinds = (stateCode: string) => {
    const units = DEMO_UNIT_STATES.find((s) => s.stateCode === stateCode)!.units;
    const types = catalogueCsv(stateCode, units).trim().split('\n').slice(1).map((l) => l.split(',')[4]);
    return {
      hospitals: types.filter((t) => t === 'HOSPITAL GENERAL').length,
      healthCentres: types.filter((t) => /NÚCLEO/.test(t)).length,
    };
  };

  it('holds the published counts: Tlaxcala 112 health centres, Colima 6 hospitals, Baja California Sur 7 hospitals', () => {
    expect(kinds('29').healthCentres).toBe(112);
    expect(kinds('06').hospitals).toBe(6);
    expect(kinds('03').hospitals).toBe(7);
  });
});
