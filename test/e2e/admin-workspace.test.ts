/**
 * The regulators' admin workspace (miniapp/admin) in a desktop Chromium, served by the real BFF
 * under /admin with the embedded MongoDB and the demo data: login, role menus, the session
 * expiring and coming back to the page, the dashboard, accessibility and the CSP.
 */
import type { Page } from 'playwright-core';
import type { DashboardResponse } from '@shared/api';
import { creditCodeCheckCharacter } from '@shared/creditCode';
import { TEST_ADMIN_PASSWORD } from '../helpers/app';
import { adminWorkspace, expectSettledAccessible, settled, shoot } from './adminWorkspace';

const ws = adminWorkspace();
let page: Page;
/** Uncaught exceptions and console errors of the current page (a CSP violation shows up here). */
let pageErrors: string[];

const DASHBOARD_PATH = '/api/v1/admin/dashboard';

beforeEach(async () => {
  page = await ws.newPage();
  pageErrors = ws.errors(page);
});

const url = (path: string) => ws.url(path);
const login = (username: string, password: string) => ws.logIn(page, username, password);

async function loginAs(who: 'admin' | 'lixia' | 'verifier'): Promise<void> {
  await page.goto(url('/login'));
  await ws.logIn(page, who);
}

const signedInAs = async (username: 'admin' | 'lixia', path: string) => {
  await ws.signedInAs(username, path, page);
};

const menuItems = () => page.locator('nav[aria-label="主菜单"] [role="menuitem"]').allInnerTexts();

describe('serving', () => {
  test('deep links get the app without caching, hashed assets are cached for a year', async () => {
    const deep = await fetch(url('/businesses?page=2'));
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    const html = await deep.text();
    const script = /<script type="module"[^>]*src="(\/admin\/assets\/[^"]+\.js)"/.exec(html);
    expect(script).not.toBeNull();
    const asset = await fetch(ws.stack.baseUrl + script![1]);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect((await asset.arrayBuffer()).byteLength).toBeGreaterThan(1000);
  });
});

describe('login page', () => {
  test('has labelled fields, says a wrong password in Chinese, and passes axe', async () => {
    await page.goto(url('/login'));
    await expect(page.getByRole('heading', { name: '诚信计量公示 · 监管工作台' }).isVisible()).resolves.toBe(true);
    await login('admin', 'not-the-password');
    await expect(page.getByRole('alert').filter({ hasText: '用户名或密码错误' }).first().textContent()).resolves.toContain('用户名或密码错误');
    await shoot(page, 'admin-login');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');
    // The browser logs the refused login request itself; anything else (a CSP violation) is an error.
    expect(pageErrors.filter((e) => !/^Failed to load resource: .* status of 401/.test(e))).toEqual([]);
  });

  test('tells a locked account how long to wait', async () => {
    const until = new Date(Date.now() + 120_000);
    await ws.stack.server.deps.models.User.updateOne({ username: 'jinan' }, { $set: { loginLockedUntil: until } });
    try {
      await page.goto(url('/login'));
      await login('jinan', 'demo-jinan-2026');
      const alert = page.getByRole('alert').filter({ hasText: '锁定' }).first();
      await expect(alert.textContent()).resolves.toMatch(/密码错误次数过多，账号已暂时锁定，请 (2 分钟|1 分 5\d 秒)后再试/);
    } finally {
      await ws.stack.server.deps.models.User.updateOne({ username: 'jinan' }, { $unset: { loginLockedUntil: 1 } });
    }
  });
});

