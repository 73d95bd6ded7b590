import { bundleDigest, canonicalJson, entryChainHash, type ProofBundle, type ReceiptBundle } from '@zdec/shared';
import { ReceiptModel } from '../../server/src/modules/receipts/receipt.model';
import type { TestApp } from '../helpers/app';
import { createDraft, uploadSample } from '../resources/fixtures';
import { CLEAN_CSV, grant, listingBody, listProduct, makeWorld, type World } from '../listings/world';
import { boughtByTransfer } from '../trade/fixtures';
import { makeActor } from '../helpers/factories';

export interface ReceiptWorld extends World {
  resourceId: string;
  listingId: string;
  listingCode: string;
  orderId: string;
}

/** One record of each receipt kind, each made through the API as users make them. */
export async function receiptWorld(t: TestApp): Promise<ReceiptWorld> {
  const w = await makeWorld(t.config);
  const resourceId = await createDraft(t, w.authority, { name: '郑州市公交实时到站数据' } as never);
  const up = await uploadSample(t, w.authority, resourceId, CLEAN_CSV, 'sample.csv', 'text/csv');
  if (up.status !== 200) throw new Error(`sample: ${up.status} ${JSON.stringify(up.body)}`);
  const reg = await t.http
    .post(`/api/v1/resources/${resourceId}/register`)
    .set('Authorization', w.authority.auth)
    .send({});
  if (reg.status !== 200) throw new Error(`register: ${reg.status} ${JSON.stringify(reg.body)}`);
  const auth = await grant(t, w.authority, w.provider, [{ _id: resourceId }]);
  const listed = await listProduct(t, w, w.provider, listingBody([{ _id: resourceId }], auth.id));
  const orderId = await boughtByTransfer(
    t,
    { provider: w.provider, buyer: w.buyer, exchange: await makeActor(t.config, 'exchange', { duty: 'clearing' }) },
    listed.id,
    2,
  );
  return { ...w, resourceId, listingId: listed.id, listingCode: listed.code, orderId };
}

type AnyBundle = ReceiptBundle | ProofBundle;
const clone = <T>(b: T): T => JSON.parse(JSON.stringify(b)) as T;

/**
 * The five tamperings the verifiers must catch, each applied to a genuine bundle (`other` is a
 * genuine bundle of another entry under the same head). Each keeps the bundle well-formed, so only
 * the cryptographic checks can tell.
 */
export function tamperings(b: AnyBundle, other: AnyBundle): Record<string, AnyBundle> {
  const changed = clone(b);
  changed.entry.amountFen = (changed.entry.amountFen ?? 0) + 100; // a changed amount
  if ('claims' in changed && changed.claims.amountFen !== undefined) changed.claims.amountFen = changed.entry.amountFen;

  // A removed entry: the next entry moved up into this one's place (renumbered, rehashed).
  const removed = clone(other);
  removed.entry.seq = b.entry.seq;
  removed.entry.hash = entryChainHash(removed.entry);
  removed.inclusion = clone(b.inclusion);
  removed.treeHead = clone(b.treeHead);

  // A reordered pair: this entry presented at the other's position, with the other's proof.
  const reordered = clone(b);
  reordered.inclusion = clone(other.inclusion);
  reordered.entry.seq = other.entry.seq;
  reordered.entry.hash = entryChainHash(reordered.entry);

  // A forged head: a different root (as a rewritten ledger would have), the old signature.
  const forged = clone(b);
  forged.treeHead.root = 'f'.repeat(64);

  // A proof replayed against another entry: the other's entry with this entry's proof.
  const replayed = clone(b);
  replayed.entry = clone(other.entry);
  return { changed, removed, reordered, forged, replayed };
}

/** Stores a bundle as a receipt under its own digest (a server that serves a forged receipt). Returns the digest. */
export async function plantReceipt(b: AnyBundle): Promise<string> {
  const digest = bundleDigest(b);
  await ReceiptModel.collection.insertOne({ _id: digest, bundle: canonicalJson(b), issuedAt: new Date() } as never);
  return digest;
}
