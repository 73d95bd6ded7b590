/**
 * Working days in mainland China (Asia/Shanghai), for the public notice period of a registration
 * (公示期, 公共数据资源登记管理暂行办法). A working day is Monday to Friday, minus the statutory
 * holidays the State Council's General Office announces each year, plus the weekend days it declares
 * working days in exchange (调休上班). The tables below hold the announced years; a year not in them
 * counts weekends only (add its line when the State Council publishes it, usually in November).
 */

/** Statutory holidays that fall on weekdays, and weekend days declared working days, per year. */
const CALENDAR: Record<number, { off: string[]; on: string[] }> = {
  // 国务院办公厅关于2025年部分节假日安排的通知
  2025: {
    off: [
      '2025-01-01',
      '2025-01-28',
      '2025-01-29',
      '2025-01-30',
      '2025-01-31',
      '2025-02-03',
      '2025-02-04',
      '2025-04-04',
      '2025-05-01',
      '2025-05-02',
      '2025-05-05',
      '2025-06-02',
      '2025-10-01',
      '2025-10-02',
      '2025-10-03',
      '2025-10-06',
      '2025-10-07',
      '2025-10-08',
    ],
    on: ['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11'],
  },
  // 国务院办公厅关于2026年部分节假日安排的通知
  2026: {
    off: [
      '2026-01-01',
      '2026-01-02',
      '2026-02-16',
      '2026-02-17',
      '2026-02-18',
      '2026-02-19',
      '2026-02-20',
      '2026-02-23',
      '2026-04-06',
      '2026-05-01',
      '2026-05-04',
      '2026-05-05',
      '2026-06-19',
      '2026-09-25',
      '2026-10-01',
      '2026-10-02',
      '2026-10-05',
      '2026-10-06',
      '2026-10-07',
    ],
    on: ['2026-01-04', '2026-02-14', '2026-02-28', '2026-05-09', '2026-09-20', '2026-10-10'],
  },
};

const OFF = new Set(Object.values(CALENDAR).flatMap((y) => y.off));
const ON = new Set(Object.values(CALENDAR).flatMap((y) => y.on));

const DAY_MS = 86_400_000;
const SHANGHAI_MS = 8 * 3_600_000;

/** The Shanghai calendar date (YYYY-MM-DD) of an instant. */
export function shanghaiDate(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** The first instant of a Shanghai calendar date. */
export function shanghaiDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - SHANGHAI_MS);
}

const addDays = (date: string, n: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

/**
 * Whole Asia/Shanghai calendar days from the day of `from` to the day of `to`: 0 on the same day,
 * 1 when `to` falls tomorrow, negative when `to` is on an earlier day (an authorization's days left).
 */
export function shanghaiDaysBetween(from: Date, to: Date): number {
  return Math.round((Date.parse(shanghaiDate(to)) - Date.parse(shanghaiDate(from))) / DAY_MS);
}

/** The first instant of the Shanghai calendar day `days` days after the day of `at`. */
export function shanghaiDayStartAfter(at: Date, days: number): Date {
  return shanghaiDayStart(addDays(shanghaiDate(at), days));
}

/** Whether a Shanghai calendar date is a working day (weekday, not a statutory holiday, or a declared working weekend day). */
export function isWorkingDay(date: string): boolean {
  if (ON.has(date)) return true;
  if (OFF.has(date)) return false;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/** Whether the calendar knows the statutory holidays of the year of `date` (else weekends only). */
export function holidaysKnown(date: string): boolean {
  return Number(date.slice(0, 4)) in CALENDAR;
}

/**
 * The end of a notice period of `workingDays` working days that starts the working day after `from`
 * (the day of publication does not count, as with 公示 periods generally): the first instant after
 * the last of those days, in Asia/Shanghai. 0 days ends at `from` itself.
 */
export function noticeEnd(from: Date, workingDays: number): Date {
  if (workingDays <= 0) return new Date(from);
  let day = shanghaiDate(from);
  for (let counted = 0; counted < workingDays;) {
    day = addDays(day, 1);
    if (isWorkingDay(day)) counted++;
  }
  return shanghaiDayStart(addDays(day, 1));
}
