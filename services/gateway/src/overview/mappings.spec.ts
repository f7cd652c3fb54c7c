import { AllocationComputedV1, FundsDisbursedV1, ProjectCompletedV1 } from '@imb/contracts';
import {
  allocationRows,
  deliveryRow,
  formalizedRow,
  hiringRows,
  percentOrNull,
  programmeAllocations,
  supplyOrderRow,
  transferProgressRow,
} from './mappings';

const paid = (
  allocationId: string,
  amount: number,
  disbursedTotal: number,
  allocated = 400000,
  stateCode = '13',
): FundsDisbursedV1 => ({
  disbursementId: `d-${allocationId}-${disbursedTotal}`,
  programmeId: 'p',
  allocationId,
  clues: 'HGIMB000016',
  stateCode,
  amount,
  disbursedTotal,
  allocated,
  disbursedAt: '2026-03-01T00:00:00Z',
});
const done = (
  allocationId: string,
  disbursed: number,
  completedAt = '2026-06-01T00:00:00Z',
): ProjectCompletedV1 => ({
  allocationId,
  programmeId: 'p',
  clues: 'HGIMB000016',
  stateCode: '13',
  spent: disbursed,
  disbursed,
  verifiedBy: 'vero',
  completedAt,
});

describe('allocationRows', () => {
  it('keeps the highest running total of each allocation, whatever the order of its tranches', () => {
    const rows = allocationRows(
      [paid('a', 100000, 300000), paid('a', 200000, 200000), paid('b', 50000, 50000, 600000, '20')],
      [],
    );
    expect(rows).toEqual([
      {
        allocationId: 'a',
        programmeId: 'p',
        stateCode: '13',
        allocated: 400000,
        disbursed: 300000,
        completedAt: null,
      },
      {
        allocationId: 'b',
        programmeId: 'p',
        stateCode: '20',
        allocated: 600000,
        disbursed: 50000,
        completedAt: null,
      },
    ]);
  });

  it('marks completed projects with their earliest verification, the amount allocated still unknown', () => {
    const rows = allocationRows(
      [],
      [done('c', 400000, '2026-07-01T00:00:00Z'), done('c', 400000, '2026-06-01T00:00:00Z')],
    );
    expect(rows).toEqual([
      {
        allocationId: 'c',
        programmeId: 'p',
        stateCode: '13',
        allocated: null,
        disbursed: 400000,
        completedAt: '2026-06-01T00:00:00Z',
      },
    ]);
  });
});

describe('programmeAllocations', () => {
  const computed = (
    programmeId: string,
    computedAt: string,
    byState?: AllocationComputedV1['byState'],
  ): AllocationComputedV1 => ({
    programmeId,
    year: 2027,
    envelope: 10_000_000,
    units: 3,
    total: 1_600_000,
    leftOut: 0,
    byTier: { T1: { units: 3, amount: 1_600_000 } },
    inputHash: 'h',
    computedAt,
    ...(byState ? { byState } : {}),
  });

  it('keeps the units and amount allocated to each state, including units never paid', () => {
    const byState = [
      { stateCode: '13', units: 2, amount: 1_000_000 },
      { stateCode: '20', units: 1, amount: 600_000 },
    ];
    expect(programmeAllocations([computed('p', '2026-03-01T00:00:00Z', byState)])).toEqual([
      { programmeId: 'p', year: 2027, computedAt: '2026-03-01T00:00:00Z', byState },
    ]);
  });

  it("keeps only each programme's latest computation, whatever the order of arrival", () => {
    const older = computed('p', '2026-03-01T00:00:00Z', [{ stateCode: '13', units: 9, amount: 9 }]);
    const newer = computed('p', '2026-03-02T00:00:00Z', [{ stateCode: '13', units: 1, amount: 400_000 }]);
    const other = computed('q', '2026-01-01T00:00:00Z', []);
    const rows = programmeAllocations([newer, other, older]);
    expect(rows.map((r) => [r.programmeId, r.byState])).toEqual([
      ['p', [{ stateCode: '13', units: 1, amount: 400_000 }]],
      ['q', []],
    ]);
  });

  it('says the per-state figures are unknown for an event published before byState existed', () => {
    expect(programmeAllocations([computed('p', '2026-03-01T00:00:00Z')])[0].byState).toBeNull();
  });
});

