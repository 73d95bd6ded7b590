import { useCallback } from 'react';
import { useSearchParams } from 'react-router';

/** A list's page number, kept in the URL (`?page=`) with the other parameters left as they are. */
export function useUrlPage(): { page: number; setPage: (page: number) => void } {
  const [params, setParams] = useSearchParams();
  const page = Math.max(1, Number(params.get('page') ?? '1') || 1);
  const setPage = useCallback(
    (p: number) =>
      setParams((current) => {
        const next = new URLSearchParams(current);
        next.set('page', String(p));
        return next;
      }),
    [setParams],
  );
  return { page, setPage };
}
