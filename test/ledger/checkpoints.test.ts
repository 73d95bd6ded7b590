import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import { createApp } from '../../server/src/app';
import { loadConfig } from '../../server/src/config';
import { CheckpointModel } from '../../server/src/modules/ledger/checkpoint.model';
import { cutCheckpoints, signingKey } from '../../server/src/modules/ledger/checkpoint.service';
import { entryHash } from '../../server/src/modules/ledger/ledger.hash';
import { LedgerEntryModel, LedgerHeadModel } from '../../server/src/modules/ledger/ledger.model';
import { append } from '../../server/src/modules/ledger/ledger.service';
import { makeActor, type Actor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { resetLedger } from './fixtures';

const t = useTestApp();
let regulator: Actor;

beforeAll(async () => {
  regulator = await makeActor(t.config, 'regulator');
});

/** Three entries: two on 1 March (UTC), none on 2 March, one on 3 March. */
beforeEach(async () => {
  await resetLedger();
  await append({ type: 'listing.listed', ref: 'l-1', orgIds: ['p'], at: new Date('2026-03-01T01:00:00Z') });
  await append({
    type: 'trade.settled',
    ref: 'o-1',
    amountFen: 500,
    orgIds: ['p', 'b'],
    at: new Date('2026-03-01T23:59:59.999Z'),
  });
  await append({
    type: 'trade.settled',
    ref: 'o-2',
    amountFen: 700,
    orgIds: ['p', 'b'],
    at: new Date('2026-03-03T12:00:00Z'),
  });
});

const hashOf = async (seq: number) => (await LedgerEntryModel.findOne({ seq }).lean())!.hash;
const verify = () => t.http.get('/api/v1/ledger/verify').set('Authorization', regulator.auth).expect(200);

/** Checks a published checkpoint with nothing but node:crypto, an RFC 8785 library and the public PEM. */
function signatureHolds(c: { day: string; seq: number; hash: string; signature: string }, pem: string): boolean {
  const message = canonicalize({ kind: 'zdec-ledger-checkpoint/v1', day: c.day, seq: c.seq, hash: c.hash })!;
  return crypto.verify(null, Buffer.from(message), crypto.createPublicKey(pem), Buffer.from(c.signature, 'base64'));
}

describe('signed checkpoints', () => {
  it('when the days are cut, then every completed UTC day from the first entry gets the head at its end, once', async () => {
    const now = new Date('2026-03-05T10:00:00Z');
    const [a, b] = await Promise.all([cutCheckpoints(t.config, now), cutCheckpoints(t.config, now)]);
    expect(a + b).toBe(4); // two processes at once: each day written once
    expect(await cutCheckpoints(t.config, now)).toBe(0);
    const days = await CheckpointModel.find({}, { _id: 0, day: 1, seq: 1, hash: 1 }).sort({ day: 1 }).lean();
    expect(days).toEqual([
      { day: '2026-03-01', seq: 2, hash: await hashOf(2) },
      { day: '2026-03-02', seq: 2, hash: await hashOf(2) },
      { day: '2026-03-03', seq: 3, hash: await hashOf(3) },
      { day: '2026-03-04', seq: 3, hash: await hashOf(3) },
    ]);

    // the running day is never signed; once it is over, it is
    await append({
      type: 'trade.settled',
      ref: 'o-3',
      amountFen: 1,
      orgIds: ['p'],
      at: new Date('2026-03-05T11:00:00Z'),
    });
    expect(await cutCheckpoints(t.config, new Date('2026-03-05T23:00:00Z'))).toBe(0);
    expect(await cutCheckpoints(t.config, new Date('2026-03-06T00:00:01Z'))).toBe(1);
    expect(await CheckpointModel.findOne({ day: '2026-03-05' }).lean()).toMatchObject({
      seq: 4,
      hash: await hashOf(4),
    });
    await expect(CheckpointModel.updateOne({ day: '2026-03-05' }, { seq: 1 })).rejects.toThrow(/append-only/);
  });

  it('when anyone fetches the checkpoints and the public key, then each signature verifies with that key alone', async () => {
    await cutCheckpoints(t.config, new Date('2026-03-05T10:00:00Z'));
    const key = (await t.http.get('/api/v1/ledger/public-key').expect(200)).body;
    expect(key).toEqual({
      algorithm: 'Ed25519',
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      publicKeyPem: expect.any(String),
    });
    const pem = (await t.http.get('/api/v1/ledger/public-key.pem').expect(200)).text;
    expect(pem).toBe(key.publicKeyPem);

    const page = (await t.http.get('/api/v1/ledger/checkpoints?pageSize=3').expect(200)).body;
    expect(page).toMatchObject({ total: 4, page: 1, pageSize: 3 });
    expect(page.items.map((c: { day: string }) => c.day)).toEqual(['2026-03-04', '2026-03-03', '2026-03-02']);
    const file = await t.http.get('/api/v1/ledger/checkpoints.json').expect(200);
    expect(file.headers['content-disposition']).toContain('attachment');
    expect(file.body).toHaveLength(4);
    for (const c of file.body) {
      expect(c).toMatchObject({ keyId: key.keyId, signature: expect.any(String), signedAt: expect.any(String) });
      expect(c).not.toHaveProperty('_id');
      expect(signatureHolds(c, pem)).toBe(true);
    }
    expect((await verify()).body).toMatchObject({ ok: true, checked: 3, checkpointsChecked: 4 });
  });

  it('when a checkpoint is altered in the database, then its signature fails and verify names its seq', async () => {
    await cutCheckpoints(t.config, new Date('2026-03-05T10:00:00Z'));
    const pem = signingKey(t.config).publicKeyPem;
    await CheckpointModel.collection.updateOne({ day: '2026-03-03' }, { $set: { hash: await hashOf(2), seq: 2 } });
    const altered = (await CheckpointModel.findOne({ day: '2026-03-03' }).lean())!;
    expect(signatureHolds(altered, pem)).toBe(false);
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'checkpoint-signature' });
  });

  it('when a checkpoint signature fails further on, then an earlier break in the chain is still the one named', async () => {
    await cutCheckpoints(t.config, new Date('2026-03-05T10:00:00Z'));
    await CheckpointModel.collection.updateOne({ day: '2026-03-03' }, { $set: { hash: 'a'.repeat(64) } });
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'checkpoint-signature' });
    await LedgerEntryModel.collection.updateOne({ seq: 2 }, { $set: { amountFen: 1 } });
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'hash-mismatch', checked: 2 });
  });

  it('when the ledger is rewritten so that its chain is whole again, then the signed checkpoint catches it', async () => {
    await cutCheckpoints(t.config, new Date('2026-03-05T10:00:00Z'));
    // change the amount of seq 2 and re-chain everything after it, as a careful forger would
    let prevHash = await hashOf(1);
    for (const seq of [2, 3]) {
      const e = (await LedgerEntryModel.collection.findOne({ seq }))!;
      const forged = { ...e, amountFen: seq === 2 ? 5 : e.amountFen, prevHash };
      const hash = entryHash(forged as never);
      await LedgerEntryModel.collection.updateOne({ seq }, { $set: { amountFen: forged.amountFen, prevHash, hash } });
      prevHash = hash;
    }
    expect((await verify()).body).toMatchObject({ ok: false, firstBrokenSeq: 2, reason: 'checkpoint-mismatch' });
  });

  it('when the newest entries are removed along with the head hint, then a checkpoint beyond the head names the first missing seq', async () => {
    await cutCheckpoints(t.config, new Date('2026-03-05T10:00:00Z'));
    await LedgerEntryModel.collection.deleteOne({ seq: 3 });
    await LedgerHeadModel.collection.deleteMany({});
    const res = await verify();
    expect(res.body).toMatchObject({ ok: false, firstBrokenSeq: 3, reason: 'missing-entry', headSeq: 2 });
  });
});

