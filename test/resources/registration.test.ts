import { Types } from 'mongoose';
import { certificateDigest } from '../../server/src/modules/resources/resources.service';
import { ResourceModel, ResourceRegistrationModel } from '../../server/src/modules/resources/resource.model';
import { LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { sweepOutbox } from '../../server/src/modules/ledger/outbox';
import { armFault, disarmFaults } from '../../server/src/platform/faults';
import { useTestApp } from '../helpers/app';
import { makeActor, type Actor } from '../helpers/factories';
import { createDraft, personCsv, uploadSample } from './fixtures';

const t = useTestApp();
let authority: Actor;

beforeAll(async () => {
  authority = await makeActor(t.config, 'authority');
});
afterEach(() => disarmFaults());

const year = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date());

function register(actor: Actor, id: string, body: object = {}) {
  return t.http.post(`/api/v1/resources/${id}/register`).set('Authorization', actor.auth).send(body);
}

async function draftWithSample(actor: Actor, csv: string, over = {}): Promise<string> {
  const id = await createDraft(t, actor, over);
  const res = await uploadSample(t, actor, id, Buffer.from(csv), 'sample.csv', 'text/csv');
  expect(res.status).toBe(200);
  return id;
}

/** Pending ledger events of the resource's registration record. */
async function outboxOf(id: string): Promise<unknown[]> {
  const raw = await ResourceRegistrationModel.collection.findOne({ resourceId: new Types.ObjectId(id) });
  return (raw?.outbox as unknown[]) ?? [];
}

const ledgerFor = (id: string) => LedgerEntryModel.find({ type: 'resource.registered', ref: id }).lean();

describe('grading at registration', () => {
  it('when the sample holds ID and phone numbers, then general/L4 is proposed and L2 is refused with 422', async () => {
    const id = await createDraft(t, authority);
    const upload = await uploadSample(t, authority, id, Buffer.from(personCsv()), 'people.csv');
    expect(upload.body.proposed).toEqual({ grade: 'general', level: 'L4' });
    const before = await ResourceModel.findById(id).lean();

    const res = await register(authority, id, { level: 'L2' });

    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([{ path: 'body.level', message: expect.stringContaining('L4') }]);
    const after = await ResourceModel.findById(id).lean();
    expect(after).toEqual(before);
    expect(after!.status).toBe('draft');
    expect(after!.registrationNumber).toBeUndefined();
    expect(await ledgerFor(id)).toHaveLength(0);
  });

  it('when the authority raises the grade to important, then it registers as important, keeps L4 and gets a certificate', async () => {
    const id = await draftWithSample(authority, personCsv());

    const res = await register(authority, id, { grade: 'important' });

    expect(res.status).toBe(200);
    expect(res.body.resource).toMatchObject({ status: 'registered', grade: 'important', level: 'L4' });
    const { certificate } = res.body;
    expect(certificate.number).toMatch(new RegExp(`^DR-410000-${year()}-\\d{6}$`));
    expect(res.body.resource.registrationNumber).toBe(certificate.number);
    expect(certificate.digest).toMatch(/^[0-9a-f]{64}$/);

    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.certificate!.number).toBe(certificate.number);
    expect(await outboxOf(id)).toHaveLength(0);
    // The digest is SHA-256 over the canonical metadata and the sample hash: recomputable, and it moves with either.
    expect(certificateDigest(stored!, stored!.certificate!)).toBe(certificate.digest);
    expect(certificateDigest({ ...stored!, recordCount: stored!.recordCount + 1 }, stored!.certificate!)).not.toBe(
      certificate.digest,
    );
    expect(
      certificateDigest({ ...stored!, sample: { ...stored!.sample!, sha256: '0'.repeat(64) } }, stored!.certificate!),
    ).not.toBe(certificate.digest);

    const entries = await ledgerFor(id);
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ resourceId: id, grade: 'important', orgIds: [authority.org.id], amountFen: 0 });
  });

  it('when the scan found L1 and the authority raises the level to L2, then it is registered as general/L2', async () => {
    const id = await draftWithSample(authority, '站点,气温\n郑州,21.5\n开封,20.1\n');
    expect((await ResourceModel.findById(id).lean())!.level).toBe('L1');
    const res = await register(authority, id, { grade: 'general', level: 'L2' });
    expect(res.status).toBe(200);
    expect(res.body.resource).toMatchObject({ grade: 'general', level: 'L2' });
  });

  it('when core is declared, then it is recorded as core', async () => {
    const id = await draftWithSample(authority, personCsv());
    const res = await register(authority, id, { grade: 'core' });
    expect(res.status).toBe(200);
    expect((await ResourceModel.findById(id).lean())!.grade).toBe('core');
  });

  it('when the openness is closed, then the registered resource records closed', async () => {
    const id = await draftWithSample(authority, '站点,气温\n郑州,21.5\n', { openness: 'closed' });
    const res = await register(authority, id);
    expect(res.status).toBe(200);
    expect(res.body.resource.openness).toBe('closed');
    expect((await ResourceModel.findById(id).lean())!.openness).toBe('closed');
  });

  it('when there is no sample yet, then 409 and nothing changes', async () => {
    const id = await createDraft(t, authority);
    const res = await register(authority, id);
    expect(res.status).toBe(409);
    expect(res.body.type).toBe('urn:zdec:problem:sample-required');
    expect((await ResourceModel.findById(id).lean())!.status).toBe('draft');
  });

  it('when an unknown grade or an extra field is sent, then 4xx and nothing changes', async () => {
    const id = await draftWithSample(authority, personCsv());
    expect((await register(authority, id, { grade: 'secret' })).status).toBe(422);
    expect((await register(authority, id, { level: 'L4', status: 'registered' })).status).toBe(400);
    expect((await ResourceModel.findById(id).lean())!.status).toBe('draft');
  });

  it('when someone other than the owner registers, then 404 (another org) or 403 (wrong role)', async () => {
    const id = await draftWithSample(authority, personCsv());
    const other = await makeActor(t.config, 'authority');
    expect((await register(other, id)).status).toBe(404);
    const exchange = await makeActor(t.config, 'exchange');
    expect((await register(exchange, id)).status).toBe(403);
    expect(await ledgerFor(id)).toHaveLength(0);
  });

  it('when a provider registers its own enterprise data, then it gets a number in its region', async () => {
    const provider = await makeActor(t.config, 'provider');
    const id = await draftWithSample(provider, personCsv(), { regionCode: '410105' });
    const res = await register(provider, id, { level: 'L4' });
    expect(res.status).toBe(200);
    expect(res.body.resource.kind).toBe('enterprise');
    expect(res.body.certificate.number).toMatch(new RegExp(`^DR-410105-${year()}-000001$`));
  });
});

