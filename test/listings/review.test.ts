import { Types } from 'mongoose';
import { armFault, disarmFaults } from '../../server/src/platform/faults';
import { AuthorizationModel } from '../../server/src/modules/authorizations/authorization.model';
import { ResourceModel } from '../../server/src/modules/resources/resource.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ListingDecisionModel, ListingModel } from '../../server/src/modules/listings/listing.model';
import { isListingPurchasable } from '../../server/src/modules/listings/listing.policy';
import { useTestApp } from '../helpers/app';
import type { Actor } from '../helpers/factories';
import {
  approve,
  CLEAN_CSV,
  createListing,
  grant,
  ID_CSV,
  listingBody,
  listProduct,
  makeResource,
  makeWorld,
  submit,
  upload,
  type World,
} from './world';

const t = useTestApp();
let w: World;

beforeAll(async () => {
  w = await makeWorld(t.config);
});

/** A pending listing over one public resource, through an authorization; every rule passes by default. */
async function pendingListing(
  opts: {
    resource?: Parameters<typeof makeResource>[1];
    grant?: Record<string, unknown>;
    listing?: Record<string, unknown>;
    sample?: Buffer | null;
    data?: Buffer | null;
    provider?: Actor;
  } = {},
) {
  const provider = opts.provider ?? w.provider;
  const resource = await makeResource(w.authority, opts.resource);
  const auth = await grant(t, w.authority, provider, [resource], opts.grant);
  const l = await createListing(t, provider, listingBody([resource], auth.id, opts.listing));
  if (opts.sample !== null) await upload(t, provider, l.id, 'sample', opts.sample ?? CLEAN_CSV);
  if (opts.data !== null) await upload(t, provider, l.id, 'data', opts.data ?? CLEAN_CSV, 'data.csv');
  const preview = await submit(t, provider, l.id);
  return { resource, auth, listing: l, preview };
}

/** Approving must fail with exactly these rules, and change nothing. */
async function expectApprovalRefused(listingId: string, rules: string[]) {
  const ledgerBefore = await LedgerEntryModel.countDocuments();
  const res = await approve(t, w.exchange, listingId);
  expect(res.status).toBe(422);
  expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
  expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(rules.map((r) => `rules.${r}`).sort());
  for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
  const stored = await ListingModel.findById(listingId).lean();
  expect(stored!.status).toBe('pending_review');
  expect(stored!.code).toBeUndefined();
  expect(stored!.reviews).toHaveLength(0);
  expect(await LedgerEntryModel.countDocuments()).toBe(ledgerBefore);
  return res;
}

