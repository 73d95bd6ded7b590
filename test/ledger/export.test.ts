import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { formatYuan } from '@zdec/shared';
import { verifyExport } from '../../scripts/ledger-verify';
import { cutCheckpoints } from '../../server/src/modules/ledger/checkpoint.service';
import { CSV_COLUMNS, entryFromCsv } from '../../server/src/modules/ledger/ledger.csv';
import { entryHash } from '../../server/src/modules/ledger/ledger.hash';
import type { CsvEntry } from '../../server/src/modules/ledger/ledger.csv';
import { makeActor, type Actor } from '../helpers/factories';
import { useTestApp } from '../helpers/app';
import { bulkLedger, resetLedger } from './fixtures';

const t = useTestApp();
jest.setTimeout(120_000);

const N = 10_000;
let regulator: Actor;
let entries: CsvEntry[];
let csv: Buffer;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ledger-export-'));
const file = (name: string) => path.join(dir, name);

/** Reads the whole response body as bytes (supertest would decode text). */
const bytes = (res: NodeJS.ReadableStream, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};
type ResponseParser = Parameters<ReturnType<typeof t.http.get>['parse']>[0];

beforeAll(async () => {
  regulator = await makeActor(t.config, 'regulator');
  await resetLedger();
  // Every 997th ref holds Chinese text, a comma, quotes and a line break: CSV quoting must carry them.
  entries = await bulkLedger(N, {
    start: new Date('2026-01-01T00:00:00Z'),
    stepMs: 60_000,
    ref: (seq) => (seq % 997 ? `bulk-${seq}` : `退款,"补偿"\r\n第${seq}笔`),
  });
  await cutCheckpoints(t.config, new Date('2026-01-10T00:00:00Z')); // 1..9 January
  const res = await t.http
    .get('/api/v1/ledger/export.csv')
    .set('Authorization', regulator.auth)
    .buffer(true)
    .parse(bytes as unknown as ResponseParser)
    .expect(200);
  expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
  expect(res.headers['content-disposition']).toMatch(/^attachment; filename="zdec-ledger-\d{8}T\d{6}Z\.csv"$/);
  csv = res.body as Buffer;
  fs.writeFileSync(file('export.csv'), csv);
  fs.writeFileSync(
    file('checkpoints.json'),
    JSON.stringify((await t.http.get('/api/v1/ledger/checkpoints.json').expect(200)).body),
  );
  fs.writeFileSync(file('key.pem'), (await t.http.get('/api/v1/ledger/public-key.pem').expect(200)).text);
}, 300_000); // 10,000 entries and their checkpoints: about 100 s on a busy two-core machine

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/**
 * The first `HEAD` rows of the export (a whole ledger as it was at seq HEAD), edited by `edit`
 * (lines are CRLF; the header is line 0). Tampering tests use it: 2,000 rows check five times faster.
 */
const HEAD = 2000;
function prefix(name: string, edit: (lines: string[]) => void = () => undefined): string {
  const lines = csv.toString('utf8').split('\r\n');
  const kept = lines.slice(0, lineOf(lines, HEAD + 1));
  edit(kept);
  fs.writeFileSync(file(name), kept.join('\r\n') + '\r\n');
  return file(name);
}
const lineOf = (lines: string[], seq: number) => lines.findIndex((l) => l.startsWith(`${seq},`));

