import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { claimText, CLAIM_LABELS, orderedClaims, RECEIPT_KINDS, RECEIPT_TITLES, type ReceiptKind } from '@zdec/shared';
import { asApiError, type ApiError } from '../../api/errors';
import { AsyncBlock, ProblemAlert } from '../../components/ui';
import { useQuery } from '@tanstack/react-query';
import { keys } from '../../api/queryKeys';
import { useI18n } from '../../i18n/I18nProvider';
import { receiptsApi } from './receiptsApi';

/** The printable certificate or receipt of one record, for its holder: claims, QR code, PDF. */
export function ReceiptPage() {
  const { kind = '', id = '' } = useParams();
  const k = (RECEIPT_KINDS as readonly string[]).includes(kind) ? (kind as ReceiptKind) : 'trade';
  const state = useQuery({ queryKey: keys.receipts(k, id), queryFn: ({ signal }) => receiptsApi.issue(k, id, signal) });
  const { t, locale } = useI18n();
  const lang = locale === 'en' ? 'en' : 'zh';
  const [pdfError, setPdfError] = useState<ApiError>();
  return (
    <AsyncBlock state={state}>
      {(r) => (
        <article className="receipt" data-testid="receipt" data-kind={r.bundle.receipt} data-digest={r.digest}>
          <div className="receipt__head">
            <p className="receipt__issuer">{t('app.exchange')} · ZDEC</p>
            <h1>{RECEIPT_TITLES[r.bundle.receipt].zh}</h1>
            <p className="receipt__en">{RECEIPT_TITLES[r.bundle.receipt].en}</p>
          </div>
          <table className="receipt__claims">
            <tbody>
              {orderedClaims(r.bundle.claims).map(([key, v]) => (
                <tr key={key}>
                  <th>{CLAIM_LABELS[key]?.[lang] ?? key}</th>
                  <td>{claimText(key, v)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="receipt__proof">
            <img
              className="receipt__qr"
              data-testid="receipt-qr"
              alt={t('receipt.qrAlt')}
              src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(r.qrSvg)}`}
            />
            <div>
              <p>{t('receipt.scan')}</p>
              <p>
                <Link to={`/verify?d=${r.digest}`} data-testid="receipt-verify-link">
                  {r.verifyUrl}
                </Link>
              </p>
              <p className="receipt__mono">
                {t('receipt.digest')}: {r.digest}
              </p>
              <p className="receipt__mono">
                {t('receipt.head', { size: r.bundle.treeHead.size, keyId: r.bundle.treeHead.keyId })}
              </p>
            </div>
          </div>
          <div className="receipt__actions no-print">
            <button type="button" className="btn" onClick={() => window.print()} data-testid="receipt-print">
              {t('receipt.print')}
            </button>
            <button
              type="button"
              className="btn btn--secondary"
              data-testid="receipt-pdf"
              onClick={() => receiptsApi.pdf(k, id, r.digest).catch((e: unknown) => setPdfError(asApiError(e)))}
            >
              {t('receipt.pdf')}
            </button>
            {pdfError && <ProblemAlert error={pdfError} />}
          </div>
        </article>
      )}
    </AsyncBlock>
  );
}

/** A link to a record's receipt, for pages that show the record to its holder. */
export function ReceiptLink({ kind, id }: { kind: ReceiptKind; id: string }) {
  const { t } = useI18n();
  return (
    <Link className="btn btn--secondary" to={`/receipts/${kind}/${id}`} data-testid={`receipt-link-${kind}`}>
      {t(`receipt.open.${kind}`)}
    </Link>
  );
}
