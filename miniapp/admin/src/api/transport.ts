import type { ApiError } from '@shared/api';
import { clearSession, getSession } from './session';

/** Every failed call ends as one of these: the API's own `{code, message, details}`, or ours for the network. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  query?: Query;
  body?: unknown;
  signal?: AbortSignal;
  /** Send the session token (default). The login call sends none, and its 401 is a wrong password. */
  auth?: boolean;
}

let onUnauthenticated: () => void = () => {};

/** The app decides what a rejected or expired session does (send the user to the login page). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** The one fetch of the app: JSON in, JSON out, errors as RequestError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const auth = opts.auth ?? true;
  const session = auth ? getSession() : null;
  if (auth && !session) {
    onUnauthenticated();
    throw new RequestError(401, 'UNAUTHENTICATED', '登录已过期，请重新登录');
  }
  const headers: Record<string, string> = { accept: 'application/json' };
  if (session) headers.authorization = `Bearer ${session.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${queryString(opts.query)}`, {
      method: opts.method ?? (opts.body === undefined ? 'GET' : 'POST'),
      headers,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new RequestError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (res.ok) return json as T;
  const error = (json as ApiError | undefined)?.error;
  if (res.status === 401 && auth) {
    clearSession();
    onUnauthenticated();
  }
  if (error?.code) throw new RequestError(res.status, error.code, error.message, error.details);
  throw new RequestError(res.status, `HTTP_${res.status}`, `服务暂时不可用（${res.status}），请稍后再试`);
}

/**
 * A call whose answer is not JSON (an image, a PDF read as a stream): the token sent as in
 * `request`, a failure read as the API's error (a 429's wait taken from Retry-After when the body
 * has none), the Response itself when it succeeded, its body not yet read.
 */
export async function requestResponse(path: string, opts: Pick<RequestOptions, 'query' | 'signal'> = {}): Promise<Response> {
  const session = getSession();
  if (!session) {
    onUnauthenticated();
    throw new RequestError(401, 'UNAUTHENTICATED', '登录已过期，请重新登录');
  }
  let res: Response;
  try {
    res = await fetch(`/api/v1${path}${queryString(opts.query)}`, { headers: { authorization: `Bearer ${session.token}` }, signal: opts.signal });
  } catch (err) {
    if ((err as Error)?.name === 'AbortError') throw err;
    throw new RequestError(0, 'NETWORK', '网络连接失败，请检查网络后重试');
  }
  if (res.ok) return res;
  let error: ApiError['error'] | undefined;
  try {
    error = ((await res.json()) as ApiError | undefined)?.error;
  } catch {
    error = undefined;
  }
  if (res.status === 401) {
    clearSession();
    onUnauthenticated();
  }
  const retryAfter = Number(res.headers.get('retry-after'));
  const details = error?.details ?? (retryAfter > 0 ? { retryAfterSeconds: retryAfter } : undefined);
  if (error?.code) throw new RequestError(res.status, error.code, error.message, details);
  throw new RequestError(res.status, `HTTP_${res.status}`, `服务暂时不可用（${res.status}），请稍后再试`, details);
}
