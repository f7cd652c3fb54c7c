import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classify, DEFAULT_RULES, isStateJoined, nucleosOf, rulesProblems, UnitFacts, withDefaults } from './eligibility-rules';
import { loadRules } from './rules.config';

const unit = (typology: string, extra: Partial<UnitFacts> = {}): UnitFacts => ({
  clues: 'HGIMB000011',
  stateCode: '13',
  establishmentType: 'DE CONSULTA EXTERNA',
  careLevel: 'PRIMER NIVEL',
  stratum: 'RURAL',
  typology,
  ...extra,
});

describe('nucleosOf', () => {
  it('reads the núcleos básicos of a tipología, with or without accents', () => {
    expect(nucleosOf('RURAL DE 01 NÚCLEO BÁSICO')).toBe(1);
    expect(nucleosOf('URBANO DE 03 NÚCLEOS BÁSICOS')).toBe(3);
    expect(nucleosOf('URBANO DE 12 NUCLEOS BASICOS Y MAS')).toBe(12);
    expect(nucleosOf('UNIDAD MÓVIL')).toBeNull();
    expect(nucleosOf(null)).toBeNull();
  });
});

describe('classify', () => {
  it('puts each size in its tier with the draft amounts', () => {
    const tierOf = (t: string) => classify(unit(t));
    expect(tierOf('RURAL DE 01 NÚCLEO BÁSICO')).toMatchObject({ eligible: true, tier: 'T1', amount: 400_000, nucleos: 1, rural: true });
    expect(tierOf('URBANO DE 02 NÚCLEOS BÁSICOS')).toMatchObject({ tier: 'T2', amount: 600_000 });
    expect(tierOf('RURAL DE 03 NÚCLEOS BÁSICOS Y MÁS')).toMatchObject({ tier: 'T3', amount: 800_000 });
    expect(tierOf('URBANO DE 05 NÚCLEOS BÁSICOS')).toMatchObject({ tier: 'T3', amount: 800_000 });
    expect(tierOf('URBANO DE 06 NÚCLEOS BÁSICOS')).toMatchObject({ tier: 'T4', amount: 1_000_000 });
    expect(tierOf('URBANO DE 12 NÚCLEOS BÁSICOS Y MÁS')).toMatchObject({ tier: 'T4', amount: 1_000_000 });
    expect(tierOf('CENTRO DE SALUD CON SERVICIOS AMPLIADOS')).toMatchObject({ tier: 'T5', amount: 1_200_000 });
  });

  it('excludes mobile, specialty and hospital units, other care levels and unknown sizes, with a reason', () => {
    expect(classify(unit('UNIDAD MÓVIL'))).toMatchObject({ eligible: false, reason: 'MOBILE_UNIT' });
    expect(classify(unit('UNIDAD DE ESPECIALIDADES MÉDICAS (UNEMES)'))).toMatchObject({ eligible: false, reason: 'SPECIALTY_UNIT' });
    expect(classify(unit('CLÍNICA DE ESPECIALIDADES'))).toMatchObject({ eligible: false, reason: 'SPECIALTY_UNIT' });
    expect(classify(unit('CENTRO DE SALUD CON HOSPITALIZACIÓN'))).toMatchObject({ eligible: false, reason: 'HOSPITAL_UNIT' });
    expect(classify(unit('HOSPITAL GENERAL', { establishmentType: 'DE HOSPITALIZACIÓN', careLevel: 'SEGUNDO NIVEL' }))).toMatchObject({ reason: 'HOSPITAL_UNIT' });
    expect(classify(unit('URBANO DE 02 NÚCLEOS BÁSICOS', { careLevel: 'SEGUNDO NIVEL' }))).toMatchObject({ reason: 'NOT_FIRST_LEVEL' });
    expect(classify(unit('CASA DE SALUD'))).toMatchObject({ reason: 'UNKNOWN_SIZE' });
    expect(classify(unit('RURAL DE 01 NÚCLEO BÁSICO', { transferStatus: 'EXCLUDED' }))).toMatchObject({ reason: 'EXCLUDED_FROM_TRANSFER' });
  });

  it('follows a changed rules table', () => {
    const rules = { ...DEFAULT_RULES, exclusions: [], tiers: [{ tier: 'ONE', minNucleos: 1, maxNucleos: null, amount: 5 }] };
    expect(classify(unit('URBANO DE 09 NÚCLEOS BÁSICOS'), rules)).toMatchObject({ tier: 'ONE', amount: 5 });
    expect(classify(unit('UNIDAD MÓVIL'), rules)).toMatchObject({ reason: 'UNKNOWN_SIZE' });
  });
});

