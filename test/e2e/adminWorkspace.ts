/**
 * What every browser test of the admin workspace (miniapp/admin) needs: the built app served by
 * the real BFF with the embedded MongoDB and the demo data, a desktop Chromium, a signed-in page
 * without the rate-limited login form, waiting for antd to settle, screenshots and axe-core.
 *
 *   const ws = adminWorkspace();            // at the top of the file: registers beforeAll/afterAll
 *   const page = await ws.signedInAs('lixia', '/instruments');
 */
import type { Page } from 'playwright-core';
import { presentSessionUser } from '@bff/presenters/user';
import { signSessionToken } from '@bff/services/credentials';
import { TEST_ADMIN_PASSWORD } from '../helpers/app';
import { startStack, type Stack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchDesktopBrowser, screenshotPath, type PhoneBrowser } from './browser';

/** Demo accounts (scripts/demo.ts) and the test admin, with their passwords. */
export const ADMIN_ACCOUNTS = {
  admin: TEST_ADMIN_PASSWORD,
  jinan: 'demo-jinan-2026',
  lixia: 'demo-lixia-2026',
  verifier: 'demo-verifier-2026',
} as const;
export type AdminAccount = keyof typeof ADMIN_ACCOUNTS;

/** Where the app keeps its session (miniapp/admin/src/api/session.ts). */
const SESSION_KEY = 'cxjl-admin-session';

export interface AdminWorkspace {
  readonly stack: Stack;
  readonly browser: PhoneBrowser;
  /** `/admin` + path on the running stack. */
  url(path: string): string;
  /** A fresh page (closed after the test); `errors` collects uncaught exceptions and console errors. */
  newPage(): Promise<Page>;
  errors(page: Page): string[];
  /**
   * A new page signed in as `account` the way the app itself would be after a login, then opened
   * at `path`: the password login is rate-limited per address (10 a minute), so only the tests
   * about logging in use the form.
   */
  signedInAs(account: AdminAccount, path: string, page?: Page): Promise<Page>;
  /** Logs in through the form on the login page. */
  logIn(page: Page, account: AdminAccount | string, password?: string): Promise<void>;
}

export function adminWorkspace(): AdminWorkspace {
  let stack: Stack | undefined;
  let browser: PhoneBrowser | undefined;
  const open: Page[] = [];
  const errors = new WeakMap<Page, string[]>();

  beforeAll(async () => {
    await ensureBuild('admin');
    stack = await startStack({ seed: true });
    browser = await launchDesktopBrowser();
  }, 300_000);

  afterEach(async () => {
    await Promise.all(open.splice(0).map((p) => p.close().catch(() => undefined)));
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const ws: AdminWorkspace = {
    get stack() {
      if (!stack) throw new Error('the stack is not running (adminWorkspace() must be called at the top of the test file)');
      return stack;
    },
    get browser() {
      if (!browser) throw new Error('the browser is not running');
      return browser;
    },
    url: (path) => `${ws.stack.baseUrl}/admin${path}`,
    async newPage() {
      const page = await ws.browser.newPage();
      page.setDefaultTimeout(15_000);
      const seen: string[] = [];
      errors.set(page, seen);
      page.on('pageerror', (error) => seen.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') seen.push(message.text());
      });
      open.push(page);
      return page;
    },
    errors: (page) => errors.get(page) ?? [],
    async signedInAs(account, path, given) {
      const page = given ?? (await ws.newPage());
      const user = await ws.stack.server.deps.models.User.findOne({ username: account }).lean();
      if (!user) throw new Error(`no account ${account} in the demo data`);
      const session = presentSessionUser(user);
      const token = signSessionToken(session, ws.stack.server.deps.config.jwtSecret, 600);
      await page.goto(ws.url('/login'));
      await page.evaluate(([key, value]) => sessionStorage.setItem(key, value), [SESSION_KEY, JSON.stringify({ token, user: session, expiresAt: Date.now() + 600_000 })]);
      await page.goto(ws.url(path));
      return page;
    },
    async logIn(page, account, password) {
      await page.getByLabel('用户名').fill(account);
      await page.getByLabel('密码').fill(password ?? ADMIN_ACCOUNTS[account as AdminAccount]);
      await page.getByRole('button', { name: /登\s*录/ }).click();
    },
  };
  return ws;
}

/**
 * Waits until no antd spinner or loading veil is left and no finite animation is running (a
 * popconfirm or drawer fading in has blended colours): axe and screenshots must see the final ones.
 * A progress bar moving is what it shows, not a transition to wait for.
 */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    if (document.querySelector('.ant-spin-spinning, .ant-spin-blur, [aria-busy="true"]')) return false;
    return document.getAnimations().every((a) => {
      if (a.playState !== 'running' || a.effect?.getTiming().iterations === Infinity) return true;
      const target = (a.effect as KeyframeEffect | null)?.target;
      return target instanceof Element && target.closest('[role="progressbar"], .ant-progress') !== null;
    });
  });
}

/** A full-page screenshot in test/e2e/screenshots/<name>.png once the page has settled. */
export async function shoot(page: Page, name: string): Promise<string> {
  await settled(page);
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/** axe-core on the settled page: fails on any violation of impact serious or critical. */
export async function expectSettledAccessible(page: Page, name: string): Promise<void> {
  await settled(page);
  await expectAccessible(page, name);
}