describe('the happy path', () => {
  it('when a registered resource is authorized, productized, submitted and approved, then the product is listed with a code and one listing.listed entry', async () => {
    const resource = await makeResource(w.authority, { name: '郑州市公交刷卡汇总' });
    const auth = await grant(t, w.authority, w.provider, [resource]);
    const created = await createListing(t, w.provider, listingBody([resource], auth.id));
    expect(created).toMatchObject({ status: 'draft', grade: 'general', code: null });

    const withSample = await upload(t, w.provider, created.id, 'sample', CLEAN_CSV);
    expect(withSample.sample).toMatchObject({ format: 'csv', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    await upload(t, w.provider, created.id, 'data', CLEAN_CSV, 'data.csv');

    const preview = await submit(t, w.provider, created.id);
    expect(preview.listing.status).toBe('pending_review');
    expect(preview.checklist.map((r) => r.rule)).toEqual([
      'sources-registered',
      'authorization-active',
      'authorization-covers',
      'no-core-source',
      'important-only-sandbox',
      'personal-data-deidentified',
      'sample-clean',
      'price-within-cap',
      'deliverable-present',
    ]);
    expect(preview.checklist.every((r) => r.ok)).toBe(true);

    const res = await approve(t, w.exchange, created.id);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('listed');
    expect(res.body.code).toMatch(/^ZDEC-\d{4}-\d{6}$/);
    expect(res.body.reviews).toHaveLength(1);
    expect(res.body.reviews[0]).toMatchObject({ decision: 'approve', by: w.exchange.user.id });
    expect(res.body.reviews[0].checklist).toHaveLength(9);

    const stored = await ListingModel.findById(created.id).lean();
    expect(stored).toMatchObject({ status: 'listed', code: res.body.code });
    expect(stored!.listedAt).toBeInstanceOf(Date);
    expect((stored as unknown as { outbox: unknown[] }).outbox).toHaveLength(0);
    const entries = await LedgerEntryModel.find({ type: 'listing.listed', ref: created.id }).lean();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ listingCode: res.body.code, authorizationId: auth.id, grade: 'general' });
    expect(entries[0]!.orgIds).toEqual(expect.arrayContaining([w.provider.org.id, w.authority.org.id]));

    const pub = await t.http.get(`/api/v1/listings/${created.id}`);
    expect(pub.status).toBe(200);
    expect(pub.body).toMatchObject({ code: res.body.code, status: 'listed', purchasable: true });
    expect(pub.body.authorization).toMatchObject({ id: auth.id, effectiveStatus: 'active' });
    expect(pub.body.sources[0]).toMatchObject({ id: resource.id, name: '郑州市公交刷卡汇总' });
    for (const hidden of ['reviews', 'dataFile', 'dataScan', 'sampleScan', 'createdBy', 'searchTerms', 'outbox']) {
      expect(pub.body).not.toHaveProperty(hidden);
    }
    const sample = await t.http.get(`/api/v1/listings/${created.id}/sample`);
    expect(sample.status).toBe(200);
    expect(sample.headers['content-type']).toMatch(/text\/csv/);
    expect(sample.text).toBe(CLEAN_CSV.toString('utf8'));
    expect(isListingPurchasable(stored!, await AuthorizationModel.findById(auth.id).lean(), new Date())).toBe(true);
  });

  it("when the provider's own enterprise resources are the only sources, then no authorization is needed", async () => {
    const own = await makeResource(w.provider, { kind: 'enterprise', name: '企业自有物流轨迹汇总' });
    const listed = await listProduct(t, w, w.provider, listingBody([own], undefined, { deliveryMode: 'sandbox' }));
    expect(listed.status).toBe('listed');
    const stored = await ListingModel.findById(listed.id).lean();
    expect(stored!.authorizationId).toBeUndefined();
    expect(isListingPurchasable(stored!, null, new Date())).toBe(true);
  });

  it('when the sources have several grades, then the listing takes the highest grade and level and every domain', async () => {
    const a = await makeResource(w.authority, { grade: 'general', level: 'L1', domain: 'transport' });
    const b = await makeResource(w.authority, { grade: 'important', level: undefined, domain: 'meteorology' });
    const c = await makeResource(w.authority, { grade: 'general', level: 'L3', domain: 'transport' });
    const auth = await grant(t, w.authority, w.provider, [a, b, c]);
    const l = await createListing(t, w.provider, listingBody([a, b, c], auth.id, { deliveryMode: 'sandbox' }));
    const stored = await ListingModel.findById(l.id).lean();
    expect(stored).toMatchObject({ grade: 'important', level: 'L3' });
    expect([...stored!.domains].sort()).toEqual(['meteorology', 'transport']);
  });
});

