/**
 * The 搜索 tab and the business page in the H5 build, on the real stack with demo data: what a
 * shopper sees when looking a business up by name or by the code on a label.
 */
import type { Page } from 'playwright-core';
import { industryName } from '@shared/catalogue';
import { regionName } from '@shared/regions';
import { startStack, type Stack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchPhoneBrowser, screenshot, type PhoneBrowser } from './browser';

const DEMO_BUSINESSES = 40;

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true, businesses: DEMO_BUSINESSES });
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
});

afterEach(async () => {
  await page?.close();
});

const cards = () => page.locator('.business-card');
const cardNames = () => page.locator('.business-card__name').allInnerTexts();

async function openSearch(): Promise<void> {
  await page.goto(`${stack.baseUrl}/pages/search/index`);
  await cards().first().waitFor();
}

async function searchFor(text: string): Promise<void> {
  await page.locator('.search__input input').fill(text);
  await page.locator('.search__button').click();
}

/** A demo business as stored, and every active one in registration order (the order of an unfiltered search). */
async function demoBusiness(index = 3) {
  const { Business } = stack.server.deps.models;
  const all = await Business.find({ status: 'active' }).sort({ _id: 1 }).lean();
  return { business: all[index], all };
}

function codeOfLabel(labelUrl: string): string {
  const token = decodeURIComponent(/\/i\/([^/?#]+)/.exec(labelUrl)?.[1] ?? new URL(labelUrl).searchParams.get('q') ?? '');
  return token.replace(/^.*\/i\//, '').split('-')[0];
}

/** A demo name without its branch, e.g. 惠民便利店（羊里店） → 惠民便利店: what someone remembers of a shop. */
function namePart(name: string): string {
  return name.split('（')[0];
}

/** Active businesses: closed ones are not public. */
async function activeCount(): Promise<number> {
  return stack.server.deps.models.Business.countDocuments({ status: 'active' });
}

/**
 * Flicks the results to the bottom and a little back up, as a thumb would, until at least
 * `count` elements match `selector`. A tab page scrolls in its own container
 * (.taro_page), not the window; Taro starts listening to it just after the page shows, so a
 * single scroll to the bottom may come too early.
 */
async function flickToBottomUntil(selector: string, count = 1): Promise<void> {
  await page.waitForFunction(([css, n]) => {
    const scroller = document.querySelector('.search')?.closest('.taro_page');
    if (scroller) {
      const bottom = scroller.scrollHeight - scroller.clientHeight;
      scroller.scrollTo(0, scroller.scrollTop >= bottom - 1 ? bottom - 300 : bottom);
    }
    return document.querySelectorAll(css as string).length >= (n as number);
    // Each position held a quarter second (not one frame), so Taro's scroll listener sees the
    // bottom even on a loaded machine; the page may take a while to arrive there.
  }, [selector, count] as const, { polling: 250, timeout: 45_000 });
}

describe('search page', () => {
  test('lists the businesses with name, industry, district, grade words and instrument count', async () => {
    const total = await activeCount();
    await openSearch();

    await expect(page.locator('.search__count').innerText()).resolves.toBe(`共有 ${total} 家经营者`);
    await expect(cards().count()).resolves.toBe(10);
    const first = await cards().first().innerText();
    expect(first).toMatch(/ · .*区|县/);
    expect(first).toContain('暂无评级');
    expect(first).toMatch(/在用计量器具 \d+ 台/);
    await expect(page.locator('.search__input input').getAttribute('aria-label')).resolves.toContain('经营者名称');
    await expectAccessible(page, 'search (all businesses)');
    await screenshot(page, 'search');
    expect(pageErrors).toEqual([]);
  });

  test('finds a business by part of its name', async () => {
    const { business, all } = await demoBusiness();
    const part = namePart(business.name);
    const expected = all.filter((b) => b.name.includes(part)).map((b) => b.name);
    expect(expected.length).toBeLessThanOrEqual(10);
    await openSearch();

    await searchFor(part);

    await expect(page.locator('.search__count').innerText()).resolves.toBe(`找到 ${expected.length} 家经营者`);
    await expect(cardNames()).resolves.toEqual(expected);
    await screenshot(page, 'search-by-name');
  });

  test('finds the business an instrument code belongs to, and its card opens the business page with that instrument', async () => {
    const code = codeOfLabel(await stack.demo.instrumentUrl('valid'));
    const { Business, Instrument } = stack.server.deps.models;
    const instrument = await Instrument.findOne({ code }).lean();
    const owner = await Business.findById(instrument!.business).lean();
    await openSearch();

    await searchFor(code);

    await page.locator('.search__count').getByText('找到 1 家经营者').waitFor();
    await expect(cardNames()).resolves.toEqual([owner!.name]);
    await cards().first().click();
    await page.waitForURL(/\/pages\/business\/index\?id=/);
    await expect(page.locator('.business__name').innerText()).resolves.toBe(owner!.name);
    const row = page.locator('.business__instrument', { hasText: code });
    await expect(row.locator('.status-tag__text').innerText()).resolves.toBe('检定合格');
    await expect(row.innerText()).resolves.toMatch(/有效期至 \d{4}-\d{2}-\d{2}/);
  });

  test('the industry and district filters narrow the results to what they name', async () => {
    const { business, all } = await demoBusiness(0);
    const sameIndustry = all.filter((b) => b.industry === business.industry);
    const sameBoth = sameIndustry.filter((b) => b.regionCode === business.regionCode);
    await openSearch();

    await page.getByText('行业：全部').click();
    await page.locator('.filter-bar__chip', { hasText: industryName(business.industry)! }).click();
    await page.locator('.search__count').getByText(`找到 ${sameIndustry.length} 家经营者`).waitFor();
    await page.getByText('地区：全部').click();
    await screenshot(page, 'search-filter-open');
    await page.locator('.filter-bar__chip', { hasText: regionName(business.regionCode)! }).click();

    await page.locator('.search__count').getByText(`找到 ${sameBoth.length} 家经营者`).waitFor();
    expect(sameBoth.length).toBeLessThan(sameIndustry.length);
    const metas = await page.locator('.business-card__meta').allInnerTexts();
    expect(metas).toEqual(sameBoth.slice(0, 10).map(() => `${industryName(business.industry)} · ${regionName(business.regionCode)}`));
    await expect(page.locator('.filter-bar__toggle--active').count()).resolves.toBe(2);
    await expectAccessible(page, 'search (filtered)');
    await screenshot(page, 'search-filtered');
  });

  test('the grade filter 暂无评级 keeps every (ungraded) demo business, A 级 finds none and says so', async () => {
    const total = await activeCount();
    await openSearch();

    await page.getByText('等级：全部').click();
    await page.locator('.filter-bar__chip', { hasText: '暂无评级' }).click();
    await page.locator('.search__count').getByText(`找到 ${total} 家经营者`).waitFor();
    await page.getByText('等级：暂无评级').click();
    await page.locator('.filter-bar__chip', { hasText: 'A 级' }).click();

    await page.getByText('没有找到符合条件的经营者').waitFor();
  });

  test('a name that matches nothing says 没有找到 and how to check the name or code', async () => {
    await openSearch();

    await searchFor('查无此店铺');

    await page.locator('.state--empty').waitFor();
    await expect(page.locator('.state__title').innerText()).resolves.toBe('没有找到“查无此店铺”');
    await expect(page.locator('.state--empty .state__text').innerText()).resolves.toContain('器具识别码');
    await expectAccessible(page, 'search (no result)');
    await screenshot(page, 'search-empty');
  });

  test('scrolling to the bottom loads the next page, until the end of the list says so', async () => {
    const total = await activeCount();
    expect(total).toBeGreaterThan(30);
    await openSearch();
    await expect(cards().count()).resolves.toBe(10);

    for (const shown of [20, 30, total]) await flickToBottomUntil('.business-card', shown);
    await expect(page.getByText('加载更多', { exact: true }).count()).resolves.toBe(0);

    await page.getByText(`已经到底了，共 ${total} 家经营者`).waitFor();
    const { all } = await demoBusiness();
    await expect(cardNames()).resolves.toEqual(all.map((b) => b.name));
    await screenshot(page, 'search-end');
  });

  test('a next page that fails offers 重试 and keeps what is shown', async () => {
    let offline = true;
    let dropped = 0;
    await page.route('**/api/v1/businesses?*page=2*', async (route) => {
      if (offline) {
        dropped += 1;
        await route.abort('internetdisconnected');
        return;
      }
      await route.continue();
    });
    await openSearch();

    await flickToBottomUntil('.list-footer [role="alert"]');

    await expect(page.locator('.list-footer').innerText()).resolves.toContain('下一页没有加载出来');
    // Scrolling on does not ask again by itself (offline, it would only fail again): 重试 does.
    const droppedBefore = dropped;
    await flickToBottomUntil('.list-footer [role="alert"]');
    expect(dropped).toBe(droppedBefore);
    await expect(cards().count()).resolves.toBe(10);
    await expectAccessible(page, 'search (next page failed)');
    offline = false;
    await page.locator('.list-footer').getByText('重试', { exact: true }).click();
    await page.waitForFunction(() => document.querySelectorAll('.business-card').length === 20);
    expect(dropped).toBeGreaterThan(0);
  });
});

describe('business page', () => {
  test('shows the grade words, every instrument with its status icon and words, the status counts and the empty sections', async () => {
    const { Instrument } = stack.server.deps.models;
    const code = codeOfLabel(await stack.demo.instrumentUrl('overdue'));
    const instrument = await Instrument.findOne({ code }).lean();
    const inUse = await Instrument.countDocuments({ business: instrument!.business, status: 'in_use' });

    await page.goto(`${stack.baseUrl}/pages/business/index?id=${String(instrument!.business)}`);

    await page.locator('.business__name').waitFor();
    await expect(page.locator('.business__header .grade-badge').innerText()).resolves.toBe('暂无评级');
    await expect(page.getByText(`计量器具（${inUse} 台在用）`).isVisible()).resolves.toBe(true);
    const overdueRow = page.locator('.business__instrument', { hasText: code });
    await expect(overdueRow.locator('.status-tag__text').innerText()).resolves.toBe('检定过期');
    await expect(overdueRow.locator('.status-tag__icon').innerText()).resolves.toBe('✕');
    await expect(page.locator('.business__counts').innerText()).resolves.toContain('检定过期');
    await expect(page.getByText('暂无监督检查记录').isVisible()).resolves.toBe(true);
    await expect(page.getByText('暂无经营者回复').isVisible()).resolves.toBe(true);
    await expect(page.getByText(/收到投诉 \d+ 件，已办结 \d+ 件/).isVisible()).resolves.toBe(true);
    await expectAccessible(page, 'business page');
    await screenshot(page, 'business');
    expect(pageErrors).toEqual([]);
  });

  test('an instrument on the business page opens its instrument page', async () => {
    const { Instrument } = stack.server.deps.models;
    const code = codeOfLabel(await stack.demo.instrumentUrl('valid'));
    const instrument = await Instrument.findOne({ code }).lean();
    await page.goto(`${stack.baseUrl}/pages/business/index?id=${String(instrument!.business)}`);

    await page.locator('.business__instrument', { hasText: code }).click();

    await page.waitForURL(/\/pages\/instrument\/index\?q=/);
    await expect(page.locator('.status-badge__text').innerText()).resolves.toBe('检定合格');
  });

  test('an unknown business says 未找到该经营者', async () => {
    await page.goto(`${stack.baseUrl}/pages/business/index?id=0123456789abcdef01234567`);

    await page.locator('.state--not-found').waitFor();
    await expect(page.locator('.state__title').innerText()).resolves.toBe('未找到该经营者');
    await expectAccessible(page, 'business not found');
    await screenshot(page, 'business-not-found');
  });
});
