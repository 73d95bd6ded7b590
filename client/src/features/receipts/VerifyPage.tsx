import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import {
  CHECK_LABELS,
  claimText,
  CLAIM_LABELS,
  orderedClaims,
  parseVerifyInput,
  RECEIPT_TITLES,
  verifyBundle,
  type BundleVerdict,
  type ConsistencyBundle,
  type ProofBundle,
  type ReceiptBundle,
} from '@zdec/shared';
import { asApiError, type ApiError } from '../../api/errors';
import { PageHeader, ProblemAlert } from '../../components/ui';
import { useI18n } from '../../i18n/I18nProvider';
import { receiptsApi } from './receiptsApi';

interface Outcome {
  bundle: ReceiptBundle | ProofBundle;
  verdict: BundleVerdict;
  keyId: string;
}

/**
 * Fetches what the input names and checks it here, in the browser, with the shared verifier: the
 * server supplies data only (bundle, public key, consistency proof); every hash and the Ed25519
 * signature are computed client-side. The key is the one the exchange publishes at
 * /ledger/public-key (its id is shown, to compare with the printed one).
 */
async function check(input: string): Promise<Outcome> {
  const what = parseVerifyInput(input);
  if (!what) throw new Error('unrecognised');
  const bundle =
    'digest' in what
      ? await receiptsApi.byDigest(what.digest)
      : 'number' in what
        ? (await receiptsApi.lookup(what.number)).proof
        : await receiptsApi.proof(what.seq);
  const key = await receiptsApi.publicKey();
  let consistency: ConsistencyBundle | undefined;
  try {
    consistency = await receiptsApi.consistency(bundle.treeHead.size);
  } catch {
    consistency = undefined; // no newer signed head to compare with: the receipt's head alone
  }
  const verdict = verifyBundle(bundle, {
    publicKeyPem: key.publicKeyPem,
    expectedDigest: 'digest' in what ? what.digest : undefined,
    consistency,
  });
  return { bundle, verdict, keyId: key.keyId };
}

export function VerifyPage() {
  const { t, locale } = useI18n();
  const lang = locale === 'en' ? 'en' : 'zh';
  const [params] = useSearchParams();
  const initial = params.get('d') ? `${window.location.origin}/verify?d=${params.get('d')}` : (params.get('q') ?? '');
  const [input, setInput] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const [error, setError] = useState<ApiError | 'unrecognised'>();

  const run = useCallback(async (text: string) => {
    setBusy(true);
    setOutcome(undefined);
    setError(undefined);
    try {
      setOutcome(await check(text));
    } catch (err) {
      setError(err instanceof Error && err.message === 'unrecognised' ? 'unrecognised' : asApiError(err));
    } finally {
      setBusy(false);
    }
  }, []);

  useEffect(() => {
    if (initial) void run(initial);
  }, [initial, run]);

  const submit = (e: FormEvent) => {
    e.preventDefault();
    void run(input);
  };

  const ok = outcome?.verdict.ok;
  const b = outcome?.bundle;
  return (
    <div className="verify-page" data-testid="verify-page">
      <PageHeader title={t('verify.title')} subtitle={t('verify.subtitle')} />
      <form className="card" onSubmit={submit}>
        <label className="field">
          <span className="field__label">{t('verify.inputLabel')}</span>
          <input
            className="input"
            value={input}
            onChange={(e) => setInput(e.target.value)}
            placeholder="https://…/verify?d=…  ·  DR-410100-2026-000001  ·  ZDEC-2026-000001  ·  ORD-2026-000001"
            data-testid="verify-input"
          />
        </label>
        <button type="submit" className="btn" disabled={busy || !input.trim()} data-testid="verify-submit">
          {busy ? t('common.working') : t('verify.submit')}
        </button>
      </form>

      {error === 'unrecognised' && (
        <div className="verify-result verify-result--bad" data-testid="verify-result" data-ok="false">
          {t('verify.unrecognised')}
        </div>
      )}
      {error && error !== 'unrecognised' && (
        <div className="verify-result verify-result--bad" data-testid="verify-result" data-ok="false">
          <strong>{t('verify.notFound')}</strong>
          <ProblemAlert error={error} testId="verify-error" />
        </div>
      )}

      {outcome && b && (
        <section
          className={`verify-result ${ok ? 'verify-result--ok' : 'verify-result--bad'}`}
          data-testid="verify-result"
          data-ok={String(ok)}
        >
          <h2>{ok ? `✓ ${t('verify.genuine')}` : `✗ ${t('verify.notGenuine')}`}</h2>
          {b.kind === 'zdec-receipt/v1' && <p className="verify-kind">{RECEIPT_TITLES[b.receipt][lang]}</p>}
          <ul className="verify-checks" data-testid="verify-checks">
            {outcome.verdict.checks.map((c) => (
              <li key={c.id} data-check={c.id} data-ok={String(c.ok)}>
                <span className="verify-mark">{c.ok === true ? '✓' : c.ok === false ? '✗' : '–'}</span>{' '}
                <strong>{CHECK_LABELS[c.id][lang]}</strong>
                <div className="verify-detail">{c.detail}</div>
              </li>
            ))}
          </ul>
          <p className="verify-note">{t('verify.inBrowser', { keyId: outcome.keyId })}</p>
          <table className="facts-table">
            <tbody>
              {b.kind === 'zdec-receipt/v1'
                ? orderedClaims(b.claims).map(([k, v]) => (
                    <tr key={k}>
                      <th>{CLAIM_LABELS[k]?.[lang] ?? k}</th>
                      <td>{claimText(k, v)}</td>
                    </tr>
                  ))
                : Object.entries(b.entry).map(([k, v]) => (
                    <tr key={k}>
                      <th>{k}</th>
                      <td>{Array.isArray(v) ? v.join(', ') : String(v)}</td>
                    </tr>
                  ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
