import { isCalendarDate } from './calendar-date';

describe('isCalendarDate', () => {
  it('accepts real dates only', () => {
    expect(['2026-10-01', '2028-02-29', '2027-12-31'].every(isCalendarDate)).toBe(true);
    expect(['2027-02-29', '2026-02-31', '2026-13-01', '2026-1-01', '01/10/2026', '', 20261001].some(isCalendarDate)).toBe(false);
  });
});
