import { useCallback } from 'react';
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';

/** Marks what a change touched as out of date: queries on screen refetch, the rest load afresh when next shown. */
export function useInvalidate(): (affects: readonly QueryKey[]) => void {
  const queryClient = useQueryClient();
  return useCallback(
    (affects) => {
      for (const queryKey of affects) void queryClient.invalidateQueries({ queryKey });
    },
    [queryClient],
  );
}

/**
 * A change on the server (a mutation) that invalidates the queries it `affects` once the server took it
 * (or, with `whenSettled`, also when it refused, for changes that count even so, like a spent quota).
 * The refetch is not awaited: the caller goes on (closes its form) while the page refreshes.
 */
export function useChange<TVariables = void, TData = unknown>(
  mutationFn: (variables: TVariables) => Promise<TData>,
  affects: readonly QueryKey[],
  { whenSettled = false }: { whenSettled?: boolean } = {},
) {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn,
    onSuccess: whenSettled ? undefined : () => invalidate(affects),
    onSettled: whenSettled ? () => invalidate(affects) : undefined,
  });
}
