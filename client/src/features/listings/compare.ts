import { useCallback, useSyncExternalStore } from 'react';

/**
 * The products chosen for side-by-side comparison (at most 3), kept in the browser: a comparison is
 * a moment's choice, unlike the watch list, which the server keeps per buyer.
 */
export const COMPARE_MAX = 3;
const KEY = 'zdec.compare';
const listeners = new Set<() => void>();

function read(): string[] {
  try {
    const v = JSON.parse(window.localStorage.getItem(KEY) ?? '[]') as unknown;
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').slice(0, COMPARE_MAX) : [];
  } catch {
    return [];
  }
}

let snapshot = read();

function write(ids: string[]): void {
  snapshot = ids;
  try {
    window.localStorage.setItem(KEY, JSON.stringify(ids));
  } catch {
    // storage unavailable: the choice lasts for this page only
  }
  for (const l of listeners) l();
}

function subscribe(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function useCompare() {
  const ids = useSyncExternalStore(subscribe, () => snapshot);
  const toggle = useCallback((id: string) => {
    const cur = snapshot;
    if (cur.includes(id)) write(cur.filter((x) => x !== id));
    else if (cur.length < COMPARE_MAX) write([...cur, id]);
  }, []);
  const clear = useCallback(() => write([]), []);
  return { ids, toggle, clear, full: ids.length >= COMPARE_MAX };
}
