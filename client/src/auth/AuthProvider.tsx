import { createContext, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import type { Role, UserView } from '@zdec/shared';
import { authApi } from '../api/endpoints';
import { getSession, setSession, subscribeSession, type Session } from '../api/session';

interface AuthContextValue {
  user: UserView | null;
  role: Role | null;
  signIn: (session: Session) => void;
  signOut: () => void;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const [session, setState] = useState<Session | null>(getSession);

  useEffect(() => subscribeSession(setState), []);

  // Refresh the stored user once (role or organisation may have changed); a refused token ends the session.
  useEffect(() => {
    const current = getSession();
    if (!current) return;
    const controller = new AbortController();
    authApi
      .me(controller.signal)
      .then((user) => {
        const now = getSession();
        if (now && now.token === current.token) setSession({ token: now.token, user });
      })
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  const value = useMemo<AuthContextValue>(
    () => ({
      user: session?.user ?? null,
      role: session?.user.role ?? null,
      signIn: (s) => setSession(s),
      signOut: () => {
        // The server ends the user's tokens (issue 12 #7); the local session goes whatever it answers.
        void authApi.logout().catch(() => undefined);
        setSession(null);
      },
    }),
    [session],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const ctx = useContext(AuthContext);
  if (!ctx) throw new Error('useAuth outside AuthProvider');
  return ctx;
}