describe('every compliance rule blocks approval', () => {
  it('when a source was retired after submission, then approval fails with sources-registered', async () => {
    const { resource, listing } = await pendingListing();
    await ResourceModel.updateOne({ _id: resource._id }, { $set: { status: 'retired' } });
    await expectApprovalRefused(listing.id, ['sources-registered']);
  });

  it('when the authorization was suspended after submission, then approval fails with authorization-active', async () => {
    const { auth, listing } = await pendingListing();
    const s = await t.http
      .post(`/api/v1/authorizations/${auth.id}/suspend`)
      .set('Authorization', w.authority.auth)
      .send({ reason: '整改期间暂停' });
    expect(s.status).toBe(200);
    await expectApprovalRefused(listing.id, ['authorization-active']);
  });

  it('when the authorization has expired, then approval fails with authorization-active', async () => {
    const { auth, listing } = await pendingListing();
    await AuthorizationModel.updateOne({ _id: auth.id }, { $set: { validTo: new Date(Date.now() - 1000) } });
    await expectApprovalRefused(listing.id, ['authorization-active']);
  });

  it('when the record names a delivery mode the authorization does not allow (bypassing the create-time check, e.g. imported), then approval fails with authorization-covers', async () => {
    const { listing } = await pendingListing({ grant: { allowedDeliveryModes: ['download'] } });
    await ListingModel.updateOne({ _id: listing.id }, { $set: { deliveryMode: 'api' } });
    await expectApprovalRefused(listing.id, ['authorization-covers']);
  });

  it('when a public source is not among the authorized resources (record bypassing the create-time check), then approval fails with authorization-covers', async () => {
    const { listing } = await pendingListing();
    const stray = await makeResource(w.authority);
    await ListingModel.updateOne({ _id: listing.id }, { $push: { sourceResourceIds: stray._id } });
    await expectApprovalRefused(listing.id, ['authorization-covers']);
  });

  it('when a source is core data, then approval fails with no-core-source', async () => {
    const core = await makeResource(w.provider, { kind: 'enterprise', grade: 'core', level: undefined });
    const l = await createListing(t, w.provider, listingBody([core], undefined, { deliveryMode: 'sandbox' }));
    await upload(t, w.provider, l.id, 'sample', CLEAN_CSV);
    const preview = await submit(t, w.provider, l.id);
    expect(preview.checklist.find((r) => r.rule === 'no-core-source')).toMatchObject({ ok: false });
    await expectApprovalRefused(l.id, ['no-core-source']);
  });

  it('when a source is important data and the delivery mode is download, then approval fails with important-only-sandbox', async () => {
    const { listing } = await pendingListing({ resource: { grade: 'important', level: undefined } });
    await expectApprovalRefused(listing.id, ['important-only-sandbox']);
  });

  it('when important data is delivered in the sandbox, then it is approved', async () => {
    const { listing } = await pendingListing({
      resource: { grade: 'important', level: undefined },
      listing: { deliveryMode: 'sandbox' },
      data: null,
    });
    expect((await approve(t, w.exchange, listing.id)).status).toBe(200);
  });

  it('when a source is L3 and the product is not declared de-identified, then approval fails with personal-data-deidentified', async () => {
    const { listing } = await pendingListing({ resource: { level: 'L3' } });
    await expectApprovalRefused(listing.id, ['personal-data-deidentified']);
  });

  it('when an L4 product is declared de-identified but its sample holds ID numbers, then approval fails with sample-clean', async () => {
    const { listing } = await pendingListing({
      resource: { level: 'L4' },
      listing: { deIdentified: true },
      sample: ID_CSV,
    });
    const res = await expectApprovalRefused(listing.id, ['sample-clean']);
    expect(res.body.errors[0].message).toMatch(/idNumber/);
  });

  it('when the product has no sample at all, then approval fails with sample-clean', async () => {
    const { listing } = await pendingListing({ sample: null });
    await expectApprovalRefused(listing.id, ['sample-clean']);
  });

  it('when an L4 product is declared de-identified and its sample scans clean, then it is approved', async () => {
    const { listing } = await pendingListing({ resource: { level: 'L4' }, listing: { deIdentified: true } });
    expect((await approve(t, w.exchange, listing.id)).status).toBe(200);
  });

  it("when the price exceeds the authorization's fee cap for its pricing model, then approval fails with price-within-cap", async () => {
    const { listing, preview } = await pendingListing({
      grant: { feeCaps: { one_time: 99_999 } },
      listing: { pricing: { model: 'one_time', priceFen: 100_000 } },
    });
    expect(preview.checklist.find((r) => r.rule === 'price-within-cap')).toMatchObject({ ok: false });
    const res = await expectApprovalRefused(listing.id, ['price-within-cap']);
    expect(res.body.errors[0].message).toMatch(/99999/);
  });

  it('when the price equals the fee cap, or the model has no cap, then it is approved', async () => {
    const atCap = await pendingListing({
      grant: { feeCaps: { one_time: 100_000 } },
      listing: { pricing: { model: 'one_time', priceFen: 100_000 } },
    });
    expect((await approve(t, w.exchange, atCap.listing.id)).status).toBe(200);
    const uncapped = await pendingListing({
      grant: { feeCaps: { one_time: 1 } },
      listing: { pricing: { model: 'subscription', priceFen: 9_000_000, periodDays: 30 } },
    });
    expect((await approve(t, w.exchange, uncapped.listing.id)).status).toBe(200);
  });

  it('when the stored price is not an integer number of fen (a corrupted record), then approval fails with price-within-cap', async () => {
    const { listing } = await pendingListing();
    await ListingModel.collection.updateOne(
      { _id: new Types.ObjectId(listing.id) },
      { $set: { 'pricing.priceFen': 10.5 } },
    );
    await expectApprovalRefused(listing.id, ['price-within-cap']);
  });

  it('when a download product has no data file, then approval fails with deliverable-present', async () => {
    const { listing } = await pendingListing({ data: null });
    await expectApprovalRefused(listing.id, ['deliverable-present']);
  });

  it('when several rules fail at once, then every failed rule is named', async () => {
    const { listing } = await pendingListing({
      resource: { level: 'L4' },
      grant: { feeCaps: { one_time: 10 } },
      sample: ID_CSV,
      data: null,
    });
    await expectApprovalRefused(listing.id, [
      'personal-data-deidentified',
      'sample-clean',
      'price-within-cap',
      'deliverable-present',
    ]);
  });

  it('when the deliverable holds ID numbers, then approval fails with sample-clean', async () => {
    const { listing } = await pendingListing({
      resource: { level: 'L4' },
      listing: { deIdentified: true },
      data: ID_CSV,
    });
    await expectApprovalRefused(listing.id, ['sample-clean']);
  });
});

