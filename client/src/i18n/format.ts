import { formatYuan } from '@zdec/shared';

export const TIME_ZONE = 'Asia/Shanghai';

/** Integer fen as `¥1,234.56`; anything that is not a safe integer shows as a dash. */
export function formatMoney(fen: number | null | undefined): string {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) return '—';
  const s = formatYuan(fen);
  return s.startsWith('-') ? `-¥${s.slice(1)}` : `¥${s}`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(locale: string, withTime: boolean): Intl.DateTimeFormat {
  const key = `${locale}|${withTime}`;
  let f = dateFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      ...(withTime ? { hour: '2-digit', minute: '2-digit', hour12: false } : {}),
    });
    dateFormats.set(key, f);
  }
  return f;
}

function toDate(value: string | number | Date | null | undefined): Date | null {
  if (value === null || value === undefined || value === '') return null;
  const d = value instanceof Date ? value : new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

/** A calendar date in Asia/Shanghai. */
export function formatDate(value: string | number | Date | null | undefined, locale: string): string {
  const d = toDate(value);
  return d ? dateFormat(locale, false).format(d) : '—';
}

/** Date and time (minutes) in Asia/Shanghai. */
export function formatDateTime(value: string | number | Date | null | undefined, locale: string): string {
  const d = toDate(value);
  return d ? dateFormat(locale, true).format(d) : '—';
}

/** Today's date in Asia/Shanghai as yyyy-mm-dd (the value of an `<input type="date">`). */
export function todayInShanghai(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(new Date());
}

export function formatNumber(n: number | null | undefined, locale: string): string {
  if (typeof n !== 'number' || !Number.isFinite(n)) return '—';
  return n.toLocaleString(locale === 'en' ? 'en-US' : 'zh-CN');
}

export function formatPercent(fraction: number, locale: string): string {
  if (!Number.isFinite(fraction)) return '—';
  return new Intl.NumberFormat(locale === 'en' ? 'en-US' : 'zh-CN', {
    style: 'percent',
    minimumFractionDigits: 1,
    maximumFractionDigits: 2,
  }).format(fraction);
}

/**
 * Yuan typed by a person (`1,234.5`, `¥20`) to integer fen, without floating point;
 * null when it is not an amount with at most two decimals.
 */
export function parseYuan(input: string): number | null {
  const s = input.replace(/[,\s¥￥]/g, '');
  const m = /^(\d{1,13})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** Fen as the plain yuan text an input shows (`123456` → `1234.56`). */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (typeof fen !== 'number' || !Number.isSafeInteger(fen)) return '';
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}
