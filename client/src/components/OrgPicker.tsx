import { useEffect, useId, useState } from 'react';
import { supervisionApi } from '../api/buyer-regulator';
import { useI18n, type I18n } from '../i18n/I18nProvider';
import type { FilterField } from './FilterBar';

export interface PickedOrg {
  id: string;
  name: string;
  creditCode: string;
}

const CREDIT_CODE = /^[0-9A-HJ-NPQRTUWXY]{18}$/;

/**
 * An organisation by name or unified social credit code, with suggestions as the user types. The
 * text field stays free: `resolve` turns what was typed into an organisation when it is an exact
 * credit code or the name of a suggestion (the server is the judge: it answers 422 for unknown codes).
 */
export function OrgPicker({
  id,
  value,
  onChange,
  testId,
  ...aria
}: {
  id?: string;
  value: PickedOrg | null;
  onChange: (org: PickedOrg | null, typed: string) => void;
  testId: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  const { t } = useI18n();
  const listId = useId();
  const [text, setText] = useState(value ? value.name : '');
  const [suggestions, setSuggestions] = useState<PickedOrg[]>([]);
  const [open, setOpen] = useState(false);

  useEffect(() => {
    setText(value ? value.name : '');
  }, [value?.id, value?.name]);

  useEffect(() => {
    const q = text.trim();
    if (!open || q.length < 2 || (value && q === value.name)) {
      setSuggestions([]);
      return;
    }
    const ctl = new AbortController();
    const timer = window.setTimeout(() => {
      supervisionApi
        .suggestOrgs(q, ctl.signal)
        .then((r) => setSuggestions(r.items))
        .catch(() => setSuggestions([]));
    }, 200);
    return () => {
      ctl.abort();
      window.clearTimeout(timer);
    };
  }, [text, open, value]);

  function pick(o: PickedOrg) {
    setText(o.name);
    setOpen(false);
    setSuggestions([]);
    onChange(o, o.name);
  }

  return (
    <div className="org-picker">
      <input
        id={id}
        {...aria}
        type="text"
        role="combobox"
        aria-expanded={open && suggestions.length > 0}
        aria-controls={listId}
        autoComplete="off"
        spellCheck={false}
        value={text}
        onFocus={() => setOpen(true)}
        onBlur={() => window.setTimeout(() => setOpen(false), 150)}
        onChange={(e) => {
          setText(e.target.value);
          setOpen(true);
          const typed = e.target.value.trim();
          const exact = suggestions.find((s) => s.name === typed || s.creditCode === typed.toUpperCase());
          onChange(exact ?? null, typed);
        }}
        data-testid={testId}
      />
      {open && suggestions.length > 0 && (
        <ul className="org-picker__list" role="listbox" id={listId}>
          {suggestions.map((o) => (
            <li key={o.id} role="option" aria-selected={value?.id === o.id}>
              <button
                type="button"
                onMouseDown={(e) => e.preventDefault()}
                onClick={() => pick(o)}
                data-testid="org-suggestion"
                data-credit-code={o.creditCode}
              >
                <span>{o.name}</span> <span className="code muted">{o.creditCode}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {value && (
        <p className="muted small" data-testid={`${testId}-selected`}>
          {t('ledgerx.orgSelected', { name: value.name, code: value.creditCode })}
        </p>
      )}
    </div>
  );
}

/**
 * What to filter by for the text typed: the picked organisation, else an exact credit code (looked
 * up), else null (unknown, so the page says so instead of silently widening the filter).
 */
export async function resolveTypedOrg(picked: PickedOrg | null, typed: string): Promise<PickedOrg | null> {
  if (picked) return picked;
  const code = typed.trim().toUpperCase();
  if (!CREDIT_CODE.test(code)) return null;
  const r = await supervisionApi.suggestOrgs(code);
  return r.items.find((o) => o.creditCode === code) ?? null;
}

export interface OrgChoice {
  picked: PickedOrg | null;
  typed: string;
}

/** The organisation filter (ledger, supervision): a picker whose text the page resolves when the form is submitted. */
export function orgFilter(
  path: string,
  testId: string,
  org: OrgChoice,
  setOrg: (org: OrgChoice) => void,
  t: I18n['t'],
): FilterField {
  return {
    kind: 'custom',
    name: 'org',
    label: t('ledgerx.orgFilter'),
    path,
    hint: t('ledgerx.orgFilterHint'),
    render: (p) => (
      <OrgPicker {...p} value={org.picked} onChange={(picked, typed) => setOrg({ picked, typed })} testId={testId} />
    ),
  };
}