describe('hr and procurement mappings', () => {
  it('hiring progress: one row per category, timed by the figures', () => {
    const rows = hiringRows({
      stateCode: '18',
      categories: [
        { category: 'specialist', target: 100, filled: 95, percent: 95 },
        { category: 'nursing', target: 0, filled: 3, percent: null },
      ],
      computedAt: '2026-05-05T00:00:00Z',
    });
    expect(rows).toEqual([
      { stateCode: '18', category: 'specialist', percent: 95, computedAt: '2026-05-05T00:00:00Z' },
      { stateCode: '18', category: 'nursing', percent: null, computedAt: '2026-05-05T00:00:00Z' },
    ]);
  });

  it('worker formalized: keyed by the worker so a person counts once', () => {
    const row = formalizedRow({
      workerId: 'w1',
      curp: 'GOMA700115HCMBCD09',
      stateCode: '06',
      campaignId: 'c',
      contractId: 'k',
      postId: 'p',
      postNumber: 'P1',
      postCode: 'M01006',
      category: 'general-practitioner',
      clues: 'CMIMB000016',
      previousContractType: 'eventual',
      appointedAt: '2026-02-01T00:00:00Z',
    });
    expect(row).toEqual({ workerKey: 'w1', stateCode: '06', formalizedAt: '2026-02-01T00:00:00Z' });
  });

  it('supply: an order gives its pieces, a delivery the order’s running totals', () => {
    const order = {
      orderId: 'o1',
      contractId: 'k',
      exerciseCode: '2027-2028',
      clave: '010.000.0104.00',
      supplierRfc: 'ABC010101AB1',
      stateCode: '13',
      unitPrice: 1,
    };
    expect(
      supplyOrderRow({
        ...order,
        quantity: 1000,
        dueDate: '2027-02-01',
        contractOrdered: 1000,
        issuedAt: '2027-01-01T00:00:00Z',
      }),
    ).toEqual({
      orderId: 'o1',
      stateCode: '13',
      ordered: 1000,
      delivered: 0,
    });
    const delivery = {
      deliveryId: 'd',
      deliveryKey: 'R-1',
      orderId: 'o1',
      contractId: order.contractId,
      exerciseCode: order.exerciseCode,
      clave: order.clave,
      supplierRfc: order.supplierRfc,
      stateCode: '13',
      deliveredOn: '2027-02-01',
      daysLate: 0,
    };
    expect(deliveryRow({ ...delivery, quantity: 400, orderDelivered: 900, orderQuantity: 1000 })).toEqual({
      orderId: 'o1',
      stateCode: '13',
      ordered: 1000,
      delivered: 900,
    });
  });
});

describe('transferProgressRow and percentOrNull', () => {
  it('copies the figures transfer computed', () => {
    const row = transferProgressRow({
      stateCode: '13',
      stage: 'HANDOVER',
      daysInStage: 3,
      unitsTotal: 10,
      unitsByStatus: { INCLUDED: 6, HANDED_OVER: 4 },
      handedOverPercent: 40,
      reRegisteredPercent: 0,
      openGateItems: 2,
      computedAt: '2026-01-01T00:00:00Z',
    });
    expect(row).toEqual({
      stateCode: '13',
      unitsTotal: 10,
      unitsByStatus: { INCLUDED: 6, HANDED_OVER: 4 },
      handedOverPercent: 40,
      reRegisteredPercent: 0,
      computedAt: '2026-01-01T00:00:00Z',
    });
  });

  it('rounds down to one decimal and is null without a whole', () => {
    expect(percentOrNull(1, 3)).toBe(33.3);
    expect(percentOrNull(2, 3)).toBe(66.6);
    expect(percentOrNull(5, 5)).toBe(100);
    expect(percentOrNull(0, 0)).toBeNull();
  });
});
