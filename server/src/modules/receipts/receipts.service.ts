import {
  bundleDigest,
  canonicalJson,
  RECEIPT_KIND,
  type ProofBundle,
  type ReceiptBundle,
  type ReceiptClaims,
  type ReceiptKind,
} from '@zdec/shared';
import { forbidden, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { orgName as findOrgName } from '../accounts/accounts.service';
import { resourceById, resourceIdByRegistrationNumber } from '../resources/resources.service';
import type { SigningKey } from '../ledger/checkpoint.service';
import { proofBundle, seqOfEvent } from '../ledger/merkle.service';
import { listingById, listingIdByCode } from '../listings/listings.service';
import { orderById, orderIdByNumber } from '../trade/orders.service';
import { ReceiptModel } from './receipt.model';
import { isDuplicateKey } from '../../platform/db';

export interface IssuedReceipt {
  digest: string;
  /** What the QR code encodes: the public verify page with the bundle's digest. */
  verifyUrl: string;
  bundle: ReceiptBundle;
}

interface Subject {
  /** Organisations whose receipt this is: they (and the exchange and regulator) may download it. */
  owners: string[];
  event: { type: string; ref: string };
  claims: ReceiptClaims;
}

const orgName = async (id: unknown) => (await findOrgName(id)) ?? '';
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : '');

/**
 * What a receipt shows: only what its holder may show others. Names of the organisations involved,
 * the record's own public attributes, the trade's own amount; never a person, an e-mail, another
 * party's price or anything of an order but its number, product, quantity and amount.
 */
async function subjectOf(kind: ReceiptKind, id: string): Promise<Subject> {
  if (kind === 'registration') {
    const r = await resourceById(id);
    if (!r?.certificate || !r.registrationNumber) throw notFound('Registration certificate');
    return {
      owners: [String(r.ownerOrgId)],
      event: { type: 'resource.registered', ref: id },
      claims: {
        certificateNumber: r.certificate.number,
        resourceName: r.name,
        holderDepartment: r.holderDepartment,
        holder: await orgName(r.ownerOrgId),
        regionCode: r.regionCode,
        domain: r.domain,
        level: r.level ?? '',
        issuedAt: iso(r.certificate.issuedAt),
        certificateDigest: r.certificate.digest,
      },
    };
  }
  if (kind === 'listing') {
    const l = await listingById(id);
    if (!l?.code) throw notFound('Listing certificate');
    return {
      owners: [String(l.providerOrgId)],
      event: { type: 'listing.listed', ref: id },
      claims: {
        listingCode: l.code,
        title: l.title,
        provider: await orgName(l.providerOrgId),
        productType: l.productType,
        deliveryMode: l.deliveryMode,
        pricingModel: l.pricing.model,
        priceFen: l.pricing.priceFen,
      },
    };
  }
  const o = await orderById(id);
  if (!o || !['paid', 'delivered', 'refunded'].includes(o.status)) throw notFound('Trade receipt');
  return {
    owners: [String(o.buyerOrgId), String(o.providerOrgId)],
    event: { type: 'trade.settled', ref: id },
    claims: {
      orderNumber: o.number,
      listingCode: o.listingCode,
      title: o.snapshot.title,
      buyer: await orgName(o.buyerOrgId),
      seller: await orgName(o.providerOrgId),
      quantity: o.quantity,
      amountFen: o.amountFen,
    },
  };
}

function mayDownload(viewer: Principal, s: Subject): boolean {
  return viewer.role === 'regulator' || viewer.role === 'exchange' || s.owners.includes(viewer.orgId);
}

export function verifyUrl(base: string, digest: string): string {
  return `${base.replace(/\/+$/, '')}/verify?d=${digest}`;
}

async function storedBundle(digest: string): Promise<ReceiptBundle | null> {
  const doc = await ReceiptModel.collection.findOne<{ bundle?: string }>({ _id: digest } as never);
  return doc?.bundle ? (JSON.parse(doc.bundle) as ReceiptBundle) : null;
}

