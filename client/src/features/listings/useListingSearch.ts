import { useQuery } from '@tanstack/react-query';
import { listingsApi } from '../../api/endpoints';
import { keys } from '../../api/queryKeys';

/** One page of the listings search (the catalog, the provider's own, the review queue), cached by its query. */
export function useListingSearch(query: Parameters<typeof listingsApi.search>[0]) {
  return useQuery({
    queryKey: keys.listings.search(query),
    queryFn: ({ signal }) => listingsApi.search(query, signal),
  });
}
