import { DEFAULT_RULES } from '../units/eligibility-rules';
import { allocate, byTier, CandidateUnit, inputHash } from './allocate';

let serial = 0;
const unit = (typology: string, stratum: 'RURAL' | 'URBANO', extra: Partial<CandidateUnit> = {}): CandidateUnit => {
  serial += 1;
  return {
    unitId: `00000000-0000-4000-8000-${String(serial).padStart(12, '0')}`,
    clues: `HGIMB${String(serial).padStart(6, '0')}`,
    stateCode: '13',
    establishmentType: 'DE CONSULTA EXTERNA',
    careLevel: 'PRIMER NIVEL',
    stratum,
    typology,
    stateJoined: true,
    ...extra,
  };
};

describe('allocate', () => {
  const urban3 = unit('URBANO DE 03 NÚCLEOS BÁSICOS', 'URBANO');
  const rural1 = unit('RURAL DE 01 NÚCLEO BÁSICO', 'RURAL');
  const rural2 = unit('RURAL DE 02 NÚCLEOS BÁSICOS', 'RURAL');
  const urban1 = unit('URBANO DE 01 NÚCLEOS BÁSICOS', 'URBANO');
  const mobile = unit('UNIDAD MÓVIL', 'URBANO');
  const elsewhere = unit('RURAL DE 01 NÚCLEO BÁSICO', 'RURAL', { stateCode: '14', clues: 'JCIMB000001', stateJoined: false });
  const all = [urban3, rural1, rural2, urban1, mobile, elsewhere];

  it('funds every eligible unit of a joined state when the envelope suffices', () => {
    const out = allocate(all, 10_000_000, DEFAULT_RULES);
    expect(out.total).toBe(800_000 + 400_000 + 600_000 + 400_000);
    expect(out.funded.map((f) => f.clues)).toEqual([rural1.clues, rural2.clues, urban1.clues, urban3.clues]);
    expect(out.leftOut.map((l) => [l.clues, l.reason])).toEqual([
      [mobile.clues, 'MOBILE_UNIT'],
      [elsewhere.clues, 'STATE_NOT_JOINED'],
    ]);
    expect(byTier(out.funded)).toEqual([
      { tier: 'T1', units: 2, amount: 800_000 },
      { tier: 'T2', units: 1, amount: 600_000 },
      { tier: 'T3', units: 1, amount: 800_000 },
    ]);
  });

  it('when short, funds rural before urban and smaller before bigger, and never lets a later unit jump the queue', () => {
    // rural1 (400k) and rural2 (600k) fit; 300k is left, short of urban1's 400k, so urban1 and urban3 are left out.
    const out = allocate(all, 1_300_000, DEFAULT_RULES);
    expect(out.funded.map((f) => [f.clues, f.rank])).toEqual([
      [rural1.clues, 1],
      [rural2.clues, 2],
    ]);
    expect(out.total).toBe(1_000_000);
    const exhausted = out.leftOut.filter((l) => l.reason === 'ENVELOPE_EXHAUSTED');
    expect(exhausted.map((l) => l.clues).sort()).toEqual([urban1.clues, urban3.clues].sort());
    expect(exhausted[0].message).toMatch(/envelope exhausted: MXN 300000 left/);
  });

  it('is deterministic whatever the input order', () => {
    const a = allocate(all, 1_500_000, DEFAULT_RULES);
    const b = allocate([...all].reverse(), 1_500_000, DEFAULT_RULES);
    expect(b).toEqual(a);
    expect(inputHash([...all].reverse(), 1_500_000, DEFAULT_RULES)).toBe(inputHash(all, 1_500_000, DEFAULT_RULES));
    expect(inputHash(all, 1_500_001, DEFAULT_RULES)).not.toBe(inputHash(all, 1_500_000, DEFAULT_RULES));
  });

  it('follows a configured priority', () => {
    const out = allocate(all, 1_000_000, { ...DEFAULT_RULES, priority: ['smaller-amount'] });
    expect(out.funded.map((f) => f.clues).sort()).toEqual([rural1.clues, urban1.clues].sort());
  });
});
