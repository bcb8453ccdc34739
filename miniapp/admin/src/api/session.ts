import type { AuthResponse, SessionUser } from '@shared/api';

/**
 * The signed-in user's token: kept in memory, mirrored to sessionStorage so a reload of the tab
 * keeps the session (closing the tab ends it; nothing goes to localStorage or cookies).
 */
export interface Session {
  token: string;
  user: SessionUser;
  /** Epoch milliseconds when the token stops being accepted. */
  expiresAt: number;
}

const STORAGE_KEY = 'cxjl-admin-session';

let current: Session | null | undefined;
const listeners = new Set<(session: Session | null) => void>();

function read(): Session | null {
  try {
    const raw = sessionStorage.getItem(STORAGE_KEY);
    if (!raw) return null;
    const parsed = JSON.parse(raw) as Session;
    if (typeof parsed?.token !== 'string' || typeof parsed.expiresAt !== 'number' || !parsed.user?.role) return null;
    return parsed;
  } catch {
    return null;
  }
}

/** The session, or null when there is none or it has expired. */
export function getSession(): Session | null {
  if (current === undefined) current = read();
  if (current && current.expiresAt <= Date.now()) clearSession();
  return current ?? null;
}

export function startSession(auth: AuthResponse): Session {
  const session: Session = { token: auth.token, user: auth.user, expiresAt: Date.now() + auth.expiresIn * 1000 };
  current = session;
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Private mode or storage full: the session still lives in memory for this page.
  }
  listeners.forEach((l) => l(session));
  return session;
}

export function clearSession(): void {
  const had = current != null;
  current = null;
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // ignore
  }
  if (had) listeners.forEach((l) => l(null));
}

export function onSessionChange(listener: (session: Session | null) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
