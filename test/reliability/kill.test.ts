import crypto from 'node:crypto';
import supertest from 'supertest';
import { EntitlementModel } from '../../server/src/modules/delivery/entitlement.model';
import { entryHash, GENESIS_HASH } from '../../server/src/modules/ledger/ledger.hash';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { OrderModel } from '../../server/src/modules/trade/order.model';
import { OrderTransitionModel } from '../../server/src/modules/trade/order-transition.model';
import { useTestApp } from '../helpers/app';
import { seededInt } from '../helpers/property';
import { killAll, startServer, type ServerProcess } from './server-process';
import { licence, makeCast, productOf, type Cast } from './world';

/*
 * The server killed mid-settlement (SIGKILL of a real process, then a restart) loses and
 * duplicates nothing. The kills land at exact steps through ZDEC_FAULT_HANG (platform/faults.ts):
 * the settling request stops there, says so on stderr, and is killed; then once at a random moment
 * of a burst of concurrent confirmations. After every restart the start-up sweep must leave each
 * paid order delivered with exactly one trade.settled entry and one entitlement, and the ledger
 * contiguous, without duplicates, and verifying.
 */

const t = useTestApp();
let cast: Cast;
let listingId: string;
let priceFen: number;
let server: ServerProcess | undefined;
const confirmed: string[] = [];

afterAll(killAll);

beforeAll(async () => {
  cast = await makeCast(t.config);
  const lic = await licence(cast.authority, cast.provider);
  priceFen = 8_800;
  listingId = String((await productOf(cast.provider, lic, { priceFen }))._id);
}, 60_000);

const http = () => supertest(server!.url);

async function createOrders(n: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await http()
      .post('/api/v1/orders')
      .set('Authorization', cast.buyer.auth)
      .set('Idempotency-Key', `kill-${crypto.randomUUID()}`)
      .send({ listingId, quantity: 1, paymentMethod: 'bank_transfer' });
    expect(res.status).toBe(201);
    ids.push(res.body.order.id as string);
  }
  return ids;
}

/** Fires confirmations without waiting for the answers (they may never come). */
function confirmAll(ids: string[]): Promise<unknown[]> {
  return Promise.all(
    ids.map((id) =>
      http()
        .post(`/api/v1/orders/${id}/confirm-transfer`)
        .set('Authorization', cast.clearing.auth)
        .send({ bankReference: `BANK-${id}`, amountFen: priceFen })
        .then(
          (res) => res.status,
          (err: Error) => err.message,
        ),
    ),
  );
}

