import type { LedgerType, TargetsResponse } from '@zdec/shared';
import type { Config } from '../../config';
import { now as clockNow } from '../../platform/clock';
import { shanghaiMonth } from '../ledger/ledger.hash';
import { entryBySeq, hintedHead, ledgerDatabase, monthTypeTotals, type HeadRef } from '../ledger/ledger.service';

/** Per month (YYYY-MM, Asia/Shanghai): listings listed, settled and refunded fen. */
interface MonthSums {
  listed: number;
  settledFen: number;
  refundedFen: number;
}

interface Sums {
  db: string;
  head: HeadRef;
  months: Map<string, MonthSums>;
}

/** How many new entries are read one by one before a full re-aggregation is cheaper. */
const INCREMENTAL_LIMIT = 16;
const WINDOW_MONTHS = 6;

let cached: Sums | null = null;

function add(months: Map<string, MonthSums>, month: string, type: LedgerType, count: number, fen: number): void {
  const m = months.get(month) ?? { listed: 0, settledFen: 0, refundedFen: 0 };
  if (type === 'listing.listed') m.listed += count;
  else if (type === 'trade.settled') m.settledFen += fen;
  else if (type === 'trade.refunded') m.refundedFen += fen;
  months.set(month, m);
}

/** Sums of the ledger prefix 1..head, grouped by month and type in the database. */
async function aggregate(db: string, head: HeadRef): Promise<Sums> {
  const { counts, amounts } = await monthTypeTotals(head.seq);
  const months = new Map<string, MonthSums>();
  for (const r of counts) add(months, r._id.month, r._id.type, r.v, 0);
  for (const r of amounts) add(months, r._id.month, r._id.type, 0, r.v);
  return { db, head, months };
}

/**
 * The sums as of the current head. The ledger is append-only and every seq up to the head exists,
 * so the sums of a prefix never change: they are kept per process and brought forward by reading
 * just the new entries (when few, and when the first of them chains onto the cached head).
 */
async function currentSums(): Promise<Sums> {
  const db = ledgerDatabase();
  const head = await hintedHead();
  const c = cached;
  if (c && c.db === db && c.head.seq === head.seq && c.head.hash === head.hash) return c;
  if (c && c.db === db && head.seq > c.head.seq && head.seq - c.head.seq <= INCREMENTAL_LIMIT) {
    const seqs = Array.from({ length: head.seq - c.head.seq }, (_, i) => c.head.seq + 1 + i);
    const fresh = await Promise.all(seqs.map((s) => entryBySeq(s)));
    const chained = fresh.every(
      (e, i) => e && e.seq === seqs[i] && e.prevHash === (i ? fresh[i - 1]!.hash : c.head.hash),
    );
    if (chained) {
      const months = new Map([...c.months].map(([k, v]) => [k, { ...v }]));
      for (const e of fresh) add(months, e!.month, e!.type, 1, e!.amountFen);
      return (cached = { db, head, months });
    }
  }
  return (cached = await aggregate(db, head));
}

const monthIndex = (m: string) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
const monthAt = (i: number) => `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
const ratio = (value: number, target: number) => Math.round((value / target) * 10_000) / 10_000;

/**
 * Progress toward the province's targets, derived from the ledger only: cumulative listings =
 * `listing.listed` entries ever; volume = settled minus refunded fen (refunds count by their
 * magnitude, whatever their sign). `monthly` runs from the first ledger month to the current month
 * (Asia/Shanghai), empty months included. The projection takes the average month of the window (the
 * last six months up to and including the current one, fewer for a younger ledger) and adds it
 * once for every month after the current one up to the deadline's month.
 */
export async function targets(
  config: Pick<Config, 'TARGET_LISTINGS' | 'TARGET_VOLUME_FEN' | 'TARGET_DEADLINE'>,
  now = clockNow(),
): Promise<TargetsResponse> {
  const { months } = await currentSums();
  const current = monthIndex(shanghaiMonth(now));
  const known = [...months.keys()].map(monthIndex);
  const first = Math.min(current, ...known);
  const last = Math.max(current, ...known);

  const monthly: TargetsResponse['monthly'] = [];
  for (let i = first; i <= last; i++) {
    const m = months.get(monthAt(i));
    monthly.push({
      month: monthAt(i),
      listed: m?.listed ?? 0,
      volumeFen: m ? m.settledFen - Math.abs(m.refundedFen) : 0,
    });
  }
  const cumulative = monthly.reduce((s, m) => s + m.listed, 0);
  const cumulativeFen = monthly.reduce((s, m) => s + m.volumeFen, 0);

  const windowFrom = Math.max(first, current - WINDOW_MONTHS + 1);
  const recent = monthly.slice(windowFrom - first, current - first + 1);
  const perMonth = (pick: (m: (typeof monthly)[number]) => number) =>
    recent.reduce((s, m) => s + pick(m), 0) / recent.length;
  const monthsLeft = Math.max(0, monthIndex(config.TARGET_DEADLINE.slice(0, 7)) - current);
  const listingsAtDeadline = Math.round(cumulative + perMonth((m) => m.listed) * monthsLeft);
  const volumeFenAtDeadline = Math.round(cumulativeFen + perMonth((m) => m.volumeFen) * monthsLeft);

  return {
    asOf: now.toISOString(),
    listings: { cumulative, target: config.TARGET_LISTINGS, progress: ratio(cumulative, config.TARGET_LISTINGS) },
    volume: {
      cumulativeFen,
      targetFen: config.TARGET_VOLUME_FEN,
      progress: ratio(cumulativeFen, config.TARGET_VOLUME_FEN),
    },
    deadline: config.TARGET_DEADLINE,
    monthly,
    projection: {
      window: { from: monthAt(windowFrom), to: monthAt(current), months: recent.length },
      listingsAtDeadline,
      volumeFenAtDeadline,
      onTrack: {
        listings: listingsAtDeadline >= config.TARGET_LISTINGS,
        volume: volumeFenAtDeadline >= config.TARGET_VOLUME_FEN,
      },
    },
  };
}
