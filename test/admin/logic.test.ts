/**
 * The admin workspace's decisions that are plain functions: where a login may send the user
 * back to, the Chinese texts of login failures, and how a business form becomes a request body
 * checked by the BFF's own schema.
 */
import { fieldErrors } from '@shared/messages';
import { CreateBusiness } from '@shared/requests/businesses';
import { RequestError } from '../../miniapp/admin/src/api/transport';
import { loginErrorText, waitText } from '../../miniapp/admin/src/auth/loginErrors';
import { appPathOf, loginPathFor, safeNext } from '../../miniapp/admin/src/auth/next';
import { businessBody, serverFieldErrors } from '../../miniapp/admin/src/forms/business';
import { percent } from '../../miniapp/admin/src/format';

describe('going back after login', () => {
  test.each([['/businesses?page=2', '/businesses?page=2'], ['/instruments?due=overdue', '/instruments?due=overdue'], ['/', '/']])('keeps the app path %s', (next, expected) => {
    expect(safeNext(next)).toBe(expected);
  });

  test.each([[null], [''], ['https://evil.example'], ['//evil.example/x'], ['/\\evil.example'], ['javascript:alert(1)'], ['/login'], ['/login?next=%2F']])('refuses %s and goes to the start page', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  test('remembers the page in the login path and reads it back from the address bar', () => {
    expect(loginPathFor('/businesses?form=new')).toBe('/login?next=%2Fbusinesses%3Fform%3Dnew');
    expect(loginPathFor('/')).toBe('/login');
    expect(appPathOf('/admin/businesses', '?form=new')).toBe('/businesses?form=new');
    expect(appPathOf('/admin', '')).toBe('/');
    expect(appPathOf('/administrator', '')).toBe('/administrator');
  });
});

describe('login failures in Chinese', () => {
  test('a wrong password or unknown user', () => {
    expect(loginErrorText(new RequestError(401, 'INVALID_CREDENTIALS', '用户名或密码错误'))).toBe('用户名或密码错误，请重新输入');
  });

  test.each([
    [30, '30 秒'],
    [60, '1 分钟'],
    [90, '1 分 30 秒'],
    [900, '15 分钟'],
    [0.2, '1 秒'],
  ])('a lock of %s s reads "%s"', (seconds, text) => {
    expect(waitText(seconds)).toBe(text);
    expect(loginErrorText(new RequestError(429, 'LOGIN_LOCKED', 'x', { retryAfterSeconds: seconds }))).toBe(`密码错误次数过多，账号已暂时锁定，请 ${text}后再试`);
  });

  test('too many attempts from one address, a network failure, anything else', () => {
    expect(loginErrorText(new RequestError(429, 'RATE_LIMITED', 'x', { retryAfterSeconds: 42 }))).toBe('登录尝试太频繁，请 42 秒后再试');
    expect(loginErrorText(new RequestError(0, 'NETWORK', '网络连接失败，请检查网络后重试'))).toBe('网络连接失败，请检查网络后重试');
    expect(loginErrorText(new Error('boom'))).toBe('登录失败，请稍后再试');
  });
});

describe('the business form', () => {
  const typed = { name: ' 李记水果 ', creditCode: ' 91370102ma3c0000ax ', industry: 'market', regionCode: '370102', address: '   ' };

  test('leaves out empty fields and trims and upper-cases the credit code', () => {
    expect(businessBody(typed)).toEqual({ name: '李记水果', creditCode: '91370102MA3C0000AX', industry: 'market', regionCode: '370102' });
    expect(businessBody({ name: '摊位', creditCode: '', industry: 'market', regionCode: '370102' })).toEqual({ name: '摊位', industry: 'market', regionCode: '370102' });
  });

  test('a bad credit code is an error on that field only, in Chinese, from the BFF schema', () => {
    const errors = fieldErrors(CreateBusiness, businessBody({ ...typed, creditCode: '91370102MA3C0000A0' }));
    expect(Object.keys(errors)).toEqual(['creditCode']);
    expect(errors.creditCode).toMatch(/统一社会信用代码/);
  });

  test("the server's validation details and a taken credit code land on their fields", () => {
    const invalid = new RequestError(400, 'VALIDATION_FAILED', '请求参数不正确', [
      { in: 'body', path: 'creditCode', message: 'CREDIT_CODE_BAD_CHECK_CHARACTER' },
      { in: 'body', path: 'contacts.0.phone', message: 'PHONE_FORMAT' },
    ]);
    expect(serverFieldErrors(invalid)).toEqual({ creditCode: '统一社会信用代码校验位不正确，请核对是否输错', contacts: '电话号码格式不正确' });
    expect(serverFieldErrors(new RequestError(409, 'BUSINESS_EXISTS', '该统一社会信用代码已登记'))).toEqual({ creditCode: '该统一社会信用代码已登记' });
    expect(serverFieldErrors(new RequestError(403, 'FORBIDDEN', '只能在本辖区内登记'))).toEqual({ regionCode: '只能在本辖区内登记' });
    expect(serverFieldErrors(new RequestError(500, 'INTERNAL', 'x'))).toEqual({});
  });
});

describe('dashboard figures', () => {
  test.each([
    [0.875, '87.5%'],
    [1, '100.0%'],
    [0, '0.0%'],
    [0.33333, '33.3%'],
    [null, '—'],
  ])('rate %s shows as %s', (rate, text) => {
    expect(percent(rate)).toBe(text);
  });
});
