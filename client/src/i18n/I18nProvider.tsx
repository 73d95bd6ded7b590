import { fieldMessageCode, type FieldMessageCode } from '@zdec/shared';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { zh, type MessageKey } from './zh';
import { formatDate, formatDateTime, formatNumber, formatPercent } from './format';

export type Locale = 'zh-CN' | 'en';
export type { MessageKey };
const STORAGE_KEY = 'zdec.locale';
const DICTIONARIES: Record<Locale, Record<MessageKey, string>> = { 'zh-CN': zh, en };

/** Kinds of enumerated values that have a translation per value (`domain.transport`, ...). */
export type EnumKind =
  | 'domain'
  | 'grade'
  | 'level'
  | 'openness'
  | 'productType'
  | 'deliveryMode'
  | 'pricingModel'
  | 'paymentMethod'
  | 'orderStatus'
  | 'listingStatus'
  | 'resourceStatus'
  | 'authorizationStatus'
  | 'ledgerType'
  | 'role'
  | 'updateFrequency'
  | 'fieldType'
  | 'detector'
  | 'rule'
  | 'breakReason';

export interface I18n {
  locale: Locale;
  setLocale: (l: Locale) => void;
  /** The message for `key`, with `{name}` placeholders filled from `vars`. */
  t: (key: MessageKey, vars?: Record<string, string | number>) => string;
  /** The name of an enumerated value; unknown values show as they are. */
  tEnum: (kind: EnumKind, value: string | null | undefined) => string;
  /** A field error by its code (a shared schema's FIELD_MESSAGES code), else its English message as sent. */
  tField: (error: { message: string; code?: string }) => string;
  /** A rule's detail from the server: translated where it is a shared schema's message (by that message's code). */
  tMessage: (message: string) => string;
  /** A problem's message by its type (`code`), else its detail as sent. */
  tProblem: (problem: { code: string; detail?: string; title: string }) => string;
  date: (v: string | number | Date | null | undefined) => string;
  dateTime: (v: string | number | Date | null | undefined) => string;
  number: (n: number | null | undefined) => string;
  percent: (fraction: number) => string;
}

function initialLocale(): Locale {
  try {
    const saved = window.localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'zh-CN') return saved;
  } catch {
    // storage unavailable: Chinese first
  }
  return 'zh-CN';
}

const I18nContext = createContext<I18n | null>(null);

/** The shared schemas' own messages, by their code (FIELD_MESSAGES), as our keys. */
const FIELD_KEYS: Record<FieldMessageCode, MessageKey> = {
  email: 'validation.email',
  password: 'validation.password',
  creditCodeLength: 'validation.creditCodeLength',
  creditCode: 'validation.creditCode',
  objectId: 'validation.objectId',
  regionCode: 'validation.regionCode',
  periodDays: 'validation.periodDays',
  rejectReason: 'validation.rejectReason',
  rejectReasons: 'validation.rejectReason',
  validTo: 'validation.validTo',
  fen: 'validation.fen',
  listingCode: 'validation.listingCode',
  range: 'validation.range',
};

/**
 * Problems the pages explain in the reader's language, by problem type (its last segment, the
 * server's AppError code), never by the English detail. Others show the detail as sent.
 */
const PROBLEM_MESSAGES: Record<string, MessageKey> = {
  'bad-credentials': 'server.badCredentials',
  'email-taken': 'server.emailTaken',
  'org-registered': 'server.orgTaken',
  'rate-limited': 'server.rateLimited',
  'weak-password': 'server.weakPassword',
  unauthorized: 'error.unauthorized',
  'token-expired': 'error.unauthorized',
};

export function I18nProvider({ children }: { children: ReactNode }) {
  const [locale, setLocaleState] = useState<Locale>(initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = DICTIONARIES[locale]['app.title'];
  }, [locale]);

  const setLocale = useCallback((l: Locale) => {
    setLocaleState(l);
    try {
      window.localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // not remembered, but switched
    }
  }, []);

  const value = useMemo<I18n>(() => {
    const dict = DICTIONARIES[locale];
    const lookup = dict as Record<string, string>;
    const t: I18n['t'] = (key, vars) => {
      const text = dict[key];
      if (!vars) return text;
      return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in vars ? String(vars[name]) : m));
    };
    const tField: I18n['tField'] = ({ message, code }) => {
      const key = code && code in FIELD_KEYS ? FIELD_KEYS[code as FieldMessageCode] : undefined;
      return key ? dict[key] : message;
    };
    return {
      locale,
      setLocale,
      t,
      tEnum: (kind, v) => (v === null || v === undefined || v === '' ? '—' : (lookup[`${kind}.${v}`] ?? v)),
      tField,
      tMessage: (message) => tField({ message, code: fieldMessageCode(message) }),
      tProblem: (problem) => {
        const key = PROBLEM_MESSAGES[problem.code];
        return key ? dict[key] : problem.detail || problem.title;
      },
      date: (v) => formatDate(v, locale),
      dateTime: (v) => formatDateTime(v, locale),
      number: (n) => formatNumber(n, locale),
      percent: (f) => formatPercent(f, locale),
    };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const ctx = useContext(I18nContext);
  if (!ctx) throw new Error('useI18n outside I18nProvider');
  return ctx;
}
