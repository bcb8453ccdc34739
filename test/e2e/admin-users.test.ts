/**
 * The admin workspace's account screen (miniapp/admin/src/pages/UsersPage.tsx) in a desktop
 * Chromium against the real BFF, the embedded MongoDB and the demo data: creating a regulator
 * (errors under their fields first), that regulator signing in, disabling and enabling an
 * account, resetting a password, editing a region, the list's filters, and axe on each view.
 */
import type { Page } from 'playwright-core';
import type { ListResponse, StaffUserView } from '@shared/api';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
let page: Page;

beforeEach(async () => {
  page = await ws.newPage();
});

const testName = () => expect.getState().currentTestName ?? 'page';
const drawer = () => page.locator('.ant-drawer').getByRole('dialog');
const modal = () => page.getByRole('dialog').filter({ hasText: '重置密码：' });
const item = (scope: ReturnType<typeof drawer>, label: string) => scope.locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) });
const fieldError = (scope: ReturnType<typeof drawer>, label: string) => item(scope, label).locator('.ant-form-item-explain-error');
/** Waits until a field shows no error (a cleared error fades out before it leaves the page). */
const noError = (scope: ReturnType<typeof drawer>, label: string) => fieldError(scope, label).first().waitFor({ state: 'detached' });
const row = (username: string) => page.locator('.ant-table-row').filter({ has: page.getByRole('cell', { name: username, exact: true }) });
const statusOf = (username: string) => row(username).locator('td:nth-child(5)').innerText();

/** A username no earlier run or test used. */
const fresh = (() => {
  let n = 0;
  return (stem: string) => `${stem}-${Date.now().toString(36)}${(n += 1)}`;
})();

const tokenOf = (p: Page) => p.evaluate(() => JSON.parse(sessionStorage.getItem('cxjl-admin-session')!).token as string);