describe('the workspace by role', () => {
  test('an admin lands on the dashboard with users and API keys in the menu, and the header names them', async () => {
    await loginAs('admin');
    await page.waitForURL(/\/admin\/dashboard$/);
    await page.getByTestId('totals').waitFor();
    expect(await menuItems()).toEqual(['概览', '经营者', '计量器具', '检定记录', '批量导入', '标签打印', '用户', 'API 密钥']);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('系统管理员');
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('管理员');
    await expect(page.getByTestId('user-region').textContent()).resolves.toBe('全部地区');
    await expect(page.locator('.ant-breadcrumb').innerText()).resolves.toMatch(/工作台\s*\/\s*概览/);
    await page.getByRole('menuitem', { name: 'API 密钥' }).click();
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    await expect(page.locator('.ant-breadcrumb').innerText()).resolves.toMatch(/工作台\s*\/\s*API 密钥/);
    expect(pageErrors).toEqual([]);
  });

  test('a regulator of 历下区 sees only the region screens, and an admin-only page is refused', async () => {
    await loginAs('lixia');
    await page.waitForURL(/\/admin\/dashboard$/);
    expect(await menuItems()).toEqual(['概览', '经营者', '计量器具', '检定记录', '批量导入', '标签打印']);
    await expect(page.getByTestId('user-name').textContent()).resolves.toBe('历下区市场监管局（演示）');
    await expect(page.getByTestId('user-role').textContent()).resolves.toBe('监管人员');
    await expect(page.getByTestId('user-region').textContent()).resolves.toBe('历下区');
    await page.goto(url('/users'));
    await page.getByText('无权访问').waitFor();
    await page.getByRole('menuitem', { name: '经营者' }).click();
    await page.getByRole('heading', { name: '经营者' }).waitFor();
    await page.locator('.ant-table-row').first().waitFor();
    const regions = await page.locator('.ant-table-row td:nth-child(4)').allInnerTexts();
    expect(regions.length).toBeGreaterThan(0);
    expect(new Set(regions)).toEqual(new Set(['历下区']));
    await shoot(page, 'admin-regulator-businesses');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');
    expect(pageErrors).toEqual([]);
  });

  test('a verifier signs in but is told there is no workspace for the account', async () => {
    await loginAs('verifier');
    await page.getByText('此账号没有监管工作台').waitFor();
    await expect(page.locator('nav[aria-label="主菜单"]').count()).resolves.toBe(0);
    await shoot(page, 'admin-verifier');
    await page.getByRole('button', { name: '退出并换个账号登录' }).click();
    await page.waitForURL(/\/admin\/login$/);
  });
});

describe('session expiry', () => {
  test('a token the API rejects sends the user to the login page and back to the same page', async () => {
    await signedInAs('lixia', '/instruments?category=price_scale');
    await page.getByRole('heading', { name: '计量器具' }).waitFor();
    // The account is disabled while the page is open: the next API call answers 401.
    await ws.stack.server.deps.models.User.updateOne({ username: 'lixia' }, { $set: { disabled: true } });
    try {
      await page.getByRole('menuitem', { name: '经营者' }).click();
      await page.waitForURL(/\/admin\/login\?next=%2Fbusinesses$/);
      await page.getByText('登录已过期或尚未登录').waitFor();
    } finally {
      await ws.stack.server.deps.models.User.updateOne({ username: 'lixia' }, { $unset: { disabled: 1 } });
    }
    await login('lixia', 'demo-lixia-2026');
    await page.waitForURL(/\/admin\/businesses$/);
    await page.locator('.ant-table-row').first().waitFor();
  });

  test('an expired session on reload asks to log in and returns to the page with its query', async () => {
    await signedInAs('admin', '/instruments?due=30&page=1');
    await page.getByRole('heading', { name: '计量器具' }).waitFor();
    await page.evaluate(() => {
      const key = 'cxjl-admin-session';
      const session = JSON.parse(sessionStorage.getItem(key)!);
      sessionStorage.setItem(key, JSON.stringify({ ...session, expiresAt: Date.now() - 1000 }));
    });
    await page.reload();
    await page.waitForURL((u) => u.pathname === '/admin/login' && u.searchParams.get('next') === '/instruments?due=30&page=1');
    await login('admin', TEST_ADMIN_PASSWORD);
    await page.waitForURL((u) => u.pathname === '/admin/instruments' && u.search === '?due=30&page=1');
    await page.getByText('筛选：30 天内到期').waitFor();
  });
});

