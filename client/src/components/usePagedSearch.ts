import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router';

/** The page size a list asks for unless it says otherwise. */
export const DEFAULT_PAGE_SIZE = 20;

export type FilterValues<K extends string> = { [k in K]: string | undefined };
export type FilterChange<K extends string> = Partial<Record<K | 'page', string | undefined>>;

interface PagedSearchOptions<K extends string> {
  /** The filters the list reads (URL parameter names). */
  filters?: readonly K[];
  /** Rows a page; `null` leaves it to the server (the query then has no `pageSize`). */
  pageSize?: number | null;
  /**
   * Where page and filters live: the URL (the default; a link or reload keeps them), or the
   * component's state (lists that start afresh each visit). `defaults` seed the state.
   */
  inUrl?: boolean;
  defaults?: Partial<Record<K, string>>;
}

export interface PagedSearch<K extends string> {
  page: number;
  filters: FilterValues<K>;
  /** The filters, page and page size, as the list call takes them. */
  query: FilterValues<K> & { page: number; pageSize?: number };
  /** Another page; filters and any other parameters stay. */
  setPage: (page: number) => void;
  /** Changes some filters (empty removes one) and goes back to page 1, unless `page` is among them. */
  setFilters: (next: FilterChange<K>) => void;
  /** Only these filters, as a submitted filter form sets them: every other parameter goes. */
  replaceFilters: (next: FilterChange<K>) => void;
}

function paramsWith(base: URLSearchParams, next: Record<string, string | undefined>): URLSearchParams {
  const p = new URLSearchParams(base);
  for (const [k, v] of Object.entries(next)) {
    if (v === undefined || v === '') p.delete(k);
    else p.set(k, v);
  }
  return p;
}

function pageOf(raw: string | null | undefined): number {
  return Math.max(1, Number(raw ?? '1') || 1);
}

/**
 * A paged, filtered list's inputs: page and filters read from the URL search parameters (or kept in
 * state), one default page size, and setters that go back to page 1 when a filter changes.
 */
export function usePagedSearch<K extends string = never>({
  filters: names = [],
  pageSize = DEFAULT_PAGE_SIZE,
  inUrl = true,
  defaults = {},
}: PagedSearchOptions<K> = {}): PagedSearch<K> {
  const [params, setParams] = useSearchParams();
  const [local, setLocal] = useState<URLSearchParams>(() => paramsWith(new URLSearchParams(), defaults));
  const current = inUrl ? params : local;
  const write = useCallback(
    (update: (current: URLSearchParams) => URLSearchParams) => (inUrl ? setParams(update) : setLocal(update)),
    [inUrl, setParams],
  );

  const page = pageOf(current.get('page'));
  const filters = Object.fromEntries(names.map((k) => [k, current.get(k) ?? undefined])) as FilterValues<K>;
  const setPage = useCallback((p: number) => write((c) => paramsWith(c, { page: String(p) })), [write]);
  const setFilters = useCallback(
    (next: FilterChange<K>) => write((c) => paramsWith(c, { page: undefined, ...next })),
    [write],
  );
  const replaceFilters = useCallback(
    (next: FilterChange<K>) => write(() => paramsWith(new URLSearchParams(), next)),
    [write],
  );
  return {
    page,
    filters,
    query: { ...filters, page, ...(pageSize === null ? {} : { pageSize }) },
    setPage,
    setFilters,
    replaceFilters,
  };
}
