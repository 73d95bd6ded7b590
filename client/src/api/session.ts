import type { UserView } from '@zdec/shared';

const TOKEN_KEY = 'zdec.token';
const USER_KEY = 'zdec.user';

export interface Session {
  token: string;
  user: UserView;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null; // storage can be disabled (private mode, policies): the session then lives in memory only
  }
}

let current: Session | null = (() => {
  const token = readStorage(TOKEN_KEY);
  const user = readStorage(USER_KEY);
  if (!token || !user) return null;
  try {
    return { token, user: JSON.parse(user) as UserView };
  } catch {
    return null;
  }
})();

/** The signed-in session, or null. */
export function getSession(): Session | null {
  return current;
}

export function getToken(): string | null {
  return current?.token ?? null;
}

/** Stores (or clears) the session and tells every subscriber. */
export function setSession(session: Session | null): void {
  current = session;
  try {
    if (session) {
      window.localStorage.setItem(TOKEN_KEY, session.token);
      window.localStorage.setItem(USER_KEY, JSON.stringify(session.user));
    } else {
      window.localStorage.removeItem(TOKEN_KEY);
      window.localStorage.removeItem(USER_KEY);
    }
  } catch {
    // storage unavailable: keep the in-memory session
  }
  for (const listener of listeners) listener(session);
}

export function subscribeSession(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
