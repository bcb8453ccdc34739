import Taro from '@tarojs/taro';
import type { ApiError as ApiErrorBody, ScanResponse } from '@shared/api';
// auth.ts sends its login calls through this client: the two modules only call each other
// inside functions, so the import cycle is resolved before any call is made.
import { ensureLogin, renewLogin } from './auth';

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

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

export interface RequestOptions {
  method?: Method;
  query?: Query;
  body?: unknown;
  /** Send the session token, logging in first when there is none. */
  auth?: boolean;
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
  let response: Taro.request.SuccessCallbackResult;
  try {
    response = await Taro.request<unknown>({
      url: buildUrl(path, options.query),
      method: options.method ?? 'GET',
      data: options.body as Taro.request.Option['data'],
      header,
      dataType: 'json',
    });
  } catch (cause) {
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

/** `GET /api/v1/scan`: what a QR URL, a code-with-signature, a bare code or an external code resolves to. Public. */
export function fetchScan(q: string): Promise<ScanResponse> {
  return request<ScanResponse>('/api/v1/scan', { query: { q } });
}
