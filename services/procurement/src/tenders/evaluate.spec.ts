import { BidInput, ClaveDemand, ComplianceRecord, evaluateTender, judgeBid, TenderRule } from './evaluate';

const at = (minute: number) => new Date(Date.UTC(2027, 0, 10, 9, minute));
const bid = (id: string, supplierRfc: string, clave: string, unitPrice: number | null, offeredQuantity: number | null, minute = 0): BidInput => ({
  id,
  supplierRfc,
  clave,
  unitPrice,
  offeredQuantity,
  submittedAt: at(minute),
});
const single: TenderRule = { awardShares: [100], complianceThreshold: 0.5, windowLabel: '2026-07 to 2026-12' };
const split: TenderRule = { ...single, awardShares: [60, 40] };

const A = 'AAA010101AA1';
const B = 'BBB020202BB2';
const C = 'CCC030303CC3';

describe('judgeBid', () => {
  it('is solvent at or under the reference price with a good or unknown record', () => {
    expect(judgeBid(bid('1', A, '010.000.0104.00', 10, 100), 10, { piecesDue: 100, piecesOnTime: 50 }, single)).toEqual({ id: '1', solvent: true, reasons: [] });
    expect(judgeBid(bid('2', A, '010.000.0104.00', 9.99, 100), 10, undefined, single).solvent).toBe(true);
    expect(judgeBid(bid('3', A, '010.000.0104.00', 9.99, 100), 10, { piecesDue: 0, piecesOnTime: 0 }, single).solvent).toBe(true);
  });

  it('gives every reason that applies', () => {
    const v = judgeBid(bid('4', B, '010.000.0104.00', 10.0001, null), 10, { piecesDue: 1000, piecesOnTime: 499 }, single);
    expect(v.solvent).toBe(false);
    expect(v.reasons.map((r) => r.code)).toEqual(['MISSING_DATA', 'OVER_REFERENCE_PRICE', 'LOW_COMPLIANCE']);
    expect(v.reasons[0].message).toBe('missing offered quantity');
    expect(v.reasons[2].message).toBe(
      `supplier ${B} delivered 49.9 % of its pieces on time (499 of 1000) in 2026-07 to 2026-12; at least 50.0 % is required`,
    );
  });

  it('cannot judge a bid without the clave’s reference price', () => {
    const v = judgeBid(bid('5', A, '060.345.3440', 1, 1), null, undefined, single);
    expect(v).toEqual({ id: '5', solvent: false, reasons: [{ code: 'MISSING_DATA', message: 'missing reference price of clave 060.345.3440' }] });
  });
});

describe('evaluateTender', () => {
  const demand: ClaveDemand[] = [
    { clave: '010.000.0104.00', min: 400, max: 1000, referencePrice: 10 },
    { clave: '010.000.0101.00', min: 41, max: 101, referencePrice: 5 },
    { clave: '060.345.3440', min: 4, max: 10, referencePrice: 2 },
    { clave: '080.000.0001.00', min: 4, max: 10, referencePrice: 3 },
  ];
  const compliance = new Map<string, ComplianceRecord>([[C, { piecesDue: 10, piecesOnTime: 2 }]]);
  const bids = [
    bid('a1', A, '010.000.0104.00', 9.5, 1000, 1),
    bid('b1', B, '010.000.0104.00', 9.0, 1000, 2),
    bid('c1', C, '010.000.0104.00', 8.0, 1000, 0), // cheapest but 20 % compliance
    bid('a2', A, '010.000.0101.00', 4.0, 200, 5),
    bid('b2', B, '010.000.0101.00', 4.0, 200, 3), // same price, earlier
    bid('a3', A, '060.345.3440', 2.5, 10), // over the reference price
    bid('c3', C, '060.345.3440', 1.0, 10), // low compliance
  ];

  it('awards the lowest solvent price; deserted without bids; not solvent when no bid is', () => {
    const e = evaluateTender(demand, bids, compliance, single);
    expect(e.counts).toEqual({ AWARDED: 2, DESERTED: 1, NOT_SOLVENT: 1 });
    const by = new Map(e.claves.map((c) => [c.clave, c]));
    expect(by.get('010.000.0104.00')).toMatchObject({
      outcome: 'AWARDED',
      bids: 3,
      solventBids: 2,
      awards: [{ supplierRfc: B, bidId: 'b1', unitPrice: 9, sharePct: 100, min: 400, max: 1000 }],
    });
    // A tie on price goes to the earlier bid.
    expect(by.get('010.000.0101.00')!.awards).toEqual([{ supplierRfc: B, bidId: 'b2', unitPrice: 4, sharePct: 100, min: 41, max: 101 }]);
    expect(by.get('060.345.3440')).toMatchObject({ outcome: 'NOT_SOLVENT', bids: 2, solventBids: 0, awards: [] });
    expect(by.get('080.000.0001.00')).toMatchObject({ outcome: 'DESERTED', bids: 0, awards: [] });
    const verdicts = new Map(e.bids.map((v) => [v.id, v]));
    expect(verdicts.get('c1')!.reasons.map((r) => r.code)).toEqual(['LOW_COMPLIANCE']);
    expect(verdicts.get('a3')!.reasons.map((r) => r.code)).toEqual(['OVER_REFERENCE_PRICE']);
    expect(e.bids).toHaveLength(7);
  });

  it('splits 60/40 between the two lowest solvent suppliers, quantities summing exactly', () => {
    const e = evaluateTender(demand, bids, compliance, split);
    const by = new Map(e.claves.map((c) => [c.clave, c]));
    expect(by.get('010.000.0104.00')!.awards).toEqual([
      { supplierRfc: B, bidId: 'b1', unitPrice: 9, sharePct: 60, min: 240, max: 600 },
      { supplierRfc: A, bidId: 'a1', unitPrice: 9.5, sharePct: 40, min: 160, max: 400 },
    ]);
    // 41 × 0.6 = 24.6 → 25 and 16.4 → 16; 101 × 0.6 = 60.6 → 61 and 40.4 → 40.
    expect(by.get('010.000.0101.00')!.awards.map((a) => [a.supplierRfc, a.min, a.max])).toEqual([
      [B, 25, 61],
      [A, 16, 40],
    ]);
  });

  it('gives the whole clave to a lone solvent supplier under a split rule', () => {
    const e = evaluateTender([demand[0]], [bid('x', A, '010.000.0104.00', 9, 5), bid('y', A, '010.000.0104.00', 8, 5)], new Map(), split);
    expect(e.claves[0].awards).toEqual([{ supplierRfc: A, bidId: 'y', unitPrice: 8, sharePct: 100, min: 400, max: 1000 }]);
  });

  it('refuses shares that do not add up to 100', () => {
    expect(() => evaluateTender(demand, [], new Map(), { ...single, awardShares: [60, 30] })).toThrow(RangeError);
  });

  it('gives the same result for the same inputs in any order', () => {
    const a = evaluateTender(demand, bids, compliance, split);
    const b = evaluateTender([...demand].reverse(), [...bids].reverse(), compliance, split);
    expect(b.claves).toEqual(a.claves);
    expect(b.counts).toEqual(a.counts);
  });
});