describe('GET /ledger/export.csv', () => {
  it('when 10,000 entries are exported, then the CSV (UTF-8 with BOM, English header) parses back to exactly those entries', () => {
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(
      csv
        .subarray(3, 3 + 200)
        .toString('utf8')
        .split('\r\n')[0],
    ).toBe(CSV_COLUMNS.join(','));
    const rows = parse(csv, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(N);
    rows.forEach((row, i) => {
      const { amountYuan, ...parsed } = entryFromCsv(row);
      const e = entries[i]!;
      expect(parsed).toEqual({
        listingCode: undefined,
        orderId: undefined,
        listingId: undefined,
        resourceId: undefined,
        authorizationId: undefined,
        grade: undefined,
        ...e,
      });
      expect(amountYuan).toBe(formatYuan(e.amountFen));
      expect(entryHash(parsed)).toBe(e.hash);
    });
    expect(rows[996]!.ref).toBe('退款,"补偿"\r\n第997笔');
  });
});

describe('npm run ledger:verify (offline)', () => {
  const opts = { checkpointPaths: [file('checkpoints.json')], publicKeyPath: file('key.pem') };

  it('when the export and the checkpoints are untouched, then it is intact and every checkpoint matched', async () => {
    const r = await verifyExport({ csvPath: file('export.csv'), ...opts });
    expect(r).toMatchObject({ ok: true, rows: N, firstSeq: 1, lastSeq: N, lastHash: entries[N - 1]!.hash });
    expect(r.checkpointsChecked).toBe(9);
  });

  it('when an amount is changed in the file, then it names that seq', async () => {
    const p = prefix('amount.csv', (lines) => {
      const i = lineOf(lines, 1500);
      lines[i] = lines[i]!.replace(/,(-?\d+),("?-?[\d,.]+"?),/, (_m, _fen, yuan: string) => `,4242,${yuan},`);
    });
    expect(await verifyExport({ csvPath: p, checkpointPaths: [] })).toMatchObject({ ok: false, firstBrokenSeq: 1500 });
  });

  it('when a row is removed, then it names the missing seq', async () => {
    const p = prefix('gap.csv', (lines) => lines.splice(lineOf(lines, 1234), 1));
    expect(await verifyExport({ csvPath: p, checkpointPaths: [] })).toMatchObject({ ok: false, firstBrokenSeq: 1234 });
  });

  it('when two rows are swapped, then it names the first of them', async () => {
    const p = prefix('swap.csv', (lines) => {
      const i = lineOf(lines, 300);
      [lines[i], lines[i + 1]] = [lines[i + 1]!, lines[i]!];
    });
    expect(await verifyExport({ csvPath: p, checkpointPaths: [] })).toMatchObject({ ok: false, firstBrokenSeq: 300 });
  });

  it('when the newest rows are missing, then a signed checkpoint beyond the last row names the first missing seq', async () => {
    const p = prefix('tail.csv');
    expect(await verifyExport({ csvPath: p, checkpointPaths: [] })).toMatchObject({ ok: true, rows: HEAD });
    const r = await verifyExport({ csvPath: p, ...opts });
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: HEAD + 1 });
    expect(r.problems[0]!.reason).toMatch(/checkpoint of 2026-01-02 commits to seq \d+, the export ends at 2000/);
  });

  it('when a checkpoint in the file is altered, then its signature fails at the seq it names', async () => {
    const cps = JSON.parse(fs.readFileSync(file('checkpoints.json'), 'utf8')) as { day: string; seq: number }[];
    const first = cps.find((c) => c.day === '2026-01-01')!;
    first.seq -= 1; // 1 January ends at seq 1440: claim 1439
    fs.writeFileSync(file('forged-checkpoints.json'), JSON.stringify(cps));
    const r = await verifyExport({
      csvPath: prefix('tail.csv'),
      ...opts,
      checkpointPaths: [file('forged-checkpoints.json')],
    });
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: 1439 });
    expect(r.problems[0]!.reason).toBe('checkpoint of 2026-01-01: the signature does not verify');
  });

  it('when a filtered export is checked as such, then gaps are allowed and the rows still verify', async () => {
    const res = await t.http
      .get('/api/v1/ledger/export.csv?type=trade.settled&from=2026-01-06')
      .set('Authorization', regulator.auth)
      .expect(200);
    fs.writeFileSync(file('filtered.csv'), res.text);
    const r = await verifyExport({ csvPath: file('filtered.csv'), ...opts, filtered: true });
    expect(r).toMatchObject({ ok: true });
    expect(r.rows).toBe(
      entries.filter((e) => e.type === 'trade.settled' && e.at >= new Date('2026-01-06T00:00:00+08:00')).length,
    );
    expect((await verifyExport({ csvPath: file('filtered.csv'), ...opts })).ok).toBe(false); // not the whole ledger
  });

  it('when run from the command line, then the exit status is 0 intact, 1 broken, 2 for bad usage', () => {
    const run = (...args: string[]) =>
      spawnSync(path.resolve(__dirname, '../../node_modules/.bin/tsx'), ['scripts/ledger-verify.ts', ...args], {
        cwd: path.resolve(__dirname, '../..'),
        encoding: 'utf8',
      });
    const cpArgs = ['--checkpoints', file('checkpoints.json'), '--public-key', file('key.pem')];
    const ok = run(file('tail.csv'), '--no-checkpoints');
    expect(ok.stdout).toContain(`OK: ${HEAD} entries, seq 1..${HEAD}`);
    expect(ok.status).toBe(0);
    const broken = run(file('tail.csv'), ...cpArgs);
    expect(broken.stdout).toContain(`BROKEN: first broken seq ${HEAD + 1}`);
    expect(broken.status).toBe(1);
    const usage = run(file('export.csv'));
    expect(usage.stderr).toContain('Usage:');
    expect(usage.status).toBe(2);
  });
});
