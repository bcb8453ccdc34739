/**
 * The H5 build as a person outside WeChat meets it: a phone browser opening the label's URL or
 * the home page, served by the real BFF (with its embedded MongoDB and demo data).
 */
import type { Page } from 'playwright-core';
import { makeInstrumentCode } from '@shared/instrumentCode';
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { launchPhoneBrowser, screenshot, screenshotPath, type PhoneBrowser } from './browser';

type Stack = Awaited<ReturnType<typeof startStack>>;
type LabelledStatus = 'valid' | 'expiring' | 'overdue' | 'failed';

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
/** Uncaught exceptions and console errors of the current page (a CSP violation shows up here). */
let pageErrors: string[];
/** A demo instrument's genuine label URL for each status the tests open. */
const labels = {} as Record<LabelledStatus, string>;

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true });
  for (const status of ['valid', 'expiring', 'overdue', 'failed'] as const) labels[status] = await stack.demo.instrumentUrl(status);
  browser = await launchPhoneBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(message.text());
  });
});

afterEach(async () => {
  await page?.close();
});

/** The `<code>-<sig>` a label carries, taken from the demo instrument's label URL. */
function labelToken(labelUrl: string): string {
  const match = /\/i\/([^/?#]+)/.exec(labelUrl);
  if (match) return decodeURIComponent(match[1]);
  const q = new URL(labelUrl).searchParams.get('q');
  if (!q) throw new Error(`not a label URL: ${labelUrl}`);
  return decodeURIComponent(q).replace(/^.*\/i\//, '');
}

function codeOf(labelUrl: string): string {
  return labelToken(labelUrl).split('-')[0];
}

/** The label's URL with its signature replaced: what a copied or home-made label would carry. */
function forgedLabelUrl(labelUrl: string): string {
  return `${stack.baseUrl}/i/${codeOf(labelUrl)}-AAAAAAAAAA`;
}

async function openHome(): Promise<void> {
  await page.goto(`${stack.baseUrl}/`);
  await page.locator('.home__scan').waitFor();
}

async function queryByTyping(code: string): Promise<void> {
  await openHome();
  await page.locator('.home__input input').fill(code);
  await page.getByText('查询', { exact: true }).click();
  await page.waitForURL(/\/pages\/instrument\/index\?q=/);
}

describe('home page', () => {
  test('shows the title, the scan button, the code input and what the label means', async () => {
    await openHome();

    await expect(page.title()).resolves.toBe('诚信计量公示');
    await expect(page.locator('.home__title').innerText()).resolves.toBe('诚信计量公示');
    await expect(page.locator('.home__scan').innerText()).resolves.toBe('扫一扫');
    await expect(page.locator('.home__input input').getAttribute('placeholder')).resolves.toContain('识别码');
    await expect(page.getByText('什么是诚信计量标签？').isVisible()).resolves.toBe(true);
    await screenshot(page, 'home');
    expect(pageErrors).toEqual([]);
  });

  test('扫一扫 with WeChat\'s web SDK present opens the scanned label', async () => {
    const labelUrl = labels.valid;
    // WeChat's JS-SDK answers asynchronously; Taro calls scanQRCode more than once per scan.
    await page.addInitScript((resultStr: string) => {
      (window as unknown as { wx: unknown }).wx = {
        scanQRCode(options: { success?: (res: unknown) => void }) {
          setTimeout(() => options.success?.({ errMsg: 'scanQRCode:ok', resultStr }), 10);
        },
      };
    }, labelUrl);
    await openHome();

    await page.locator('.home__scan').click();

    await page.waitForURL(/\/pages\/instrument\/index\?q=/);
    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe('检定合格');
    await expect(page.getByText('疑似伪造标签').count()).resolves.toBe(0);
  });

  test('扫一扫 in a plain browser says so and leaves the visitor on the home page to type the code', async () => {
    await openHome();

    await page.locator('.home__scan').click();

    await page.getByText('未能扫码，请输入识别码').waitFor();
    expect(new URL(page.url()).pathname).not.toContain('/pages/instrument');
  });
});

describe('instrument page', () => {
  test('a genuine label of a verified instrument shows 检定合格 and the green integrity mark', async () => {
    await page.goto(labels.valid);

    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe('检定合格');
    await expect(page.locator('.status-card__mark').innerText()).resolves.toContain('标签已核验');
    await expect(page.locator('.card').first().innerText()).resolves.toContain(codeOf(labels.valid));
    await expect(page.getByText('最近一次检定').isVisible()).resolves.toBe(true);
    await expect(page.getByText('诚信等级').isVisible()).resolves.toBe(true);
    const badgeColour = await page.locator('.status-card').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(badgeColour).toBe('rgb(26, 127, 75)');
    await screenshot(page, 'instrument-valid');
    await page.locator('.action--secondary').scrollIntoViewIfNeeded();
    await expect(page.locator('.action--secondary').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('instrument-valid-bottom') });
    expect(pageErrors).toEqual([]);
  });

  test.each([
    ['expiring', '即将到期', true],
    ['overdue', '检定过期', false],
    ['failed', '检定不合格', false],
  ] as const)('a genuine label with status %s shows %s (integrity mark shown: %s)', async (status, text, marked) => {
    await page.goto(labels[status]);

    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe(text);
    await expect(page.locator('.status-card__mark').count()).resolves.toBe(marked ? 1 : 0);
    await screenshot(page, `instrument-${status}`);
  });

  test('a label with a wrong signature is shown as 疑似伪造标签 and never as verified', async () => {
    await page.goto(forgedLabelUrl(labels.valid));

    await page.locator('.forged-banner').waitFor();
    await expect(page.locator('.forged-banner__title').innerText()).resolves.toBe('疑似伪造标签');
    await expect(page.locator('.status-card__mark').count()).resolves.toBe(0);
    await expect(page.getByText('标签已核验').count()).resolves.toBe(0);
    const cardColour = await page.locator('.status-card').evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(cardColour).not.toBe('rgb(26, 127, 75)');
    await screenshot(page, 'instrument-forged');
  });

  test('a typed code is looked up, with a note that the label itself was not checked', async () => {
    const code = codeOf(labels.valid);

    await queryByTyping(code);

    await expect(page.locator('.manual-note').innerText()).resolves.toBe('手动输入的识别码，无法核验标签真伪');
    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe('检定合格');
    await expect(page.locator('.status-card__mark').count()).resolves.toBe(0);
    await screenshot(page, 'instrument-typed');
  });

  test('an unknown code says 未找到该器具 and offers the way home', async () => {
    const neverIssued = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 99_999_998 });

    await queryByTyping(neverIssued);

    await expect(page.locator('.message__title').innerText()).resolves.toBe('未找到该器具');
    await screenshot(page, 'instrument-not-found');
    await page.getByText('返回首页', { exact: true }).click();
    await page.locator('.home__scan').waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/(pages\/index\/index)?$/);
  });

  test('a mistyped code shows the server\'s reason', async () => {
    const issued = makeInstrumentCode({ regionCode: '370102', categoryCode: '0101', serial: 12 });
    const wrongCheckDigit = issued.slice(0, -1) + String((Number(issued.at(-1)) + 1) % 10);

    await queryByTyping(wrongCheckDigit);

    await expect(page.locator('.message__title').innerText()).resolves.toBe('识别码有误');
    const reason = await page.locator('.message__text').innerText();
    expect(reason.length).toBeGreaterThan(0);
    expect(reason).not.toContain('UNEXPECTED');
  });

  test('shows 加载中… while the scan answer is on its way', async () => {
    let releaseAnswer = (): void => undefined;
    const answerHeld = new Promise<void>((resolve) => {
      releaseAnswer = resolve;
    });
    await page.route('**/api/v1/scan**', async (route) => {
      await answerHeld;
      await route.continue();
    });

    await page.goto(labels.valid);

    await expect(page.getByRole('status').innerText()).resolves.toContain('加载中…');
    releaseAnswer();
    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe('检定合格');
    await expect(page.locator('.state--loading').count()).resolves.toBe(0);
  });

  test('a lost connection offers 重试, which loads the instrument once the network is back', async () => {
    let dropped = 0;
    await page.route('**/api/v1/scan**', async (route) => {
      if (dropped === 0) {
        dropped += 1;
        await route.abort('internetdisconnected');
        return;
      }
      await route.continue();
    });
    await page.goto(labels.valid);

    await expect(page.locator('.message__title').innerText()).resolves.toBe('网络连接失败');
    await screenshot(page, 'instrument-offline');
    await page.getByText('重试', { exact: true }).click();

    await expect(page.locator('.status-card__badge').innerText()).resolves.toBe('检定合格');
    expect(dropped).toBe(1);
  });
});