/**
 * The receipt of one record for a viewer allowed to hold it. Issued once per record: the first
 * issuance stores the bundle under its digest and the record's key names that digest, so the QR
 * code never changes; the bundle carries the entry in full, its inclusion proof and the signed head
 * it was proved against (a verifier extends that to today's head with a consistency proof).
 */
export async function issueReceipt(
  kind: ReceiptKind,
  id: string,
  viewer: Principal,
  key: SigningKey,
  base: string,
): Promise<IssuedReceipt> {
  const subject = await subjectOf(kind, id);
  if (!mayDownload(viewer, subject)) throw forbidden('Only the holder of this record may download its receipt');
  const recordKey = `${kind}:${id}`;
  const known = await ReceiptModel.collection.findOne<{ digest: string }>({ _id: recordKey } as never);
  const knownBundle = known && (await storedBundle(known.digest));
  if (known && knownBundle)
    return { digest: known.digest, verifyUrl: verifyUrl(base, known.digest), bundle: knownBundle };

  const seq = await seqOfEvent(subject.event.type, subject.event.ref);
  if (!seq) throw notFound('The ledger entry of this record (it is being recorded: try again shortly)');
  const proof = await proofBundle(seq, key, { full: true });
  const { entry } = proof;
  const bundle: ReceiptBundle = {
    kind: RECEIPT_KIND,
    receipt: kind,
    claims: {
      ...subject.claims,
      ...(entry.grade ? { grade: entry.grade } : {}),
      seq: entry.seq,
      ledgerType: entry.type,
      recordedAt: entry.at,
      entryHash: entry.hash,
    },
    entry,
    inclusion: proof.inclusion,
    treeHead: proof.treeHead,
  };
  const digest = bundleDigest(bundle);
  const issuedAt = new Date();
  await ReceiptModel.collection
    .insertOne({ _id: digest, bundle: canonicalJson(bundle), issuedAt } as never)
    .catch((err) => {
      if (!isDuplicateKey(err)) throw err;
    });
  try {
    await ReceiptModel.collection.insertOne({ _id: recordKey, digest, issuedAt } as never);
    return { digest, verifyUrl: verifyUrl(base, digest), bundle };
  } catch (err) {
    if (!isDuplicateKey(err)) throw err;
    return issueReceipt(kind, id, viewer, key, base); // another request issued it first: show that one
  }
}

/** A receipt by the digest its QR code carries (public: whoever holds the QR code may check it). */
export async function receiptByDigest(digest: string): Promise<ReceiptBundle> {
  const b = await storedBundle(digest);
  if (!b) throw notFound('Receipt with this digest');
  return b;
}

/**
 * The proof behind a certificate number, listing code or order number typed on the verify page,
 * as the viewer may see it (a trade's amount and parties are withheld from everyone but its parties).
 */
export async function proofByNumber(
  number: string,
  key: SigningKey,
  viewer?: Principal,
): Promise<{ number: string; receipt: ReceiptKind; proof: ProofBundle }> {
  let kind: ReceiptKind;
  let event: { type: string; ref: string } | null = null;
  if (number.startsWith('DR-')) {
    kind = 'registration';
    const ref = await resourceIdByRegistrationNumber(number);
    if (ref) event = { type: 'resource.registered', ref };
  } else if (number.startsWith('ZDEC-')) {
    kind = 'listing';
    const ref = await listingIdByCode(number);
    if (ref) event = { type: 'listing.listed', ref };
  } else {
    kind = 'trade';
    const ref = await orderIdByNumber(number);
    if (ref) event = { type: 'trade.settled', ref };
  }
  const seq = event && (await seqOfEvent(event.type, event.ref));
  if (!seq) throw notFound(`A ledger entry for ${number}`);
  return { number, receipt: kind, proof: await proofBundle(seq, key, { viewer }) };
}
