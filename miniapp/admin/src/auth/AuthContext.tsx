import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useNavigate } from 'react-router-dom';
import { clearSession, getSession, onSessionChange, startSession, type Session } from '../api/session';
import { setUnauthenticatedHandler } from '../api/transport';
import { appPathOf, loginPathFor } from './next';
import type { AuthResponse } from '@shared/api';

interface AuthValue {
  session: Session | null;
  signIn(auth: AuthResponse): void;
  signOut(): void;
}

const AuthContext = createContext<AuthValue | null>(null);

/** The path inside the app (without /admin) the user is on now, to come back to after logging in. */
function currentAppPath(): string {
  return appPathOf(window.location.pathname, window.location.search);
}

/**
 * Holds the session and sends the user to the login page (remembering where they were) when the
 * API rejects the token or it expires while the page is open.
 */
export function AuthProvider({ children }: { children: ReactNode }) {
  const navigate = useNavigate();
  const [session, setSession] = useState<Session | null>(() => getSession());

  useEffect(() => onSessionChange(setSession), []);

  const toLogin = useCallback(() => {
    const here = currentAppPath();
    if (here.startsWith('/login')) return;
    navigate(loginPathFor(here), { replace: true, state: { expired: true } });
  }, [navigate]);

  useEffect(() => setUnauthenticatedHandler(toLogin), [toLogin]);

  useEffect(() => {
    if (!session) return;
    const timer = window.setTimeout(() => {
      clearSession();
      toLogin();
    }, Math.min(Math.max(session.expiresAt - Date.now(), 0), 2 ** 31 - 1));
    return () => window.clearTimeout(timer);
  }, [session, toLogin]);

  const value = useMemo<AuthValue>(
    () => ({
      session,
      signIn: (auth) => setSession(startSession(auth)),
      signOut: () => {
        clearSession();
        navigate('/login', { replace: true });
      },
    }),
    [session, navigate],
  );
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthValue {
  const value = useContext(AuthContext);
  if (!value) throw new Error('useAuth outside AuthProvider');
  return value;
}