/** Waits until no settlement has a pending ledger event (the start-up sweep is done). */
async function sweepDone(timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while ((await OrderTransitionModel.countDocuments({ 'outbox.0': { $exists: true } })) > 0) {
    if (Date.now() > deadline) {
      const out = server?.output() ?? '';
      throw new Error(
        `the start-up sweep did not finish (server ${server?.alive() ? 'running' : 'gone'}):\n${out.slice(0, 3000)}\n…\n${out.slice(-3000)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Every order settled exactly once; the ledger contiguous, without duplicates, verifying over HTTP. */
async function assertExactlyOnce(paid: string[], unpaid: string[] = []): Promise<void> {
  const orders = await OrderModel.find({ _id: { $in: [...paid, ...unpaid] } }).lean();
  const status = Object.fromEntries(orders.map((o) => [String(o._id), o.status]));
  expect(paid.map((id) => [id, status[id]])).toEqual(paid.map((id) => [id, 'delivered']));
  expect(unpaid.map((id) => [id, status[id]])).toEqual(unpaid.map((id) => [id, 'pending_payment']));

  const settled = await LedgerEntryModel.find({ type: 'trade.settled', ref: { $in: [...paid, ...unpaid] } }).lean();
  const perOrder = new Map<string, number>();
  for (const e of settled) perOrder.set(e.ref, (perOrder.get(e.ref) ?? 0) + 1);
  expect(paid.map((id) => [id, perOrder.get(id) ?? 0])).toEqual(paid.map((id) => [id, 1]));
  expect(unpaid.filter((id) => perOrder.has(id))).toEqual([]);
  expect(settled.every((e) => e.amountFen === priceFen)).toBe(true);

  const entitlements = await EntitlementModel.find({ orderId: { $in: [...paid, ...unpaid] } }).lean();
  expect(entitlements.map((e) => String(e.orderId)).sort()).toEqual([...paid].sort());

  const ledger = await LedgerEntryModel.find().sort({ seq: 1 }).lean();
  expect(ledger.map((e) => e.seq)).toEqual(ledger.map((_, i) => i + 1));
  ledger.forEach((e, i) => {
    expect(e.prevHash).toBe(i === 0 ? GENESIS_HASH : ledger[i - 1]!.hash);
    expect(e.hash).toBe(entryHash(e));
  });
  expect(new Set(ledger.map((e) => `${e.type} ${e.ref}`)).size).toBe(ledger.length);

  const verify = await http().get('/api/v1/ledger/verify').set('Authorization', cast.regulator.auth);
  expect(verify.status).toBe(200);
  expect(verify.body).toMatchObject({ ok: true, checked: ledger.length, headSeq: ledger.length });
}

describe('the server killed mid-settlement', () => {
  it('when it is killed after orders were paid but before their ledger entries, then the restart appends each exactly once and delivers', async () => {
    server = await startServer(t.dbName, { ZDEC_FAULT_HANG: 'outbox.beforeAppend' });
    const ids = await createOrders(5);
    const answers = confirmAll(ids);
    await server.hangs('outbox.beforeAppend', 5);
    // The kill lands exactly there: paid, nothing in the ledger, nothing delivered.
    expect(await OrderModel.countDocuments({ _id: { $in: ids }, status: 'paid' })).toBe(5);
    expect(await OrderTransitionModel.countDocuments({ orderId: { $in: ids }, 'outbox.0': { $exists: true } })).toBe(5);
    expect(await LedgerEntryModel.countDocuments({ ref: { $in: ids } })).toBe(0);
    await server.kill();
    expect((await answers).every((a) => typeof a === 'string')).toBe(true); // no request was answered

    server = await startServer(t.dbName);
    await sweepDone();
    await assertExactlyOnce(ids);
    confirmed.push(...ids);

    // Confirming again changes nothing.
    const again = await http()
      .post(`/api/v1/orders/${ids[0]}/confirm-transfer`)
      .set('Authorization', cast.clearing.auth)
      .send({ bankReference: 'AGAIN-0001', amountFen: priceFen });
    expect(again.status).toBe(409);
    await server.stop();
  }, 120_000);

  it('when it is killed after the ledger entries but before delivery, also inside the start-up sweep, then the restart completes each exactly once', async () => {
    // Leave one settlement with its ledger event pending, as a crash would.
    server = await startServer(t.dbName, { ZDEC_FAULT_HANG: 'outbox.beforeAppend' });
    const leftover = await createOrders(1);
    void confirmAll(leftover);
    await server.hangs('outbox.beforeAppend', 1);
    await server.kill();

    // The next process hangs after appending: once in its start-up sweep (the leftover), and in
    // each new confirmation.
    server = await startServer(t.dbName, { ZDEC_FAULT_HANG: 'outbox.afterAppend' });
    const ids = await createOrders(5);
    void confirmAll(ids);
    await server.hangs('outbox.afterAppend', 6);
    const all = [...leftover, ...ids];
    expect(await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: { $in: all } })).toBe(6);
    expect(await EntitlementModel.countDocuments({ orderId: { $in: all } })).toBe(0);
    expect(await OrderModel.countDocuments({ _id: { $in: all }, status: 'paid' })).toBe(6);
    await server.kill();

    server = await startServer(t.dbName);
    await sweepDone();
    await assertExactlyOnce([...confirmed, ...all]);
    confirmed.push(...all);
    await server.stop();
  }, 120_000);

  it('when it is killed at a random moment of a burst of 20 concurrent confirmations, then whatever got paid is settled exactly once and the rest can still be paid', async () => {
    server = await startServer(t.dbName);
    const ids = await createOrders(20);
    const answers = confirmAll(ids);
    // Progress of the burst: settlements decided plus ledger entries appended (0 to 40). The kill
    // lands when it reaches a random point, anywhere from "just sent" to "nearly done".
    const progress = async () =>
      (await OrderTransitionModel.countDocuments({ orderId: { $in: ids } })) +
      (await LedgerEntryModel.countDocuments({ type: 'trade.settled', ref: { $in: ids } }));
    // A fixed point per `npm test` (printed), a fresh one under `npm run fuzz` (test/helpers/property.ts).
    const killAt = seededInt('kill point of a burst of 20 concurrent confirmations', 0, 39);
    const deadline = Date.now() + 30_000;
    while ((await progress()) < killAt && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    const progressAtKill = await progress();
    await server.kill();
    const statuses = await answers;

    server = await startServer(t.dbName);
    await sweepDone();
    const decided = await OrderTransitionModel.find({ orderId: { $in: ids }, kind: 'settled' }, { orderId: 1 }).lean();
    const paid = decided.map((d) => String(d.orderId));
    const unpaid = ids.filter((id) => !paid.includes(id));
    const context = `killed at progress ${progressAtKill} (aimed at ${killAt} of 40); ${paid.length} paid; answers ${JSON.stringify(statuses)}`;
    if (process.env.KILL_REPORT) console.log(context);
    // Every confirmation that was answered 200 is among the paid ones.
    const answered = ids.filter((_, i) => statuses[i] === 200);
    expect({ context, lost: answered.filter((id) => !paid.includes(id)) }).toEqual({ context, lost: [] });
    await assertExactlyOnce([...confirmed, ...paid], unpaid).catch((err: Error) => {
      err.message = `${context}\n${err.message}`;
      throw err;
    });

    // The orders the kill interrupted before they were decided can still be paid, once.
    expect(await confirmAll(unpaid)).toEqual(unpaid.map(() => 200));
    await assertExactlyOnce([...confirmed, ...ids]);
    await server.stop();
  }, 180_000);
});
