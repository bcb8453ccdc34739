/**
 * The 附近 tab in the H5 build: a browser's position (WGS-84) is converted to GCJ-02 before it
 * is sent, the list is sorted by distance, and without a position the city centre stands in and
 * the page says so. Demo grades are all unset, so the page says no A/B business is near and
 * lists the nearest ungraded ones.
 */
import type { Page, Request } from 'playwright-core';
import { HOME_CITY, wgs84ToGcj02 } from '@shared/geo';
import { startStack, type Stack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchPhoneBrowser, screenshot, type PhoneBrowser } from './browser';

/** 历下区's seat in WGS-84, what a phone's GPS would report there (mock/data/jinan.ts places demo businesses around it). */
const LIXIA_WGS84: [number, number] = [117.085, 36.655];

let stack: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];
/** The `near` of every business search the page made. */
let nearSent: Array<[number, number]>;

beforeAll(async () => {
  await ensureBuild('h5');
  stack = await startStack({ seed: true, businesses: 60 });
  browser = await launchPhoneBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

beforeEach(async () => {
  await browser.context.clearPermissions();
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  nearSent = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('request', (request: Request) => {
    const url = new URL(request.url());
    const near = url.pathname === '/api/v1/businesses' ? url.searchParams.get('near') : null;
    if (near) nearSent.push(near.split(',').map(Number) as [number, number]);
  });
});

afterEach(async () => {
  await page?.close();
});

/** "850 米" / "1.2 公里" → metres. */
function metres(text: string): number {
  const match = /距离 ([\d.]+) (米|公里)/.exec(text);
  if (!match) throw new Error(`no distance in ${text}`);
  return Number(match[1]) * (match[2] === '公里' ? 1000 : 1);
}

async function openNearby(): Promise<void> {
  await page.goto(`${stack.baseUrl}/pages/nearby/index`);
  await page.locator('.nearby__content').waitFor();
}

test('with the position granted, the nearest businesses are listed by distance, from the position converted to GCJ-02', async () => {
  await browser.context.grantPermissions(['geolocation'], { origin: stack.baseUrl });
  await browser.context.setGeolocation({ longitude: LIXIA_WGS84[0], latitude: LIXIA_WGS84[1] });

  await openNearby();

  await expect(page.locator('.nearby__point').innerText()).resolves.toContain('按您当前的位置查找');
  await expect(page.locator('.nearby__none-title').innerText()).resolves.toBe('附近暂无 A/B 级经营者');
  await expect(page.getByText('离您最近的经营者（暂无评级', { exact: false }).isVisible()).resolves.toBe(true);
  const distances = (await page.locator('.business-card__distance').allInnerTexts()).map(metres);
  expect(distances.length).toBeGreaterThan(1);
  expect(distances).toEqual([...distances].sort((a, b) => a - b));
  const grades = await page.locator('.business-card .grade-badge').allInnerTexts();
  expect(new Set(grades)).toEqual(new Set(['暂无评级']));
  const [expectedLng, expectedLat] = wgs84ToGcj02(LIXIA_WGS84);
  expect(nearSent.length).toBeGreaterThan(0);
  for (const [lng, lat] of nearSent) {
    expect(lng).toBeCloseTo(expectedLng, 5);
    expect(lat).toBeCloseTo(expectedLat, 5);
  }
  await expect(page.locator('.nearby__notice').count()).resolves.toBe(0);
  await expectAccessible(page, 'nearby (position granted)');
  await screenshot(page, 'nearby');
  expect(pageErrors).toEqual([]);
});

test('with the position refused, the page says so and searches around the city centre', async () => {
  await openNearby();

  await expect(page.locator('.nearby__notice-title').innerText()).resolves.toBe('未获得定位授权');
  await expect(page.locator('.nearby__notice-text').innerText()).resolves.toContain(`按${HOME_CITY.name}中心查找`);
  expect(nearSent.length).toBeGreaterThan(0);
  for (const point of nearSent) expect(point).toEqual(HOME_CITY.centre);
  await expect(page.locator('.business-card').count()).resolves.toBeGreaterThan(0);
  await expectAccessible(page, 'nearby (position refused)');
  await screenshot(page, 'nearby-city-centre');
});

test('a business listed nearby opens its page', async () => {
  await browser.context.grantPermissions(['geolocation'], { origin: stack.baseUrl });
  await browser.context.setGeolocation({ longitude: LIXIA_WGS84[0], latitude: LIXIA_WGS84[1] });
  await openNearby();
  const name = await page.locator('.business-card__name').first().innerText();

  await page.locator('.business-card').first().click();

  await page.waitForURL(/\/pages\/business\/index\?id=/);
  await expect(page.locator('.business__name').innerText()).resolves.toBe(name);
});

test('once businesses are graded, the A/B ones near the position are listed, nearest first', async () => {
  const { Business } = stack.server.deps.models;
  const [lng, lat] = wgs84ToGcj02(LIXIA_WGS84);
  const near = await Business.find({ status: 'active', location: { $nearSphere: { $geometry: { type: 'Point', coordinates: [lng, lat] }, $maxDistance: 5000 } } })
    .limit(3)
    .lean();
  expect(near.length).toBe(3);
  // Grades come from the grading issue; written straight into the collection here, as the grader will.
  await Business.collection.updateOne({ _id: near[0]._id }, { $set: { grade: 'B' } });
  await Business.collection.updateOne({ _id: near[2]._id }, { $set: { grade: 'A' } });
  await browser.context.grantPermissions(['geolocation'], { origin: stack.baseUrl });
  await browser.context.setGeolocation({ longitude: LIXIA_WGS84[0], latitude: LIXIA_WGS84[1] });

  await openNearby();

  await expect(page.getByText('附近的 A/B 级诚信经营者', { exact: false }).isVisible()).resolves.toBe(true);
  await expect(page.locator('.business-card__name').allInnerTexts()).resolves.toEqual([near[0].name, near[2].name]);
  await expect(page.locator('.business-card .grade-badge').allInnerTexts()).resolves.toEqual(['B 级 · 诚信良好', 'A 级 · 诚信优秀']);
  await expect(page.getByText('附近暂无 A/B 级经营者').count()).resolves.toBe(0);
  const { Instrument } = stack.server.deps.models;
  const counts = await Promise.all([near[0], near[2]].map((b) => Instrument.countDocuments({ business: b._id, status: 'in_use' })));
  await expect(page.locator('.business-card__count').allInnerTexts()).resolves.toEqual(counts.map((n) => `在用计量器具 ${n} 台`));
  await expectAccessible(page, 'nearby (A/B businesses)');
  await screenshot(page, 'nearby-trusted');
});
