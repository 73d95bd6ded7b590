import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import supertest from 'supertest';
import type { Page } from 'playwright-core';
import type { ProofBundle, ReceiptBundle } from '@zdec/shared';
import type { TestApp } from '../helpers/app';
import { plantReceipt, receiptWorld, tamperings, type ReceiptWorld } from '../receipts/fixtures';
import { useE2E } from './browser';
import { byTestId, signIn } from './steps';

/*
 * Done-when of issue 15: every receipt kind verifies green in the browser from its QR code, decoded
 * from the rendered receipt page; a tampered one verifies red. The records are made through the
 * API as users make them; everything a person sees is driven in Chromium.
 */

const e = useE2E();
let w: ReceiptWorld;

beforeAll(async () => {
  w = await receiptWorld({ http: supertest(e.baseUrl), config: e.config } as TestApp);
});

/** The QR code as the page renders it, decoded from a screenshot of the image. */
async function qrPayload(page: Page): Promise<string> {
  const qr = byTestId(page, 'receipt-qr');
  await qr.waitFor();
  await page.waitForFunction(
    '(() => { const img = document.querySelector(\'[data-testid="receipt-qr"]\'); return Boolean(img && img.complete && img.naturalWidth > 0); })()',
  );
  const png = PNG.sync.read(await qr.screenshot());
  const code = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
  if (!code) throw new Error('no QR code found in the rendered receipt');
  return code.data;
}

async function verdict(page: Page): Promise<{ ok: string | null; failed: string[] }> {
  const result = byTestId(page, 'verify-result');
  await result.waitFor();
  const failed = await page
    .locator('[data-testid="verify-checks"] li[data-ok="false"]')
    .evaluateAll((els) => els.map((el) => el.getAttribute('data-check') ?? ''));
  return { ok: await result.getAttribute('data-ok'), failed };
}

describe('QR-coded receipts verified in the browser', () => {
  const kinds = [
    ['registration', () => w.resourceId, () => w.authority],
    ['listing', () => w.listingId, () => w.provider],
    ['trade', () => w.orderId, () => w.buyer],
  ] as const;

  for (const [kind, id, holder] of kinds) {
    test(`when the ${kind} receipt's QR code is scanned, then the public verify page checks it green`, async () => {
      const page = await e.newPage();
      await signIn(e, page, holder().user.email, holder().user.role);
      await page.goto(`${e.baseUrl}/receipts/${kind}/${id()}`);
      const receipt = byTestId(page, 'receipt', { kind });
      await receipt.waitFor();
      const digest = await receipt.getAttribute('data-digest');
      await e.shot(page, `receipt-${kind}`);
      const payload = await qrPayload(page);
      expect(payload).toBe(`${e.baseUrl}/verify?d=${digest}`);

      // Someone else, not signed in, opens what the QR code says.
      const stranger = await e.newPage();
      await stranger.goto(payload);
      expect(await verdict(stranger)).toEqual({ ok: 'true', failed: [] });
      for (const id of ['digest', 'entryHash', 'claims', 'inclusion', 'keyId', 'signature']) {
        expect(await stranger.locator(`li[data-check="${id}"]`).getAttribute('data-ok')).toBe('true');
      }
      await e.shot(stranger, `verify-${kind}-green`);
      await page.close();
      await stranger.close();
    });
  }

  test('when a certificate number or listing code is pasted, then its public proof checks green', async () => {
    const page = await e.newPage();
    await page.goto(`${e.baseUrl}/verify`);
    await byTestId(page, 'verify-input').fill(w.listingCode);
    await byTestId(page, 'verify-submit').click();
    expect(await verdict(page)).toEqual({ ok: 'true', failed: [] });
    await e.shot(page, 'verify-listing-code-green');
    await page.close();
  });

  test('when a receipt served for a QR code was tampered with, then the page says red and names the failed check', async () => {
    const api = supertest(e.baseUrl);
    const holder = await api.get(`/api/v1/receipts/trade/${w.orderId}`).set('Authorization', w.buyer.auth);
    const trade = holder.body.bundle as ReceiptBundle;
    const listing = await api.get(`/api/v1/receipts/listing/${w.listingId}`).set('Authorization', w.provider.auth);
    const other = (await api.get(`/api/v1/ledger/proofs/${listing.body.bundle.entry.seq}?size=${trade.treeHead.size}`))
      .body as ProofBundle;
    const expectedFailure: Record<string, string> = {
      changed: 'entryHash',
      removed: 'inclusion',
      reordered: 'inclusion',
      forged: 'signature',
      replayed: 'inclusion',
    };
    const page = await e.newPage();
    for (const [name, bad] of Object.entries(tamperings(trade, other))) {
      const digest = await plantReceipt(bad); // a server (or a copy) serving a forged receipt
      await page.goto(`${e.baseUrl}/verify?d=${digest}`);
      const v = await verdict(page);
      expect([name, v.ok]).toEqual([name, 'false']);
      expect(v.failed).toContain(expectedFailure[name]);
      if (name === 'changed' || name === 'forged') await e.shot(page, `verify-tampered-${name}-red`);
    }
    // A QR code whose digest names no receipt.
    await page.goto(`${e.baseUrl}/verify?d=${'0'.repeat(64)}`);
    expect((await verdict(page)).ok).toBe('false');
    await page.close();
  });
});
