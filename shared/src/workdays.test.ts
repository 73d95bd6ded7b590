import { isWorkingDay, noticeEnd, shanghaiDate, shanghaiDayStartAfter, shanghaiDaysBetween } from './workdays';

const at = (s: string) => new Date(s);

describe('working days in Asia/Shanghai', () => {
  it('when a date is a weekend, a statutory holiday or a declared working weekend day, then it counts accordingly', () => {
    expect(isWorkingDay('2026-12-03')).toBe(true); // Thursday
    expect(isWorkingDay('2026-12-05')).toBe(false); // Saturday
    expect(isWorkingDay('2026-10-05')).toBe(false); // National Day holiday, a Monday
    expect(isWorkingDay('2026-10-10')).toBe(true); // Saturday declared a working day
    expect(isWorkingDay('2025-01-26')).toBe(true); // Sunday before the Spring Festival, a working day
    expect(isWorkingDay('2025-01-29')).toBe(false); // Spring Festival
  });

  it('when a notice is published, then it runs from the next working day for N working days and ends at midnight Shanghai', () => {
    // Thursday 3 Dec 2026: Fri 4, 7–11, 14–17 → the 10th working day is Thu 17 Dec.
    expect(noticeEnd(at('2026-12-03T10:00:00+08:00'), 10).toISOString()).toBe('2026-12-17T16:00:00.000Z');
    // Across National Day 2026: Sep 29, 30, Oct 8, 9, Sat 10, 12–16.
    expect(noticeEnd(at('2026-09-28T09:00:00+08:00'), 10).toISOString()).toBe('2026-10-16T16:00:00.000Z');
    // Across the 2025 Spring Festival, with its two working weekend days.
    expect(noticeEnd(at('2025-01-24T15:00:00+08:00'), 10).toISOString()).toBe('2025-02-13T16:00:00.000Z');
    // Late evening UTC is already the next day in Shanghai.
    expect(shanghaiDate(at('2026-12-03T17:30:00Z'))).toBe('2026-12-04');
    expect(noticeEnd(at('2026-12-03T10:00:00Z'), 0).toISOString()).toBe('2026-12-03T10:00:00.000Z');
  });

  it('when days left are counted, then they are Shanghai calendar days, whatever the hour', () => {
    // 23:30 in Shanghai to the end of the next Shanghai day: 1 day, though under 25 hours.
    expect(shanghaiDaysBetween(at('2026-12-03T23:30:00+08:00'), at('2026-12-04T23:59:59.999+08:00'))).toBe(1);
    // 00:10 Shanghai is still the previous UTC day: the same Shanghai day counts 0.
    expect(shanghaiDaysBetween(at('2026-12-03T00:10:00+08:00'), at('2026-12-03T23:59:59.999+08:00'))).toBe(0);
    expect(shanghaiDaysBetween(at('2026-12-31T12:00:00+08:00'), at('2027-01-30T23:59:59.999+08:00'))).toBe(30);
    expect(shanghaiDaysBetween(at('2026-12-05T12:00:00+08:00'), at('2026-12-03T12:00:00+08:00'))).toBe(-2);
    expect(shanghaiDayStartAfter(at('2026-12-03T23:30:00+08:00'), 8).toISOString()).toBe('2026-12-10T16:00:00.000Z');
  });
});
