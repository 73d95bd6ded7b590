import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { verifyBundle, type ProofBundle, type ReceiptBundle } from '@zdec/shared';
import { publicKeyView } from '../../server/src/modules/ledger/checkpoint.service';
import { entryId, LedgerEntryModel } from '../../server/src/modules/ledger/ledger.model';
import { ReceiptModel } from '../../server/src/modules/receipts/receipt.model';
import { useTestApp } from '../helpers/app';
import { receiptWorld, tamperings, type ReceiptWorld } from './fixtures';

const t = useTestApp({ PUBLIC_URL: 'https://zdec.example.cn' });
jest.setTimeout(120_000);
const run = promisify(execFile);
const TSX = path.resolve(__dirname, '../../node_modules/.bin/tsx');
const ROOT = path.resolve(__dirname, '../..');

let w: ReceiptWorld;
let pem: string;
const issued: Record<string, { digest: string; verifyUrl: string; bundle: ReceiptBundle; qrSvg: string }> = {};

beforeAll(async () => {
  w = await receiptWorld(t);
  pem = publicKeyView(t.config).publicKeyPem;
  for (const [kind, id, who] of [
    ['registration', w.resourceId, w.authority],
    ['listing', w.listingId, w.provider],
    ['trade', w.orderId, w.buyer],
  ] as const) {
    const res = await t.http.get(`/api/v1/receipts/${kind}/${id}`).set('Authorization', who.auth);
    if (res.status !== 200) throw new Error(`${kind}: ${res.status} ${JSON.stringify(res.body)}`);
    issued[kind] = res.body;
  }
});