describe('dashboard', () => {
  test('shows the same numbers as the API, as charts with tables, links to the due lists, and passes axe', async () => {
    await signedInAs('admin', '/dashboard');
    await page.getByTestId('totals').waitFor();
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('cxjl-admin-session')!).token as string);
    const api = (await (await fetch(ws.stack.baseUrl + DASHBOARD_PATH, { headers: { authorization: `Bearer ${token}` } })).json()) as DashboardResponse;
    expect(api.totals.instruments).toBeGreaterThan(0);
    expect(api.dueSoon.overdue).toBeGreaterThan(0);
    const totals = await page.getByTestId('totals').innerText();
    for (const n of [api.totals.businesses, api.totals.instruments, api.totals.verified, api.totals.passed, api.dueSoon.overdue, api.dueSoon.expiring]) {
      expect(totals).toContain(n.toLocaleString('en-US'));
    }
    const countRows = await page.getByTestId('table-counts').locator('tbody tr').allInnerTexts();
    expect(countRows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual(
      api.byIndustry.map((r) => [r.industryName, String(r.businesses), String(r.instruments)]),
    );
    const pct = (v: number | null) => (v == null ? '—' : `${(Math.round(v * 1000) / 10).toFixed(1)}%`);
    const rateRows = await page.getByTestId('table-rates').locator('tbody tr').allInnerTexts();
    expect(rateRows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual(
      api.byIndustry.map((r) => [r.industryName, pct(r.verificationRate), pct(r.passRate)]),
    );
    const trendRows = await page.getByTestId('table-trend').locator('tbody tr').allInnerTexts();
    expect(trendRows).toHaveLength(12);
    expect(trendRows.map((r) => r.split('\t').map((c) => c.trim()))).toEqual(
      api.trend.map((t) => [t.month, String(t.verifications), String(t.passed)]),
    );
    for (const id of ['chart-counts', 'chart-rates', 'chart-trend']) {
      await expect(page.getByTestId(id).locator('canvas').count()).resolves.toBeGreaterThan(0);
      // Each chart is announced as an image that points to its table.
      await expect(page.getByTestId(id).getAttribute('aria-label')).resolves.toMatch(/数字见下表$/);
    }
    await shoot(page, 'admin-dashboard');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');
    await page.getByTestId('link-overdue').click();
    await page.waitForURL((u) => u.pathname === '/admin/instruments' && u.searchParams.get('due') === 'overdue');
    await page.getByText('筛选：逾期未检').waitFor();
    // The list the figure links to holds as many instruments as the figure says, each of them overdue.
    await page.getByText(`共 ${api.dueSoon.overdue} 台`).first().waitFor();
    await settled(page);
    expect(new Set(await page.locator('.ant-table-row td:nth-child(5)').allInnerTexts())).toEqual(new Set(['逾期未检']));
    await shoot(page, 'admin-instruments-overdue');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');
    expect(pageErrors).toEqual([]);
  });
});


