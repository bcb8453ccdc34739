import Taro from '@tarojs/taro';
import type { ApiError as ApiErrorBody } from '@shared/api';
// auth.ts sends its login calls through this client: the two modules only call each other
// inside functions, so the import cycle is resolved before any call is made.
import { ensureLogin, renewLogin } from '../auth';

/** A failed API call as the pages see it: the server's stable code and message, and the HTTP status (0: no answer). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const NETWORK_ERROR = 'NETWORK_ERROR';
export const UNEXPECTED_RESPONSE = 'UNEXPECTED_RESPONSE';
/** The caller went away (a page unmounted) before the answer came; nobody shows this one. */
export const CANCELLED = 'CANCELLED';

/**
 * Lets a page stop what it asked for when it goes away. Mini-program runtimes have no
 * AbortController, so this is the small part of it we need: a flag and the aborts to run.
 */
export class Cancellation {
  private aborts: Array<() => void> = [];
  cancelled = false;

  onCancel(abort: () => void): void {
    if (this.cancelled) abort();
    else this.aborts.push(abort);
  }

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    for (const abort of this.aborts.splice(0)) abort();
  }
}

export function asApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  return new ApiError('CLIENT_ERROR', error instanceof Error ? error.message : String(error), 0);
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: Method;
  query?: Query;
  body?: unknown;
  /** Send the session token, logging in first when there is none. */
  auth?: boolean;
  /** Abort the request when this is cancelled (the answer then rejects with CANCELLED). */
  cancellation?: Cancellation;
}

function buildUrl(path: string, query?: Query): string {
  const pairs = Object.entries(query ?? {})
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  return `${API_BASE}${path}${pairs.length > 0 ? `?${pairs.join('&')}` : ''}`;
}

function isErrorBody(data: unknown): data is ApiErrorBody {
  const error = (data as ApiErrorBody | null)?.error;
  return typeof error === 'object' && error !== null && typeof error.code === 'string';
}

function toApiError(statusCode: number, data: unknown): ApiError {
  if (isErrorBody(data)) return new ApiError(data.error.code, data.error.message, statusCode, data.error.details);
  return new ApiError(UNEXPECTED_RESPONSE, `服务器返回了意外的结果（${statusCode}）`, statusCode);
}

async function send<T>(path: string, options: RequestOptions, token: string | null): Promise<T> {
  const header: Record<string, string> = { Accept: 'application/json' };
  if (options.body !== undefined) header['Content-Type'] = 'application/json';
  if (token) header.Authorization = `Bearer ${token}`;
  const cancellation = options.cancellation;
  if (cancellation?.cancelled) throw new ApiError(CANCELLED, '已取消', 0);
  let response: Taro.request.SuccessCallbackResult;
  try {
    const task = Taro.request<unknown>({
      url: buildUrl(path, options.query),
      method: options.method ?? 'GET',
      data: options.body as Taro.request.Option['data'],
      header,
      dataType: 'json',
    });
    cancellation?.onCancel(() => task.abort?.());
    response = await task;
  } catch (cause) {
    if (cancellation?.cancelled) throw new ApiError(CANCELLED, '已取消', 0);
    throw new ApiError(NETWORK_ERROR, '网络连接失败，请检查网络后重试', 0, cause);
  }
  if (response.statusCode >= 200 && response.statusCode < 300) return response.data as T;
  throw toApiError(response.statusCode, response.data);
}

/**
 * The one HTTP entry point of the mini-program. Authenticated calls carry the stored token;
 * a 401 means it expired or was revoked, so log in again once and repeat the call.
 */
export async function request<T>(path: string, options: RequestOptions = {}): Promise<T> {
  if (!options.auth) return send<T>(path, options, null);
  const token = await ensureLogin();
  try {
    return await send<T>(path, options, token);
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return send<T>(path, options, await renewLogin());
  }
}

/**
 * `multipart/form-data` upload of one local file (a photo from chooseImage) in field `name`,
 * with the session token; the answer is parsed as JSON like any other call.
 */
export async function uploadFile<T>(path: string, filePath: string, name: string): Promise<T> {
  const attempt = async (token: string) => {
    let response: Taro.uploadFile.SuccessCallbackResult;
    try {
      response = await Taro.uploadFile({ url: buildUrl(path), filePath, name, header: { Authorization: `Bearer ${token}`, Accept: 'application/json' } });
    } catch (cause) {
      throw new ApiError(NETWORK_ERROR, '网络连接失败，请检查网络后重试', 0, cause);
    }
    let data: unknown = response.data;
    try {
      data = JSON.parse(response.data);
    } catch {
      // not JSON: reported as an unexpected answer below
    }
    if (response.statusCode >= 200 && response.statusCode < 300) return data as T;
    throw toApiError(response.statusCode, data);
  };
  try {
    return await attempt(await ensureLogin());
  } catch (error) {
    if (!(error instanceof ApiError) || error.status !== 401) throw error;
    return attempt(await renewLogin());
  }
}