describe('certificates and receipts', () => {
  it('when each kind is issued to its holder, then it verifies, its QR names the verify URL with its digest, and anyone can fetch it by that digest', async () => {
    for (const [kind, r] of Object.entries(issued)) {
      expect(r.bundle.receipt).toBe(kind);
      expect(r.verifyUrl).toBe(`https://zdec.example.cn/verify?d=${r.digest}`);
      expect(r.qrSvg).toContain('<svg');
      const v = verifyBundle(r.bundle, { publicKeyPem: pem, expectedDigest: r.digest });
      expect(v.checks.filter((c) => c.ok !== true)).toEqual([]);
      const pub = await t.http.get(`/api/v1/receipts/by-digest/${r.digest}`);
      expect(pub.status).toBe(200);
      expect(pub.body).toEqual(r.bundle);
    }
    expect(issued.registration!.bundle.claims).toMatchObject({
      resourceName: '郑州市公交实时到站数据',
      ledgerType: 'resource.registered',
    });
    expect(issued.listing!.bundle.claims).toMatchObject({ listingCode: w.listingCode, ledgerType: 'listing.listed' });
    expect(issued.trade!.bundle.claims).toMatchObject({
      quantity: 2,
      amountFen: 2_000_000,
      ledgerType: 'trade.settled',
    });
  });

  it('when a receipt is downloaded again or by the other party, then it is the same receipt (one QR code for ever)', async () => {
    const again = await t.http.get(`/api/v1/receipts/trade/${w.orderId}`).set('Authorization', w.provider.auth);
    expect(again.status).toBe(200);
    expect(again.body.digest).toBe(issued.trade!.digest);
    expect(await ReceiptModel.countDocuments()).toBe(6); // 3 bundles + 3 record keys
  });

  it('when a receipt is read, then it holds no personal data: no user, e-mail or credit code', () => {
    const text = JSON.stringify(issued);
    for (const a of [w.authority, w.provider, w.buyer, w.exchange]) {
      expect(text).not.toContain(a.user.email);
      expect(text).not.toContain(a.user.id);
      expect(text).not.toContain(a.org.creditCode);
    }
  });

  it('when someone else asks for a receipt, then it is refused and nothing is issued', async () => {
    const before = await ReceiptModel.countDocuments();
    for (const [path, who, status] of [
      [`trade/${w.orderId}`, w.otherProvider.auth, 403],
      [`trade/${w.orderId}`, w.authority.auth, 403],
      [`registration/${w.resourceId}`, w.buyer.auth, 403],
      [`listing/${w.listingId}`, w.otherProvider.auth, 403],
      [`trade/${w.orderId}`, undefined, 401],
      [`trade/${w.resourceId}`, w.buyer.auth, 404],
      [`invoice/${w.orderId}`, w.buyer.auth, 400],
      [`trade/not-an-id`, w.buyer.auth, 400],
    ] as const) {
      const req = t.http.get(`/api/v1/receipts/${path}`);
      if (who) req.set('Authorization', who);
      const res = await req;
      expect([path, res.status === 422 ? 400 : res.status]).toEqual([path, status]);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await ReceiptModel.countDocuments()).toBe(before);
    expect((await t.http.get(`/api/v1/receipts/by-digest/${'0'.repeat(64)}`)).status).toBe(404);
  });

  it('when the PDF is downloaded, then it is a PDF with the Chinese font embedded', async () => {
    const res = await t.http
      .get(`/api/v1/receipts/trade/${w.orderId}/pdf`)
      .set('Authorization', w.buyer.auth)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const pdf = res.body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.toString('latin1')).toMatch(/\/FontFile[23]?/);
    expect(pdf.toString('latin1')).toMatch(/NotoSansHans|WenQuanYi/);
  });

  it('when a number is looked up, then the public proof verifies, a trade shows its amount only to its parties', async () => {
    const order = await t.http.get(`/api/v1/orders/${w.orderId}`).set('Authorization', w.buyer.auth);
    for (const q of [issued.registration!.bundle.claims.certificateNumber, w.listingCode, order.body.number]) {
      const res = await t.http.get(`/api/v1/receipts/lookup?q=${encodeURIComponent(String(q))}`);
      expect([q, res.status]).toEqual([q, 200]);
      expect(verifyBundle(res.body.proof, { publicKeyPem: pem }).ok).toBe(true);
    }
    const anon = await t.http.get(`/api/v1/receipts/lookup?q=${order.body.number}`);
    expect(anon.body.proof.entry.withheld).toContain('amountFen');
    const mine = await t.http.get(`/api/v1/receipts/lookup?q=${order.body.number}`).set('Authorization', w.buyer.auth);
    expect(mine.body.proof.entry.amountFen).toBe(2_000_000);
    for (const q of ['DR-1', 'ORD-2026-999999', '{"$gt":""}']) {
      const res = await t.http.get(`/api/v1/receipts/lookup?q=${encodeURIComponent(q)}`);
      expect([q, res.status]).toEqual([q, q === 'ORD-2026-999999' ? 404 : res.status === 400 ? 400 : 422]);
    }
  });

  it('when a receipt is tampered with in any of five ways, then the shared verifier and the offline one both say red', async () => {
    const trade = issued.trade!.bundle;
    const listing = issued.listing!.bundle;
    // Under the same head: the listing receipt re-proved against the trade receipt's head.
    const other = (await t.http.get(`/api/v1/ledger/proofs/${listing.entry.seq}?size=${trade.treeHead.size}`))
      .body as ProofBundle;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'receipts-'));
    const keyFile = path.join(dir, 'key.pem');
    fs.writeFileSync(keyFile, pem);
    const offline = async (b: unknown) => {
      const file = path.join(dir, `r-${Math.random()}.json`);
      fs.writeFileSync(file, JSON.stringify(b));
      try {
        const { stdout } = await run(TSX, ['scripts/ledger-verify.ts', '--receipt', file, '--public-key', keyFile], {
          cwd: ROOT,
        });
        return { code: 0, stdout };
      } catch (err) {
        return { code: (err as { code: number }).code, stdout: (err as { stdout: string }).stdout };
      }
    };
    const genuine = await offline(trade);
    expect(genuine).toMatchObject({ code: 0 });
    for (const [name, bad] of Object.entries(tamperings(trade, other))) {
      const v = verifyBundle(bad, { publicKeyPem: pem });
      expect([name, v.ok]).toEqual([name, false]);
      const off = await offline(bad);
      expect([name, off.code]).toEqual([name, 1]);
      expect(off.stdout).toMatch(/FAIL/);
    }
    // The standalone auditor script (Node built-ins only) agrees.
    const audit = async (b: unknown) => {
      const file = path.join(dir, `a-${Math.random()}.json`);
      fs.writeFileSync(file, JSON.stringify(b));
      return run('node', ['scripts/verify-receipt-standalone.mjs', file, keyFile], { cwd: ROOT }).then(
        () => 0,
        (e: { code: number }) => e.code,
      );
    };
    expect(await audit(trade)).toBe(0);
    expect(await audit(issued.registration!.bundle)).toBe(0);
    for (const [name, bad] of Object.entries(tamperings(trade, other)))
      expect([name, await audit(bad)]).toEqual([name, 1]);
  });

  it('when an entry is changed in the database, then the chain verify names it and its fresh proof no longer verifies', async () => {
    const seq = issued.trade!.bundle.entry.seq;
    await LedgerEntryModel.collection.updateOne({ _id: entryId(seq) } as never, { $inc: { amountFen: 1 } });
    const chain = await t.http.get('/api/v1/ledger/verify').set('Authorization', w.regulator.auth);
    expect(chain.body).toMatchObject({ ok: false, firstBrokenSeq: seq });
    const fresh = await t.http.get(`/api/v1/ledger/proofs/${seq}`).set('Authorization', w.regulator.auth);
    const v = verifyBundle(fresh.body, { publicKeyPem: pem });
    expect(v.ok).toBe(false);
    expect(v.checks.find((c) => c.id === 'entryHash')!.ok).toBe(false);
    await LedgerEntryModel.collection.updateOne({ _id: entryId(seq) } as never, { $inc: { amountFen: -1 } });
  });
});
