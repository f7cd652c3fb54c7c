import { daysLate, orderPenalty } from './penalties';

describe('penalties for late delivery', () => {
  it('counts calendar days after the due date, none when early or on time', () => {
    expect(daysLate('2027-03-10', '2027-03-10')).toBe(0);
    expect(daysLate('2027-03-10', '2027-03-01')).toBe(0);
    expect(daysLate('2027-03-10', '2027-03-15')).toBe(5);
    // Across a month end and a leap day.
    expect(daysLate('2028-02-27', '2028-03-02')).toBe(4);
  });

  it('charges the late pieces’ value × rate × days, per delivery, by hand', () => {
    // Order: 1,000 pieces at MXN 12.50 = 12,500; 1 % per day; cap 10 % = 1,250.
    const terms = { unitPrice: 12.5, quantity: 1000, dueDate: '2027-03-10', ratePerDay: 0.01, capShare: 0.1 };
    const p = orderPenalty(terms, [
      { deliveryKey: 'R-1', quantity: 600, deliveredOn: '2027-03-09' }, // on time: nothing
      { deliveryKey: 'R-2', quantity: 300, deliveredOn: '2027-03-14' }, // 4 days: 3,750 × 0.01 × 4 = 150
      { deliveryKey: 'R-3', quantity: 37, deliveredOn: '2027-03-13' }, // 3 days: 462.50 × 0.03 = 13.875 → 13.88
    ]);
    expect(p.deliveries.map((d) => [d.deliveryKey, d.daysLate, d.latePieces, d.lateValue, d.penalty])).toEqual([
      ['R-1', 0, 0, 0, 0],
      ['R-2', 4, 300, 3750, 150],
      ['R-3', 3, 37, 462.5, 13.88],
    ]);
    expect(p).toMatchObject({ orderValue: 12500, latePieces: 337, uncapped: 163.88, cap: 1250, penalty: 163.88, capped: false });
  });

  it('caps the order’s penalties at its share of the order value', () => {
    // 200 pieces at 3.35 = 670; 2 % per day; cap 10 % = 67. 200 pieces 30 days late: 670 × 0.6 = 402 → 67.
    const p = orderPenalty({ unitPrice: 3.35, quantity: 200, dueDate: '2027-01-31', ratePerDay: 0.02, capShare: 0.1 }, [
      { deliveryKey: 'X', quantity: 200, deliveredOn: '2027-03-02' },
    ]);
    expect(p).toMatchObject({ orderValue: 670, latePieces: 200, uncapped: 402, cap: 67, penalty: 67, capped: true });
  });

  it('charges nothing for an order without deliveries yet', () => {
    expect(orderPenalty({ unitPrice: 1, quantity: 10, dueDate: '2027-01-01', ratePerDay: 0.01, capShare: 0.1 }, [])).toMatchObject({
      orderValue: 10,
      penalty: 0,
      capped: false,
    });
  });
});