describe('the signing key', () => {
  it('when no key is configured, then one is generated once, kept private in DATA_DIR, and reused', () => {
    const first = signingKey(t.config);
    const file = path.join(t.config.DATA_DIR, 'secrets', 'ledger-signing-key');
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(signingKey({ DATA_DIR: t.config.DATA_DIR, LEDGER_SIGNING_KEY: undefined }).keyId).toBe(first.keyId);
    // the kept secret is itself a valid LEDGER_SIGNING_KEY for the same key
    const text = fs.readFileSync(file, 'utf8');
    expect(signingKey({ DATA_DIR: '/nonexistent', LEDGER_SIGNING_KEY: text }).keyId).toBe(first.keyId);
  });

  it('when LEDGER_SIGNING_KEY is a PEM (with \\n escapes, as in an env file) or base64 DER, then that key signs', () => {
    const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
    const expected = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().replace(/\n/g, '\\n');
    expect(signingKey({ DATA_DIR: '/nonexistent', LEDGER_SIGNING_KEY: pem }).publicKeyPem).toBe(expected);
    const der = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
    expect(signingKey({ DATA_DIR: '/nonexistent', LEDGER_SIGNING_KEY: der }).publicKeyPem).toBe(expected);
  });

  it('when LEDGER_SIGNING_KEY is unusable, then the app does not start and the message names the variable', () => {
    for (const bad of ['not a key!', 'c2hvcnQ=']) {
      const config = loadConfig({ ...process.env, LEDGER_SIGNING_KEY: bad });
      expect(() => createApp({ config })).toThrow(/LEDGER_SIGNING_KEY/);
    }
    const rsa = crypto
      .generateKeyPairSync('rsa', { modulusLength: 1024 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' });
    expect(() => signingKey({ DATA_DIR: '/nonexistent', LEDGER_SIGNING_KEY: rsa.toString() })).toThrow(/Ed25519/);
  });
});