describe('businesses', () => {
  /** A credit code of 历下区 with a correct check character (GB 32100), unique per call. */
  const validCreditCode = (() => {
    let n = 0;
    return () => {
      n += 1;
      const body = `91370102MA${String(Date.now() % 1e6).padStart(6, '0')}${n % 10}`;
      return body + creditCodeCheckCharacter(body);
    };
  })();
  const drawer = () => page.getByRole('dialog');
  const fieldError = (label: string) => drawer().locator('.ant-form-item').filter({ has: page.getByText(label, { exact: true }) }).locator('.ant-form-item-explain-error');

  async function fillBusiness(name: string, creditCode: string) {
    await drawer().getByLabel('名称').fill(name);
    await drawer().getByLabel('统一社会信用代码').fill(creditCode);
    await drawer().getByLabel('行业').click();
    await page.locator('.ant-select-item-option', { hasText: '集贸市场' }).click();
    await drawer().getByLabel('所在地区（区县）').click();
    await page.locator('.ant-cascader-menu-item', { hasText: '历下区' }).click();
  }

  test('a bad credit code shows its error under the field; fixed, the business is registered in the list', async () => {
    await signedInAs('lixia', '/businesses');
    await page.getByRole('button', { name: '新建经营者' }).click();
    await drawer().getByText('新建经营者').waitFor();
    const good = validCreditCode();
    const bad = good.slice(0, 17) + (good[17] === '0' ? '1' : '0');
    await fillBusiness('测试新建水果店', bad);
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await expect(fieldError('统一社会信用代码').textContent()).resolves.toBe('统一社会信用代码校验位不正确，请核对是否输错');
    await expect(fieldError('名称').count()).resolves.toBe(0);
    await shoot(page, 'admin-business-form-error');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');

    await drawer().getByLabel('统一社会信用代码').fill(good);
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await page.waitForURL((u) => u.pathname === '/admin/businesses' && !u.searchParams.has('form'));
    await page.locator('.ant-table-row', { hasText: '测试新建水果店' }).waitFor();
    const stored = await ws.stack.server.deps.models.Business.findOne({ creditCode: good }).lean();
    expect(stored).toMatchObject({ name: '测试新建水果店', industry: 'market', regionCode: '370102' });
    expect(pageErrors).toEqual([]);
  });

  test('a form being typed survives the session ending: log in again and it is still there', async () => {
    await signedInAs('lixia', '/businesses?form=new');
    await drawer().getByText('新建经营者').waitFor();
    const code = validCreditCode();
    await fillBusiness('会话过期时填写的店', code);
    await ws.stack.server.deps.models.User.updateOne({ username: 'lixia' }, { $set: { disabled: true } });
    try {
      await drawer().getByRole('button', { name: /保\s*存/ }).click();
      await page.waitForURL((u) => u.pathname === '/admin/login' && u.searchParams.get('next') === '/businesses?form=new');
    } finally {
      await ws.stack.server.deps.models.User.updateOne({ username: 'lixia' }, { $unset: { disabled: 1 } });
    }
    await login('lixia', 'demo-lixia-2026');
    await page.waitForURL((u) => u.pathname === '/admin/businesses' && u.searchParams.get('form') === 'new');
    await expect(drawer().getByLabel('名称').inputValue()).resolves.toBe('会话过期时填写的店');
    await expect(drawer().getByLabel('统一社会信用代码').inputValue()).resolves.toBe(code);
    await drawer().getByRole('button', { name: /保\s*存/ }).click();
    await page.locator('.ant-table-row', { hasText: '会话过期时填写的店' }).waitFor();
    expect(await ws.stack.server.deps.models.Business.countDocuments({ creditCode: code })).toBe(1);
  });
});

