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
      let json: unknown;
      try {
        json = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        json = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) return resolve(json as T);
      if (xhr.status === 401) {
        clearSession();
        onUnauthenticated();
      }
      const error = (json as ApiError | undefined)?.error;
      const retryAfter = Number(xhr.getResponseHeader('retry-after'));
      const details = Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter, ...(error?.details as object | undefined) } : error?.details;
      if (error?.code) return reject(new RequestError(xhr.status, error.code, error.message, details));
      reject(new RequestError(xhr.status, `HTTP_${xhr.status}`, `服务暂时不可用（${xhr.status}），请稍后再试`, details));
    };
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });
}
