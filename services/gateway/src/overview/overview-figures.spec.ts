import { buildOverview, OverviewRows, wholeDays } from './overview-figures';

const empty: OverviewRows = {
  stages: [],
  transfer: [],
  hiring: [],
  formalized: [],
  supply: [],
  allocations: [],
  allocated: null,
  sources: [],
};
const now = new Date('2026-03-11T12:00:00Z');

describe('buildOverview', () => {
  it('lists the 32 states in code order, with nulls where no event has arrived yet', () => {
    const { asOf, states } = buildOverview(empty, now);
    expect(asOf).toEqual({ transfer: null, hr: null, procurement: null, dignification: null });
    expect(states.map((s) => s.stateCode)).toEqual(
      Array.from({ length: 32 }, (_, i) => String(i + 1).padStart(2, '0')),
    );
    expect(states[12]).toEqual({
      stateCode: '13',
      stateName: 'Hidalgo',
      stage: null,
      stageSince: null,
      daysInStage: null,
      units: { total: 0, handedOverPercent: null, reRegisteredPercent: null, byStatus: {} },
      hiring: { specialists: null, generalPractitioners: null, nursing: null },
      formalized: 0,
      fillRate: null,
      dignification: {
        allocated: 0,
        disbursed: 0,
        fundsDeliveredPercent: null,
        projectsCompleted: 0,
        projectsCompletedPercent: null,
      },
    });
  });

  it("puts each source's figures in its state", () => {
    const rows: OverviewRows = {
      stages: [{ stateCode: '13', stage: 'HANDOVER', stageSince: new Date('2026-03-01T13:00:00Z') }],
      transfer: [
        {
          stateCode: '13',
          unitsTotal: 8,
          unitsByStatus: { INCLUDED: 6, HANDED_OVER: 2 },
          handedOverPercent: 25,
          reRegisteredPercent: 0,
        },
      ],
      hiring: [
        { stateCode: '13', category: 'specialist', percent: 95 },
        { stateCode: '13', category: 'general-practitioner', percent: 92.5 },
        { stateCode: '13', category: 'administrative', percent: 10 },
      ],
      formalized: [{ stateCode: '13', workers: 42 }],
      supply: [{ stateCode: '13', ordered: 3000, delivered: 2000 }],
      allocations: [
        { stateCode: '13', allocations: 3, allocated: 1_600_000, disbursed: 400_000, completed: 1 },
      ],
      allocated: null,
      sources: [
        { service: 'transfer', asOf: new Date('2026-03-11T11:00:00Z') },
        { service: 'dignification', asOf: new Date('2026-03-10T00:00:00Z') },
      ],
    };
    const { asOf, states } = buildOverview(rows, now);
    expect(asOf).toEqual({
      transfer: '2026-03-11T11:00:00.000Z',
      hr: null,
      procurement: null,
      dignification: '2026-03-10T00:00:00.000Z',
    });
    expect(states[12]).toMatchObject({
      stage: 'HANDOVER',
      stageSince: '2026-03-01T13:00:00.000Z',
      daysInStage: 9,
      units: {
        total: 8,
        handedOverPercent: 25,
        reRegisteredPercent: 0,
        byStatus: { INCLUDED: 6, HANDED_OVER: 2 },
      },
      hiring: { specialists: 95, generalPractitioners: 92.5, nursing: null },
      formalized: 42,
      fillRate: 66.6,
      dignification: {
        allocated: 1_600_000,
        disbursed: 400_000,
        fundsDeliveredPercent: 25,
        projectsCompleted: 1,
        projectsCompletedPercent: 33.3,
      },
    });
    expect(states[0].stage).toBeNull();
  });
});

describe('buildOverview dignification', () => {
  it("shows the current programme's allocation per state, units never paid included", () => {
    const rows: OverviewRows = {
      ...empty,
      // Paid so far: 3 of Hidalgo's 10 funded units (1.2 M of the 4 M allocated), one completed.
      allocations: [
        { stateCode: '13', allocations: 3, allocated: 1_200_000, disbursed: 900_000, completed: 1 },
      ],
      allocated: [
        { stateCode: '13', units: 10, amount: 4_000_000 },
        { stateCode: '20', units: 4, amount: 1_600_000 },
      ],
    };
    const { states } = buildOverview(rows, now);
    expect(states[12].dignification).toEqual({
      allocated: 4_000_000,
      disbursed: 900_000,
      fundsDeliveredPercent: 22.5,
      projectsCompleted: 1,
      projectsCompletedPercent: 10,
    });
    expect(states[19].dignification).toEqual({
      allocated: 1_600_000,
      disbursed: 0,
      fundsDeliveredPercent: 0,
      projectsCompleted: 0,
      projectsCompletedPercent: 0,
    });
    // A state the programme funds nothing in.
    expect(states[0].dignification).toMatchObject({
      allocated: 0,
      fundsDeliveredPercent: null,
      projectsCompletedPercent: null,
    });
  });
});

describe('wholeDays', () => {
  it('counts whole days and never goes negative', () => {
    expect(wholeDays(new Date('2026-03-10T12:00:01Z'), now)).toBe(0);
    expect(wholeDays(new Date('2026-03-10T12:00:00Z'), now)).toBe(1);
    expect(wholeDays(new Date('2026-04-01T00:00:00Z'), now)).toBe(0);
  });
});