describe('list sorting and filters', () => {
  const apiGet = async (path: string) => {
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('cxjl-admin-session')!).token as string);
    return (await fetch(ws.stack.baseUrl + path, { headers: { authorization: `Bearer ${token}` } })).json();
  };
  const firstColumn = () => page.locator('.ant-table-row td:nth-child(1)').allInnerTexts();
  /** Waits for the table's first column to read `expected` (the previous rows stay shown while the next page loads), then checks it. */
  async function firstColumnBecomes(expected: string[]): Promise<void> {
    await page
      .waitForFunction(
        (want) => {
          const cells = [...document.querySelectorAll<HTMLElement>('.ant-table-row td:nth-child(1)')].map((td) => td.innerText.trim());
          return cells.length === want.length && cells.every((c, i) => c === want[i]);
        },
        expected,
        { timeout: 15_000 },
      )
      .catch(() => undefined);
    expect(await firstColumn()).toEqual(expected);
  }

  test('instruments sort by code on the server (a click on the header, both ways) and filter by verification status and due days', async () => {
    await signedInAs('lixia', '/instruments');
    await page.locator('.ant-table-row').first().waitFor();
    await page.locator('th', { hasText: '识别码' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'code');
    const ascending = (await apiGet('/api/v1/admin/instruments?sort=code&page=1&pageSize=20')).items.map((i: { code: string }) => i.code);
    await firstColumnBecomes(ascending);
    await page.locator('th', { hasText: '识别码' }).click();
    await page.waitForURL((u) => u.searchParams.get('sort') === '-code');
    const descending = (await apiGet('/api/v1/admin/instruments?sort=-code&page=1&pageSize=20')).items.map((i: { code: string }) => i.code);
    await firstColumnBecomes(descending);

    await page.getByLabel('检定状态').click();
    await page.locator('.ant-select-item-option', { hasText: '未检定' }).click();
    await page.getByRole('button', { name: /查\s*询/ }).click();
    await page.waitForURL((u) => u.searchParams.get('status') === 'unverified');
    const unverified = await apiGet('/api/v1/admin/instruments?status=unverified&sort=-code');
    expect(unverified.total).toBeGreaterThan(0);
    await page.getByText(`共 ${unverified.total} 台`).first().waitFor();
    await settled(page);
    expect(new Set(await page.locator('.ant-table-row td:nth-child(5)').allInnerTexts())).toEqual(new Set(['未检定']));

    await page.goto(url('/instruments?due=90'));
    const due90 = await apiGet('/api/v1/admin/instruments?due=90');
    await page.getByText('筛选：90 天内到期').waitFor();
    await page.getByText(`共 ${due90.total} 台`).first().waitFor();
    await expectSettledAccessible(page, 'instruments sorted and filtered');
    expect(pageErrors).toEqual([]);
  });

  test('businesses sort by name and filter by status on the server', async () => {
    await signedInAs('lixia', '/businesses');
    await page.locator('.ant-table-row').first().waitFor();
    await page.locator('th', { hasText: '名称' }).first().click();
    await page.waitForURL((u) => u.searchParams.get('sort') === 'name');
    const byName = (await apiGet('/api/v1/admin/businesses?sort=name&page=1&pageSize=20')).items.map((b: { name: string }) => b.name);
    await firstColumnBecomes(byName);
    await page.goto(url('/businesses?status=closed'));
    const closed = await apiGet('/api/v1/admin/businesses?status=closed');
    await page.getByText(`共 ${closed.total} 家`).first().waitFor();
    expect(pageErrors).toEqual([]);
  });
});

describe('API keys', () => {
  test('an admin issues a key, sees it once, and revokes it: the API then refuses it', async () => {
    await signedInAs('admin', '/api-keys');
    await page.getByRole('heading', { name: 'API 密钥' }).waitFor();
    await page.getByLabel('用途').fill('历城院 LIMS 对接（测试）');
    await page.getByLabel('检定机构').fill('济南市历城区计量检定所');
    await page.getByRole('button', { name: /签\s*发/ }).click();
    const key = (await page.getByTestId('issued-key').textContent())!.trim();
    expect(key.length).toBeGreaterThan(20);
    expect((await fetch(`${ws.stack.baseUrl}/api/v1/health`, { headers: { 'X-Api-Key': key } })).status).toBe(200);
    await shoot(page, 'admin-api-key-issued');
    await expectSettledAccessible(page, expect.getState().currentTestName ?? 'page');
    await page.getByRole('button', { name: '我已保存' }).click();
    await expect(page.getByLabel('用途').inputValue()).resolves.toBe('');

    const row = page.locator('.ant-table-row', { hasText: '历城院 LIMS 对接（测试）' });
    const prefix = (await row.locator('code').textContent())!.trim();
    expect(key.startsWith(prefix)).toBe(true);
    await expect(row.textContent()).resolves.not.toContain(key);
    await row.getByRole('button', { name: /吊销/ }).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: /吊\s*销/ }).click();
    await row.getByText(/已吊销/).waitFor();
    const refused = await fetch(`${ws.stack.baseUrl}/api/v1/health`, { headers: { 'X-Api-Key': key } });
    expect(refused.status).toBe(401);
    expect(pageErrors).toEqual([]);
  });
});