describe('rulesProblems', () => {
  it('accepts the defaults and lists what is wrong with a bad table', () => {
    expect(rulesProblems(DEFAULT_RULES)).toEqual([]);
    const bad = { ...DEFAULT_RULES, tiers: [{ tier: 'X', minNucleos: 3, maxNucleos: 2, amount: 0 }], priority: ['biggest' as never] };
    expect(rulesProblems(bad)).toEqual(['tier X: amount must be positive', 'tier X: bad núcleos range', expect.stringMatching(/unknown priority key biggest/)]);
  });
});

describe('joined states', () => {
  it('by default counts a state as joined once its agreement is signed, and never when declined, suspended or unknown', () => {
    for (const stage of ['AGREEMENT', 'PUBLICATION', 'ANNEXES', 'HANDOVER', 'PAYROLL', 'OPERATION']) expect(isStateJoined(stage, DEFAULT_RULES)).toBe(true);
    for (const stage of ['DIAGNOSIS', 'DECLINED', 'SUSPENDED', null, undefined]) expect(isStateJoined(stage, DEFAULT_RULES)).toBe(false);
  });

  it('follows the rules table, and gives programmes stored without the key the former rule', () => {
    const strict = { ...DEFAULT_RULES, joinedStages: ['OPERATION'] };
    expect(isStateJoined('HANDOVER', strict)).toBe(false);
    expect(isStateJoined('OPERATION', strict)).toBe(true);
    const { joinedStages: _dropped, ...older } = DEFAULT_RULES;
    expect(withDefaults(older).joinedStages).toEqual(DEFAULT_RULES.joinedStages);
    expect(withDefaults(strict).joinedStages).toEqual(['OPERATION']);
  });

  it('refuses a rules table naming unknown stages or none', () => {
    expect(rulesProblems({ ...DEFAULT_RULES, joinedStages: ['OPERATION', 'FEDERALIZED'] })).toEqual([expect.stringMatching(/joinedStages: unknown stage FEDERALIZED; known: DIAGNOSIS/)]);
    expect(rulesProblems({ ...DEFAULT_RULES, joinedStages: [] })).toEqual([expect.stringMatching(/joinedStages must list the transfer stages/)]);
  });

  it('reads joinedStages from DIGNIFICATION_RULES_FILE like the tiers, and fails at boot on a bad one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dignification-rules-'));
    try {
      const good = join(dir, 'rules.json');
      writeFileSync(good, JSON.stringify({ joinedStages: ['PAYROLL', 'OPERATION'], tiers: [{ tier: 'ALL', minNucleos: 1, maxNucleos: null, amount: 1 }] }));
      const rules = loadRules(good);
      expect(rules.joinedStages).toEqual(['PAYROLL', 'OPERATION']);
      expect(rules.tiers).toHaveLength(1);
      expect(rules.priority).toEqual(DEFAULT_RULES.priority);
      const bad = join(dir, 'bad.json');
      writeFileSync(bad, JSON.stringify({ joinedStages: ['JOINED'] }));
      expect(() => loadRules(bad)).toThrow(/DIGNIFICATION_RULES_FILE .*bad\.json: joinedStages: unknown stage JOINED/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
