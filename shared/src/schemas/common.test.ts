import { DateEndInput, DateInput } from './common';

describe('calendar dates', () => {
  it('when a bare date is given, then it is that day in Asia/Shanghai (start, or end for an end date)', () => {
    expect(DateInput.parse('2026-11-21').toISOString()).toBe('2026-11-20T16:00:00.000Z');
    expect(DateEndInput.parse('2026-11-21').toISOString()).toBe('2026-11-21T15:59:59.999Z');
  });

  it('when a date-time with offset is given, then it is taken as it is', () => {
    expect(DateInput.parse('2026-11-21T08:00:00+08:00').toISOString()).toBe('2026-11-21T00:00:00.000Z');
    expect(DateEndInput.parse('2026-11-21T00:00:00Z').toISOString()).toBe('2026-11-21T00:00:00.000Z');
  });

  it('when the text is not a date, then it is refused', () => {
    expect(DateInput.safeParse('21/11/2026').success).toBe(false);
    expect(DateInput.safeParse('2026-11-21T08:00:00').success).toBe(false); // no offset: ambiguous
  });
});
