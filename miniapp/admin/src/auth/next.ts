/** Where to go back to after logging in: only a path of this app (no `//host`, no scheme, not the login page). */
export function safeNext(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || /^\/login(\/|\?|$)/.test(next)) return '/';
  return next;
}

/** The login page's path inside the app, remembering `appPath` to come back to. */
export function loginPathFor(appPath: string): string {
  return appPath === '/' ? '/login' : `/login?next=${encodeURIComponent(appPath)}`;
}

/** `pathname` + `search` of the address bar → the path inside the app (without the /admin base). */
export function appPathOf(pathname: string, search: string): string {
  return (pathname.replace(/^\/admin(?=\/|$)/, '') || '/') + search;
}
