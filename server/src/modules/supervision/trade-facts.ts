import type { Grade } from '@zdec/shared';
import { GENESIS_HASH } from '../ledger/ledger.hash';
import { entriesInSeqOrder } from '../ledger/ledger.scan';
import { hintedHead, ledgerDatabase, type HeadRef } from '../ledger/ledger.service';

/** One trade entry of the ledger (trade.settled or trade.refunded), as the supervision views sum it. */
export interface TradeFact {
  seq: number;
  at: Date;
  month: string;
  type: 'trade.settled' | 'trade.refunded';
  orderId: string | null;
  listingId: string | null;
  listingCode: string | null;
  orgIds: string[];
  /** Negative for a refund (as in the ledger). */
  amountFen: number;
  grade: Grade | null;
}

interface Facts {
  db: string;
  head: HeadRef;
  trades: TradeFact[];
}

let cached: Facts | null = null;
let inFlight: Promise<Facts> | null = null;

/**
 * Reads entries `from..to` through the ledger module's scan and keeps the trade entries. Returns the
 * hash of the last entry read, so the next read can check that it chains on.
 */
async function readTrades(
  from: number,
  to: number,
  into: TradeFact[],
): Promise<{ lastHash: string | null; firstPrev: string | null }> {
  let lastHash: string | null = null;
  let firstPrev: string | null = null;
  for await (const batch of entriesInSeqOrder(from, to)) {
    for (const e of batch) {
      if (firstPrev === null) firstPrev = e.prevHash;
      lastHash = e.hash;
      if (e.type !== 'trade.settled' && e.type !== 'trade.refunded') continue;
      into.push({
        seq: e.seq,
        at: e.at,
        month: e.month,
        type: e.type,
        orderId: e.orderId ?? null,
        listingId: e.listingId ?? null,
        listingCode: e.listingCode ?? null,
        orgIds: Array.isArray(e.orgIds) ? e.orgIds : [],
        amountFen: e.amountFen,
        grade: (e.grade as Grade | undefined) ?? null,
      });
    }
  }
  return { lastHash, firstPrev };
}

async function load(): Promise<Facts> {
  const db = ledgerDatabase();
  // The hinted head (one small document) rather than headRef(), which looks up the entry after the
  // head by `_id`, a scan of the whole ledger on the embedded engine (bench/supervision: ~1 s of every report at
  // 20k entries). Every append moves the hint, so it lags only behind an appender that died mid-way.
  const head = await hintedHead();
  const c = cached;
  if (c && c.db === db && c.head.seq === head.seq && c.head.hash === head.hash) return c;
  if (c && c.db === db && head.seq > c.head.seq) {
    // The ledger is append-only: only the entries after the cached head are new, if they chain on.
    const fresh: TradeFact[] = [];
    const { firstPrev } = await readTrades(c.head.seq + 1, head.seq, fresh);
    if (firstPrev === (c.head.seq ? c.head.hash : GENESIS_HASH)) {
      return (cached = { db, head, trades: [...c.trades, ...fresh] });
    }
  }
  const trades: TradeFact[] = [];
  await readTrades(1, head.seq, trades);
  return (cached = { db, head, trades });
}

/**
 * Every trade entry of the ledger up to its current head, in seq order, with that head. Kept per
 * process and brought forward by reading only the entries appended since (the ledger is
 * append-only); a ledger that no longer chains onto the cached head is read again from seq 1.
 * Concurrent callers share one read.
 */
export async function tradeFacts(): Promise<{ head: HeadRef; trades: readonly TradeFact[] }> {
  if (!inFlight) inFlight = load().finally(() => (inFlight = null));
  return inFlight;
}
