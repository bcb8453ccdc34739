/**
 * Domain errors: thrown once anywhere, turned into `{ error: { code, message, details } }` by the
 * error middleware. Codes are stable API; messages are for people (Chinese where users see them).
 */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const validationFailed = (details: unknown) => new AppError(400, 'VALIDATION_FAILED', '请求参数不正确', details);
export const unauthenticated = (message = '请先登录') => new AppError(401, 'UNAUTHENTICATED', message);
export const forbidden = (message = '无权执行此操作') => new AppError(403, 'FORBIDDEN', message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);
export const rateLimited = (retryAfterSeconds: number) =>
  new AppError(429, 'RATE_LIMITED', '操作太频繁，请稍后再试', { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });

/** How long a client should wait before retrying when MongoDB cannot be reached. */
export const DB_RETRY_AFTER_SECONDS = 5;
export const dbUnavailable = () =>
  new AppError(503, 'DB_UNAVAILABLE', '数据服务暂时不可用，请稍后再试', { retryAfterSeconds: DB_RETRY_AFTER_SECONDS }, { 'Retry-After': String(DB_RETRY_AFTER_SECONDS) });
export const loginLocked = (retryAfterSeconds: number) =>
  new AppError(429, 'LOGIN_LOCKED', '密码错误次数过多，请稍后再试', { retryAfterSeconds }, { 'Retry-After': String(retryAfterSeconds) });