describe('exactly once, under concurrency', () => {
  it('when 20 drafts in one region register at once, then they get 20 distinct numbers and 20 ledger entries', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) {
      ids.push(
        await draftWithSample(authority, `站点,气温\n站${i},${i}\n`, { regionCode: '410300', name: `洛阳观测${i}` }),
      );
    }

    const results = await Promise.all(ids.map((id) => register(authority, id)));

    expect(results.map((r) => r.status)).toEqual(ids.map(() => 200));
    const numbers = results.map((r) => r.body.certificate.number as string);
    expect(new Set(numbers).size).toBe(20);
    for (const n of numbers) expect(n).toMatch(new RegExp(`^DR-410300-${year()}-\\d{6}$`));
    const stored = await ResourceModel.find({ _id: { $in: ids } }).lean();
    expect(new Set(stored.map((r) => r.registrationNumber)).size).toBe(20);
    for (const id of ids) expect(await ledgerFor(id)).toHaveLength(1);
    const seqsInLedger = (await LedgerEntryModel.find({ ref: { $in: ids } }).lean()).map((e) => e.seq);
    expect(new Set(seqsInLedger).size).toBe(20);
  });

  it('when one draft is registered by 6 requests at once, then one wins, the rest get 409, and the ledger has one entry', async () => {
    const id = await draftWithSample(authority, personCsv());
    const results = await Promise.all(Array.from({ length: 6 }, () => register(authority, id)));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 409, 409, 409, 409, 409]);
    expect(await ledgerFor(id)).toHaveLength(1);
    const winner = results.find((r) => r.status === 200)!;
    expect((await ResourceModel.findById(id).lean())!.registrationNumber).toBe(winner.body.certificate.number);
  });

  it('when the process dies before the ledger append, then the sweep completes it exactly once', async () => {
    const id = await draftWithSample(authority, personCsv());
    armFault('outbox.beforeAppend');

    const res = await register(authority, id);

    expect(res.status).toBe(500);
    const stored = await ResourceModel.findById(id).lean();
    expect(stored!.status).toBe('registered');
    expect(await outboxOf(id)).toHaveLength(1);
    expect(await ledgerFor(id)).toHaveLength(0);

    await sweepOutbox();
    await sweepOutbox();
    expect(await ledgerFor(id)).toHaveLength(1);
    expect(await outboxOf(id)).toHaveLength(0);
    expect((await register(authority, id)).status).toBe(409);
    expect(await ledgerFor(id)).toHaveLength(1);
  });
});
