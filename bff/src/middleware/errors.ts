import type { Middleware } from 'koa';
import { AppError, dbUnavailable } from '../errors';

/** Koa/http-errors raised by libraries (body parser, router), mapped to our stable codes. */
const HTTP_ERROR_CODES: Record<number, [string, string]> = {
  400: ['BAD_REQUEST', '请求格式不正确'],
  404: ['NOT_FOUND', '资源不存在'],
  405: ['METHOD_NOT_ALLOWED', '不支持该请求方法'],
  413: ['PAYLOAD_TOO_LARGE', '请求内容过大'],
  415: ['UNSUPPORTED_MEDIA_TYPE', '不支持的内容类型'],
};

/**
 * The one place errors become HTTP: `{ error: { code, message, details? } }`. Anything that is
 * not a known error is a 500 with a generic message; the stack goes to the log, never the client.
 */
export function errorHandler(): Middleware {
  return async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      const { status, code, message, details, headers } = toHttpError(err);
      if (status >= 500) ctx.state.log?.error({ err }, 'unhandled error');
      ctx.status = status;
      if (headers) ctx.set(headers);
      ctx.body = { error: details === undefined ? { code, message } : { code, message, details } };
    }
  };
}

function toHttpError(err: unknown): { status: number; code: string; message: string; details?: unknown; headers?: Record<string, string> } {
  if (err instanceof AppError) return err;
  if (isDatabaseUnreachable(err)) return dbUnavailable();
  const e = err as { status?: number; statusCode?: number; expose?: boolean; name?: string; code?: number };
  if (e?.name === 'CastError') return { status: 400, code: 'VALIDATION_FAILED', message: '请求参数不正确' };
  if (e?.code === 11000) return { status: 409, code: 'DUPLICATE', message: '记录已存在' };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const [code, message] = HTTP_ERROR_CODES[status] ?? ['BAD_REQUEST', '请求无法处理'];
    return { status, code, message };
  }
  return { status: 500, code: 'INTERNAL', message: '服务器内部错误' };
}

/**
 * MongoDB could not be reached in time (no server to select, connection dropped, Mongoose gave
 * up buffering): a 503 the client may retry, not a 500. Matched by name because Mongoose and the
 * driver each have their own classes for it.
 */
const UNREACHABLE = /^Mongo(ose)?(ServerSelection|Network|NetworkTimeout|NotConnected|PoolCleared|TopologyClosed)Error$/;

function isDatabaseUnreachable(err: unknown): boolean {
  const e = err as { name?: unknown; message?: unknown } | null;
  if (typeof e?.name !== 'string') return false;
  return UNREACHABLE.test(e.name) || (e.name === 'MongooseError' && typeof e.message === 'string' && e.message.includes('buffering timed out'));
}
