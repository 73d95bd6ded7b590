import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { App } from './App';
import { AuthProvider } from './auth/AuthProvider';
import { I18nProvider } from './i18n/I18nProvider';
import { ApiError } from './api/errors';
import { getSession, subscribeSession } from './api/session';
import './styles.css';

/** A refusal (4xx) is the answer, not a hiccup: only network and server failures are retried, once. */
function retry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 1;
}

const queryClient = new QueryClient({
  defaultOptions: {
    // No refetch on focus: what a page shows changes when the user acts, and browser tests stay deterministic.
    // staleTime 0: a page shown again refetches (others' changes show too); this user's changes invalidate what they touch.
    queries: { retry, refetchOnWindowFocus: false, staleTime: 0 },
    mutations: { retry: false },
  },
});

// Another user (or none) sees nothing of what the previous one loaded.
let sessionToken = getSession()?.token ?? '';
subscribeSession((session) => {
  const next = session?.token ?? '';
  if (next !== sessionToken) queryClient.clear();
  sessionToken = next;
});

const root = document.getElementById('root');
if (!root) throw new Error('#root missing from index.html');

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <I18nProvider>
        <AuthProvider>
          <BrowserRouter>
            <App />
          </BrowserRouter>
        </AuthProvider>
      </I18nProvider>
    </QueryClientProvider>
  </StrictMode>,
);

declare module '@tanstack/react-query' {
  interface Register {
    /** Every api call fails with an ApiError (see api/http.ts). */
    defaultError: ApiError;
  }
}
