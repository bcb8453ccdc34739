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

function parseJson(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A failed answer as a RequestError: the API's own error, or a generic one for a body that is not
 * the API's. A 429 or 503 whose details carry no wait gets it from the Retry-After header. A 401
 * on a signed-in call ends the session and sends the user to the login page.
 */
function failure(status: number, body: unknown, retryAfterHeader: string | null, signedIn: boolean): RequestError {
  if (status === 401 && signedIn) {
    clearSession();
    onUnauthenticated();
  }
  const error = (body as ApiError | undefined)?.error;
  const retryAfter = Number(retryAfterHeader);
  const given = error?.details as Record<string, unknown> | undefined;
  const details = retryAfter > 0 && (given === undefined || (typeof given === 'object' && !('retryAfterSeconds' in given))) ? { retryAfterSeconds: retryAfter, ...given } : given;
  if (error?.code) return new RequestError(status, error.code, error.message, details);
  return new RequestError(status, `HTTP_${status}`, `服务暂时不可用（${status}），请稍后再试`, details);
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
  const json = parseJson(await res.text());
  if (res.ok) return json as T;
  throw failure(res.status, json, res.headers.get('retry-after'), auth);
}

export interface UploadOptions {
  query?: Query;
  /** The media type the endpoint takes (the file's own type is often wrong: Excel's CSV is `application/vnd.ms-excel`). */
  contentType: string;
  /** Bytes sent so far, of `total`. */
  onProgress?(loaded: number, total: number): void;
  /** The whole body has been sent; the server is working on it. */
  onSent?(): void;
  signal?: AbortSignal;
}

/**
 * A file upload with progress (fetch reports none for a request body): XMLHttpRequest with the
 * session token, the same RequestError values and the same expiry path as request(). A 429 or
 * 503 without `retryAfterSeconds` in its details gets it from the Retry-After header.
 */
export function upload<T>(path: string, body: Blob, opts: UploadOptions): Promise<T> {
  const session = getSession();
  if (!session) {
    onUnauthenticated();
    return Promise.reject(new RequestError(401, 'UNAUTHENTICATED', '登录已过期，请重新登录'));
  }
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `/api/v1${path}${queryString(opts.query)}`);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('authorization', `Bearer ${session.token}`);
    xhr.setRequestHeader('content-type', opts.contentType);
    xhr.upload.onprogress = (e) => opts.onProgress?.(e.loaded, e.lengthComputable ? e.total : body.size);
    xhr.upload.onload = () => opts.onSent?.();
    xhr.onerror = () => reject(new RequestError(0, 'NETWORK', '网络连接失败，请检查网络后重试'));
    xhr.onabort = () => reject(new DOMException('上传已取消', 'AbortError'));
    xhr.onload = () => {
      const json = parseJson(xhr.responseText);
      if (xhr.status >= 200 && xhr.status < 300) resolve(json as T);
      else reject(failure(xhr.status, json, xhr.getResponseHeader('retry-after'), true));
    };
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
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
  throw failure(res.status, parseJson(await res.text().catch(() => '')), res.headers.get('retry-after'), true);
}
