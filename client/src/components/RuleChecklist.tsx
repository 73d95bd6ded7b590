import type { RuleResult } from '../api/types';
import { useI18n } from '../i18n/I18nProvider';

/** The exchange's compliance rules as a checklist: each rule named, passed (✓) or failed (✗), with the server's detail. */
export function RuleChecklist({ results, testId = 'rule-checklist' }: { results: RuleResult[]; testId?: string }) {
  const { t, tEnum, tMessage } = useI18n();
  return (
    <ul className="checklist" data-testid={testId}>
      {results.map((r, i) => (
        <li
          key={`${r.rule}-${i}`}
          className={`checklist__item checklist__item--${r.ok ? 'ok' : 'failed'}`}
          data-testid="rule"
          data-rule={r.rule}
          data-ok={String(r.ok)}
        >
          <span className="checklist__mark" aria-hidden="true">
            {r.ok ? '✓' : '✗'}
          </span>
          <span>
            <span className="sr-only">{r.ok ? t('rules.passed') : t('rules.failed')}: </span>
            <strong>{tEnum('rule', r.rule)}</strong>
            {r.detail && <span className="muted"> — {tMessage(r.detail)}</span>}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** The checklist of a refused approval: `checklist` when the problem carries it, else its failed `errors`. */
export function rulesFromProblem(
  body: Record<string, unknown>,
  errors: { path: string; message: string }[],
): RuleResult[] {
  const list = body.checklist;
  if (Array.isArray(list) && list.every((r) => typeof r === 'object' && r !== null && 'rule' in r)) {
    return list as RuleResult[];
  }
  return errors.map((e) => ({ rule: e.path.replace(/^rules\./, ''), ok: false, detail: e.message }));
}
