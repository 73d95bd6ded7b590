/**
 * `npm run ledger:verify -- --receipt FILE --public-key KEY [--consistency FILE] [--digest HEX]`:
 * checks a receipt (or any proof bundle) offline with the same code as the browser's /verify page.
 */
import fs from 'node:fs';
import { CHECK_LABELS, verifyBundle, type ConsistencyBundle, type ReceiptBundle } from '@zdec/shared';

export const RECEIPT_USAGE = `Usage:
  npm run ledger:verify -- --receipt <receipt.json> --public-key <key.pem> [--consistency <consistency.json>] [--digest <hex>]

Files, as the platform publishes them:
  receipt.json      GET /api/v1/receipts/by-digest/<digest>  (public; the digest is in the receipt's QR code),
                    or a proof: GET /api/v1/ledger/proofs/<seq>
  key.pem           GET /api/v1/ledger/public-key.pem        (public; the JSON of GET /ledger/public-key also works)
  consistency.json  GET /api/v1/ledger/consistency?from=<size of the receipt's head>   (optional: today's head)

Checks: the entry's hash from its fields; the receipt's claims against the entry; the RFC 9162 inclusion path
up to the tree head's root; the head's Ed25519 signature under the public key; with --digest, that the
bundle is the one the QR code names; with --consistency, that today's signed head extends the receipt's.
Exit status: 0 genuine, 1 not genuine, 2 usage or unreadable input.`;

function pemOf(text: string): string {
  const t = text.trim();
  return t.startsWith('{') ? String((JSON.parse(t) as { publicKeyPem?: unknown }).publicKeyPem ?? '') : t;
}

/** Runs the receipt check for these arguments; prints each check; returns the exit status. */
export function verifyReceiptCli(argv: string[]): number {
  const opt: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!['--receipt', '--public-key', '--consistency', '--digest'].includes(a) || !argv[i + 1]) {
      console.error(`ledger-verify: unexpected argument ${a}\n\n${RECEIPT_USAGE}`);
      return 2;
    }
    opt[a.slice(2)] = argv[++i]!;
  }
  if (!opt.receipt || !opt['public-key']) {
    console.error(RECEIPT_USAGE);
    return 2;
  }
  let bundle: ReceiptBundle;
  let pem: string;
  let consistency: ConsistencyBundle | undefined;
  try {
    bundle = JSON.parse(fs.readFileSync(opt.receipt, 'utf8')) as ReceiptBundle;
    pem = pemOf(fs.readFileSync(opt['public-key'], 'utf8'));
    if (opt.consistency) consistency = JSON.parse(fs.readFileSync(opt.consistency, 'utf8')) as ConsistencyBundle;
  } catch (err) {
    console.error(`ledger-verify: ${(err as Error).message}`);
    return 2;
  }
  const v = verifyBundle(bundle, { publicKeyPem: pem, expectedDigest: opt.digest, consistency });
  for (const c of v.checks) {
    const mark = c.ok === true ? 'PASS' : c.ok === false ? 'FAIL' : 'SKIP';
    console.log(`${mark} ${CHECK_LABELS[c.id].en}: ${c.detail}`);
  }
  const what = bundle.kind === 'zdec-receipt/v1' ? `${bundle.receipt} receipt` : 'proof';
  console.log(v.ok ? `OK: genuine ${what} of ledger entry #${bundle.entry?.seq}` : `FAIL: this ${what} is not genuine`);
  return v.ok ? 0 : 1;
}