async function apiCall(token: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<Response> {
  return fetch(`${ws.stack.baseUrl}/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}) },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
}

/** A regulator of 历下区 made through the API with the admin's token. */
async function createRegulator(adminToken: string, username: string, password: string): Promise<StaffUserView> {
  const res = await apiCall(adminToken, '/admin/users', { method: 'POST', body: { role: 'regulator', username, password, displayName: `${username} 测试`, regionCode: '370102' } });
  expect(res.status).toBe(201);
  return (await res.json()) as StaffUserView;
}

async function pickRegion(label: string, names: string[]) {
  await drawer().getByLabel(label).click();
  for (const name of names) await page.locator('.ant-cascader-menu-item').filter({ hasText: new RegExp(`^${name}$`) }).click();
}

describe('creating accounts', () => {
  test('a regulator of 历下区: a short password and no region are refused under their fields, a taken username under 用户名; the new account signs in and sees 历下区', async () => {
    await ws.signedInAs('admin', '/users', page);
    await page.getByRole('heading', { name: '用户' }).waitFor();
    await row('lixia').waitFor();
    await shoot(page, 'admin-users-list');
    await expectSettledAccessible(page, testName());

    await page.getByRole('button', { name: '新建用户' }).click();
    await page.waitForURL((u) => u.searchParams.get('form') === 'new');
    await drawer().getByText('新建用户').waitFor();
    // The role comes first; a regulator's form asks for 辖区, not 检定机构.
    await expect(item(drawer(), '角色').innerText()).resolves.toContain('监管人员');
    await expect(drawer().getByLabel('检定机构').count()).resolves.toBe(0);
    const username = fresh('lixia-reg');
    await drawer().getByLabel('用户名').fill(username);
    await drawer().getByLabel('显示名称').fill('历下区新监管员（测试）');
    await drawer().getByLabel('初始密码').fill('short');
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await expect(fieldError(drawer(), '初始密码').textContent()).resolves.toBe('密码至少10位');
    await expect(fieldError(drawer(), '辖区').textContent()).resolves.toBe('请选择辖区');
    await expect(fieldError(drawer(), '用户名').count()).resolves.toBe(0);
    await shoot(page, 'admin-users-create-errors');
    await expectSettledAccessible(page, testName());

    // A verifier's form asks for the institution instead.
    await drawer().getByLabel('角色').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '检定人员' }).click();
    await drawer().getByLabel('检定机构').waitFor();
    await expect(drawer().getByLabel('辖区').count()).resolves.toBe(0);
    await drawer().getByLabel('角色').click();
    await page.locator('.ant-select-item-option').filter({ hasText: '监管人员' }).click();

    await pickRegion('辖区', ['山东省', '济南市', '历下区']);
    await drawer().getByRole('button', { name: '生成' }).click();
    const password = await drawer().getByLabel('初始密码').inputValue();
    expect(password).toMatch(/^[A-Za-z2-9]{16}$/);
    await noError(drawer(), '初始密码');
    await drawer().getByLabel('用户名').fill('lixia');
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await expect(fieldError(drawer(), '用户名').textContent()).resolves.toBe('该用户名已被使用');
    await noError(drawer(), '辖区');

    await drawer().getByLabel('用户名').fill(username);
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => u.pathname === '/admin/users' && !u.searchParams.has('form'));
    await row(username).waitFor();
    await settled(page);
    await expect(row(username).innerText()).resolves.toMatch(/历下区新监管员（测试）\s+监管人员\s+历下区\s+已启用/);
    const stored = await ws.stack.server.deps.models.User.findOne({ username }).lean();
    expect(stored).toMatchObject({ role: 'regulator', regionCode: '370102', displayName: '历下区新监管员（测试）' });
    // The browser logs the refused (409) create itself; anything else is an error.
    expect(ws.errors(page).filter((e) => !/^Failed to load resource: .* status of 409/.test(e))).toEqual([]);

    // The new regulator signs in through the login form with the generated password.
    const theirs = await ws.newPage();
    await theirs.goto(ws.url('/login'));
    await ws.logIn(theirs, username, password);
    await theirs.waitForURL(/\/admin\/dashboard$/);
    await expect(theirs.getByTestId('user-region').textContent()).resolves.toBe('历下区');
    await expect(theirs.getByTestId('user-name').textContent()).resolves.toBe('历下区新监管员（测试）');
  });
});

describe('managing accounts', () => {
  test('disabling a regulator stops their next API call (401) and the row says 已停用; enabled again, they can sign in; nobody can disable themselves', async () => {
    await ws.signedInAs('admin', '/users', page);
    const adminToken = await tokenOf(page);
    const username = fresh('lixia-off');
    const password = 'disable-test-2026';
    await createRegulator(adminToken, username, password);

    const theirs = await ws.signedInAs(username as never, '/verifications');
    await theirs.getByRole('heading', { name: '检定记录' }).waitFor();
    const theirToken = await tokenOf(theirs);
    expect((await apiCall(theirToken, '/admin/verifications')).status).toBe(200);

    // Back to the admin's tab: a background tab gets no animation frames (antd's popups would stay invisible).
    await page.bringToFront();
    await page.reload();
    await row(username).waitFor();
    await expect(statusOf(username)).resolves.toBe('已启用');
    // The admin's own row: 停用 is disabled, and says why.
    const own = row('admin').getByRole('button', { name: /停用/ });
    await expect(own.isDisabled()).resolves.toBe(true);
    await expect(own.getAttribute('aria-label')).resolves.toContain('不能停用自己的账号');

    await row(username).getByRole('button', { name: `停用 ${username}` }).click();
    await page.locator('.ant-popconfirm').getByText('停用后该账号立即不能再使用工作台和接口').waitFor();
    await shoot(page, 'admin-users-disable-confirm');
    await expectSettledAccessible(page, testName());
    await page.locator('.ant-popconfirm').getByRole('button', { name: /停\s*用/ }).click();
    await expect(row(username).locator('td:nth-child(5)').getByText('已停用').waitFor()).resolves.toBeUndefined();
    expect((await apiCall(theirToken, '/admin/verifications')).status).toBe(401);
    // Their open page goes to the login page on its next call.
    await theirs.getByRole('menuitem', { name: '经营者' }).click();
    await theirs.waitForURL(/\/admin\/login\?next=%2Fbusinesses$/);

    // The 停用 filter lists disabled accounts only, as many as the API says.
    await page.getByLabel('状态').click();
    await page.locator('.ant-select-item-option').filter({ hasText: /^停用$/ }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL((u) => u.searchParams.get('disabled') === 'true');
    await settled(page);
    const disabled = (await (await apiCall(adminToken, '/admin/users?disabled=true&pageSize=100')).json()) as ListResponse<StaffUserView>;
    expect(disabled.items.map((u) => u.username)).toContain(username);
    await page.getByText(`共 ${disabled.total} 个账号`).first().waitFor();
    expect(new Set(await page.locator('.ant-table-row td:nth-child(5)').allInnerTexts())).toEqual(new Set(['已停用']));
    await shoot(page, 'admin-users-disabled-filter');

    await row(username).getByRole('button', { name: `启用 ${username}` }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /启\s*用/ }).click();
    await page.getByText(`已启用：${username}`).waitFor();
    const stored = await ws.stack.server.deps.models.User.findOne({ username }).lean();
    expect(stored?.disabled).toBe(false);
    await ws.logIn(theirs, username, password);
    await theirs.waitForURL(/\/admin\/businesses$/);
    await theirs.locator('.ant-table-row').first().waitFor();
    expect(ws.errors(page)).toEqual([]);
  });

  test('resetting a password: too short is refused under the field; the generated one works at the login form and the old one no longer does', async () => {
    await ws.signedInAs('admin', '/users', page);
    const username = fresh('lixia-pw');
    const oldPassword = 'old-password-2026';
    await createRegulator(await tokenOf(page), username, oldPassword);
    await page.reload();
    await row(username).getByRole('button', { name: `重置密码：${username}` }).click();
    await modal().getByText('该用户须用新密码重新登录').waitFor();
    await modal().getByLabel('新密码').fill('123456789');
    await modal().getByRole('button', { name: '确认重置' }).click();
    await expect(fieldError(modal(), '新密码').textContent()).resolves.toBe('密码至少10位');
    await shoot(page, 'admin-users-reset-password');
    await expectSettledAccessible(page, testName());
    await modal().getByRole('button', { name: '生成' }).click();
    const newPassword = await modal().getByLabel('新密码').inputValue();
    expect(newPassword).toHaveLength(16);
    await modal().getByRole('button', { name: '确认重置' }).click();
    await page.getByText(`已重置 ${username} 的密码`).waitFor();
    await expect(modal().isVisible()).resolves.toBe(false);

    const theirs = await ws.newPage();
    await theirs.goto(ws.url('/login'));
    await ws.logIn(theirs, username, oldPassword);
    await theirs.getByRole('alert').filter({ hasText: '用户名或密码错误' }).first().waitFor();
    await ws.logIn(theirs, username, newPassword);
    await theirs.waitForURL(/\/admin\/dashboard$/);
    await expect(theirs.getByTestId('user-region').textContent()).resolves.toBe('历下区');
    expect(ws.errors(page)).toEqual([]);
  });

  test('editing a regulator: the name and a city-level region (济南市) are saved and shown in the row', async () => {
    await ws.signedInAs('admin', '/users', page);
    const username = fresh('lixia-ed');
    await createRegulator(await tokenOf(page), username, 'edit-test-2026');
    await page.reload();
    await row(username).getByRole('button', { name: `编辑 ${username}` }).click();
    await drawer().getByText(`编辑账号：${username}`).waitFor();
    await expect(drawer().getByLabel('用户名').count()).resolves.toBe(0);
    await drawer().getByLabel('显示名称').fill('济南市监管员（测试）');
    await pickRegion('辖区', ['山东省', '济南市']);
    await drawer().getByText('显示名称', { exact: true }).click();
    await shoot(page, 'admin-users-edit');
    await expectSettledAccessible(page, testName());
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => !u.searchParams.has('form'));
    await row(username).filter({ hasText: '济南市监管员（测试）' }).waitFor();
    await expect(row(username).innerText()).resolves.toMatch(/济南市监管员（测试）\s+监管人员\s+济南市\s+已启用/);
    const stored = await ws.stack.server.deps.models.User.findOne({ username }).lean();
    expect(stored).toMatchObject({ regionCode: '370100', displayName: '济南市监管员（测试）' });
    expect(ws.errors(page)).toEqual([]);
  });
});