describe('review decisions', () => {
  it('when two reviewers approve at the same moment, then one gets 200, the other 409, and listing.listed is appended once', async () => {
    const { listing } = await pendingListing();
    const second = await makeWorld(t.config);
    const results = await Promise.all([approve(t, w.exchange, listing.id), approve(t, second.exchange, listing.id)]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const stored = await ListingModel.findById(listing.id).lean();
    expect(stored!.reviews).toHaveLength(1);
    expect(stored!.code).toBe(results.find((r) => r.status === 200)!.body.code);
    expect(await LedgerEntryModel.countDocuments({ type: 'listing.listed', ref: listing.id })).toBe(1);
  });

  it('when a reviewer approves and another rejects at the same moment, then exactly one decision is recorded', async () => {
    const { listing } = await pendingListing();
    const results = await Promise.all([
      approve(t, w.exchange, listing.id),
      t.http
        .post(`/api/v1/listings/${listing.id}/review`)
        .set('Authorization', w.exchange.auth)
        .send({ decision: 'reject', reasons: ['样例数据不足'] }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect((await ListingModel.findById(listing.id).lean())!.reviews).toHaveLength(1);
  });

  it('when the exchange rejects with reasons, then the product is rejected with the reasons and the checklist, and the provider can fix and resubmit', async () => {
    const { listing } = await pendingListing({ data: null });
    const noReason = await t.http
      .post(`/api/v1/listings/${listing.id}/review`)
      .set('Authorization', w.exchange.auth)
      .send({ decision: 'reject' });
    expect(noReason.status).toBe(422);
    expect((await ListingModel.findById(listing.id).lean())!.status).toBe('pending_review');

    const rejected = await t.http
      .post(`/api/v1/listings/${listing.id}/review`)
      .set('Authorization', w.exchange.auth)
      .send({ decision: 'reject', reasons: ['缺少交付文件'] });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: '缺少交付文件' });
    expect(rejected.body.reviews[0]).toMatchObject({ decision: 'reject', reasons: ['缺少交付文件'] });
    expect(
      rejected.body.reviews[0].checklist.find((r: { rule: string }) => r.rule === 'deliverable-present'),
    ).toMatchObject({ ok: false });
    expect(await LedgerEntryModel.countDocuments({ ref: listing.id })).toBe(0);

    const edited = await t.http
      .patch(`/api/v1/listings/${listing.id}`)
      .set('Authorization', w.provider.auth)
      .send({ title: '郑州公交客流日报（修订版）' });
    expect(edited.status).toBe(200);
    await upload(t, w.provider, listing.id, 'data', CLEAN_CSV, 'data.csv');
    await submit(t, w.provider, listing.id);
    const ok = await approve(t, w.exchange, listing.id);
    expect(ok.status).toBe(200);
    expect(ok.body.reviews.map((r: { decision: string }) => r.decision)).toEqual(['reject', 'approve']);
  });

  it('when a provider or a buyer tries to review, then 403 and nothing changes', async () => {
    const { listing } = await pendingListing();
    for (const actor of [w.provider, w.buyer]) {
      const res = await t.http
        .post(`/api/v1/listings/${listing.id}/review`)
        .set('Authorization', actor.auth)
        .send({ decision: 'approve' });
      expect(res.status).toBe(403);
    }
    expect((await ListingModel.findById(listing.id).lean())!.status).toBe('pending_review');
  });

  it('when the listing is still a draft, then review is 409', async () => {
    const resource = await makeResource(w.authority);
    const auth = await grant(t, w.authority, w.provider, [resource]);
    const l = await createListing(t, w.provider, listingBody([resource], auth.id));
    const res = await approve(t, w.exchange, l.id);
    expect(res.status).toBe(409);
    expect((await ListingModel.findById(l.id).lean())!.status).toBe('draft');
  });
});

describe('exactly once under concurrency and crashes', () => {
  afterEach(() => disarmFaults());

  it('when five reviewers approve the same listing at once, then exactly one wins and one decision is stored', async () => {
    const { listing } = await pendingListing();
    const reviewers = await Promise.all(Array.from({ length: 4 }, () => makeWorld(t.config)));
    const results = await Promise.all([w, ...reviewers].map((x) => approve(t, x.exchange, listing.id)));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409]);
    expect(await ListingDecisionModel.countDocuments({ listingId: listing.id })).toBe(1);
    expect((await ListingModel.findById(listing.id).lean())!.reviews).toHaveLength(1);
    expect(await LedgerEntryModel.countDocuments({ type: 'listing.listed', ref: listing.id })).toBe(1);
  });

  it('when several listings are approved at once, then each gets its own code', async () => {
    const pending = await Promise.all(Array.from({ length: 5 }, () => pendingListing()));
    const results = await Promise.all(pending.map((x) => approve(t, w.exchange, x.listing.id)));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const codes = results.map((r) => r.body.code as string);
    expect(new Set(codes).size).toBe(5);
    for (const c of codes) expect(c).toMatch(/^ZDEC-\d{4}-\d{6}$/);
  });

  it('when the process dies right after a reviewer claimed the approval, then the next review attempt completes it (409) and it is listed once', async () => {
    const { listing } = await pendingListing();
    armFault('listings.review.afterClaim');
    const crashed = await approve(t, w.exchange, listing.id);
    expect(crashed.status).toBe(500);
    expect((await ListingModel.findById(listing.id).lean())!.status).toBe('pending_review');

    const next = await approve(t, w.exchange, listing.id);
    expect(next.status).toBe(409);
    const stored = await ListingModel.findById(listing.id).lean();
    expect(stored).toMatchObject({ status: 'listed', code: expect.stringMatching(/^ZDEC-/) });
    expect(stored!.reviews).toHaveLength(1);
    expect(await LedgerEntryModel.countDocuments({ type: 'listing.listed', ref: listing.id })).toBe(1);
    expect((await approve(t, w.exchange, listing.id)).status).toBe(409);
  });

  it('when a claimed decision was stored before decisions were keyed by listing and round, then the next review still completes it (409)', async () => {
    const { listing } = await pendingListing();
    const round = (await ListingModel.findById(listing.id).lean())!.reviewRound;
    await ListingDecisionModel.collection.insertOne({
      _id: new Types.ObjectId() as never,
      listingId: new Types.ObjectId(listing.id as string),
      round,
      by: w.exchange.user._id,
      at: new Date(),
      decision: 'reject',
      reasons: ['decided before the upgrade'],
      checklist: [],
    });
    expect((await approve(t, w.exchange, listing.id)).status).toBe(409);
    expect(await ListingModel.findById(listing.id).lean()).toMatchObject({
      status: 'rejected',
      statusReason: 'decided before the upgrade',
    });
    expect(await ListingDecisionModel.countDocuments({ listingId: listing.id })).toBe(1);
  });
});

