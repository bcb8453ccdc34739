/**
 * Debian's Chromium driven by playwright-core, sized like a phone. Each launch gets a fresh
 * profile in a temp dir so no cookie, storage or cache leaks between runs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.join(__dirname, 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface PhoneBrowser {
  context: BrowserContext;
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** How the browser window looks: a phone (the default, for the H5 app) or a desktop (the admin workspace). */
export type BrowserDevice = 'phone' | 'desktop';

const DEVICES = {
  phone: { viewport: { width: 375, height: 740 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true },
  desktop: { viewport: { width: 1440, height: 900 }, deviceScaleFactor: 1, isMobile: false, hasTouch: false },
} as const;

/** The same browser with a 1440 × 900 desktop window, for the admin workspace. */
export const launchDesktopBrowser = (): Promise<PhoneBrowser> => launchPhoneBrowser({ device: 'desktop' });

export async function launchPhoneBrowser(opts: { device?: BrowserDevice } = {}): Promise<PhoneBrowser> {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH); browser tests never skip.`,
    );
  }
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cxjl-chromium-'));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ...DEVICES[opts.device ?? 'phone'],
    locale: 'zh-CN',
  });
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close();
      fs.rmSync(profileDir, { recursive: true, force: true });
    },
  };
}

export function screenshotPath(name: string): string {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return path.join(SCREENSHOT_DIR, `${name}.png`);
}

/** A full-page PNG once Taro's page-enter slide is over (mid-slide the page is twice as wide). */
export async function screenshot(page: Page, name: string): Promise<string> {
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth);
  const file = screenshotPath(name);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * Taro's H5 pages scroll inside their own container (`.taro_page`), so a full-page screenshot
 * shows one screen. This one makes the viewport as tall as the shown page's content for the
 * shot, then puts it back.
 */
export async function screenshotWhole(page: Page, name: string): Promise<string> {
  const viewport = page.viewportSize() ?? { width: 375, height: 740 };
  const height = await page.evaluate(() => {
    const shown = [...document.querySelectorAll<HTMLElement>('.taro_page')].filter((p) => p.offsetParent !== null || getComputedStyle(p).display !== 'none');
    const content = shown.at(-1);
    const tabBar = document.querySelector<HTMLElement>('.taro-tabbar__tabbar');
    return (content?.scrollHeight ?? document.body.scrollHeight) + (tabBar?.offsetHeight ?? 0);
  });
  await page.setViewportSize({ width: viewport.width, height: Math.max(height, viewport.height) });
  try {
    return await screenshot(page, name);
  } finally {
    await page.setViewportSize(viewport);
  }
}
