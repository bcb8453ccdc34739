import { RequestError } from '../api/transport';

/** "30 秒", "2 分钟", "1 分 30 秒": how long a locked account must wait. */
export function waitText(seconds: number): string {
  const s = Math.max(1, Math.ceil(seconds));
  if (s < 60) return `${s} 秒`;
  const m = Math.floor(s / 60);
  const rest = s % 60;
  return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
}

/** The Chinese sentence a failed login shows. */
export function loginErrorText(error: unknown): string {
  if (!(error instanceof RequestError)) return '登录失败，请稍后再试';
  const wait = (error.details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
  switch (error.code) {
    case 'INVALID_CREDENTIALS':
      return '用户名或密码错误，请重新输入';
    case 'LOGIN_LOCKED':
      return `密码错误次数过多，账号已暂时锁定，请 ${waitText(wait ?? 60)}后再试`;
    case 'RATE_LIMITED':
      return `登录尝试太频繁，请 ${waitText(wait ?? 60)}后再试`;
    case 'VALIDATION_FAILED':
      return '请填写用户名和密码';
    default:
      return error.message || '登录失败，请稍后再试';
  }
}