describe('delisting and re-listing', () => {
  it('when a listed product is delisted, resubmitted and approved again, then it keeps its code, listing.listed stays single and each delisting has its own entry', async () => {
    const resource = await makeResource(w.authority);
    const auth = await grant(t, w.authority, w.provider, [resource]);
    const listed = await listProduct(t, w, w.provider, listingBody([resource], auth.id));

    const d1 = await t.http
      .post(`/api/v1/listings/${listed.id}/delist`)
      .set('Authorization', w.provider.auth)
      .send({ reason: '数据更新中' });
    expect(d1.status).toBe(200);
    expect(d1.body).toMatchObject({ status: 'delisted', delistCount: 1 });
    const again = await t.http
      .post(`/api/v1/listings/${listed.id}/delist`)
      .set('Authorization', w.provider.auth)
      .send({ reason: '数据更新中' });
    expect(again.status).toBe(409);
    expect((await t.http.get(`/api/v1/listings/${listed.id}`)).status).toBe(404);

    await submit(t, w.provider, listed.id);
    const relisted = await approve(t, w.exchange, listed.id);
    expect(relisted.status).toBe(200);
    expect(relisted.body.code).toBe(listed.code);

    const d2 = await t.http
      .post(`/api/v1/listings/${listed.id}/delist`)
      .set('Authorization', w.exchange.auth)
      .send({ reason: '违反交易规则' });
    expect(d2.status).toBe(200);
    expect(await LedgerEntryModel.countDocuments({ type: 'listing.listed', ref: listed.id })).toBe(1);
    const delistings = await LedgerEntryModel.find({ type: 'listing.delisted', listingId: listed.id })
      .sort({ seq: 1 })
      .lean();
    expect(delistings.map((e) => e.ref)).toEqual([`${listed.id}:1`, `${listed.id}:2`]);
    expect(delistings[0]!.listingCode).toBe(listed.code);
  });

  it('when a buyer tries to delist, then 403', async () => {
    const resource = await makeResource(w.authority);
    const auth = await grant(t, w.authority, w.provider, [resource]);
    const listed = await listProduct(t, w, w.provider, listingBody([resource], auth.id));
    const res = await t.http
      .post(`/api/v1/listings/${listed.id}/delist`)
      .set('Authorization', w.buyer.auth)
      .send({ reason: '不喜欢' });
    expect(res.status).toBe(403);
    expect((await ListingModel.findById(listed.id).lean())!.status).toBe('listed');
  });
});
