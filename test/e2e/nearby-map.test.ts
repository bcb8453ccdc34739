/**
 * The H5 附近 page's map (issue 9): drawn only when the deployment sets MAP_TILE_URL, here a
 * tiny tile server on 127.0.0.1 (the documented test/dev opt-in). 3×3 tiles at zoom 15 around
 * the point searched, one marker per listed business named after it; without the setting the
 * page is the list alone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import type { Page } from 'playwright-core';
import { tileView, wgs84ToGcj02 } from '@shared/geo';
import { startStack, type Stack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { expectAccessible } from './axe';
import { launchPhoneBrowser, screenshot, type PhoneBrowser } from './browser';

/** 历下区's seat in WGS-84, as a phone's GPS would report it (the demo businesses are around it). */
const LIXIA_WGS84: [number, number] = [117.085, 36.655];

/** A 256 px tile: a pale fill with a darker frame, two shades in a checkerboard, so the block is visible in a screenshot. */
function tilePng(shade: number): Buffer {
  const size = 256;
  const rows: Buffer[] = [];
  for (let y = 0; y < size; y += 1) {
    const row = Buffer.alloc(1 + size * 3);
    for (let x = 0; x < size; x += 1) {
      const edge = x < 2 || y < 2 || x > size - 3 || y > size - 3;
      const v = edge ? 170 : shade;
      row.set([v, edge ? 180 : shade + 6, v], 1 + x * 3);
    }
    rows.push(row);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(zlib.crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', header), chunk('IDAT', zlib.deflateSync(Buffer.concat(rows))), chunk('IEND', Buffer.alloc(0))]);
}

const TILES = [tilePng(232), tilePng(242)];
let tileServer: http.Server;
let tileRequests: string[] = [];

let withMap: Stack;
let withoutMap: Stack;
let browser: PhoneBrowser;
let page: Page;
let pageErrors: string[];

beforeAll(async () => {
  tileServer = http.createServer((req, res) => {
    const match = /^\/(\d+)\/(\d+)\/(\d+)\.png$/.exec(req.url ?? '');
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    tileRequests.push(`${match[1]}/${match[2]}/${match[3]}`);
    res.writeHead(200, { 'content-type': 'image/png' }).end(TILES[(Number(match[2]) + Number(match[3])) % 2]);
  });
  await new Promise<void>((resolve) => tileServer.listen(0, '127.0.0.1', resolve));
  const port = (tileServer.address() as AddressInfo).port;
  await ensureBuild('h5');
  [withMap, withoutMap] = await Promise.all([
    startStack({ seed: true, businesses: 60, env: { MAP_TILE_URL: `http://127.0.0.1:${port}/{z}/{x}/{y}.png` } }),
    startStack({ seed: true, businesses: 20 }),
  ]);
  browser = await launchPhoneBrowser();
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await withMap?.stop();
  await withoutMap?.stop();
  await new Promise((resolve) => tileServer?.close(resolve));
});

beforeEach(async () => {
  tileRequests = [];
  page = await browser.newPage();
  page.setDefaultTimeout(15_000);
  pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
});

afterEach(async () => {
  await page?.close();
});

async function openNearby(stack: Stack): Promise<void> {
  await browser.context.grantPermissions(['geolocation'], { origin: stack.baseUrl });
  await browser.context.setGeolocation({ longitude: LIXIA_WGS84[0], latitude: LIXIA_WGS84[1] });
  await page.goto(`${stack.baseUrl}/pages/nearby/index`);
  await page.locator('.nearby__content').waitFor();
}

test('with MAP_TILE_URL set, the page draws the 3×3 tiles at zoom 15 around the point and a named marker per listed business', async () => {
  await openNearby(withMap);
  const map = page.getByRole('region', { name: '附近经营者地图' });
  await map.waitFor();

  const expected = tileView(wgs84ToGcj02(LIXIA_WGS84), 15).tiles.map((t) => `${t.z}/${t.x}/${t.y}`);
  expect(expected).toHaveLength(9);
  const drawn = await map.locator('img.tile-map__tile').evaluateAll((images) => images.map((image) => (image as HTMLImageElement).dataset.tile));
  expect(drawn).toEqual(expected);
  // Every tile really loaded (the CSP let the tile origin through), and from the URL the template makes.
  await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('img.tile-map__tile')].every((image) => image.complete && image.naturalWidth === 256));
  expect([...new Set(tileRequests)].sort()).toEqual([...expected].sort());

  const names = await page.locator('.business-card__name').allInnerTexts();
  const markers = map.getByRole('button');
  // Each marker is named after its business and its place in the list (the number it shows).
  const markerNames = await markers.evaluateAll((buttons) => buttons.map((button) => [button.getAttribute('aria-label'), button.textContent]));
  expect(markerNames.length).toBeGreaterThan(0);
  for (const [label, number] of markerNames) {
    expect(label).toBe(`${names[Number(number) - 1]}，列表第 ${number} 家`);
  }
  await expect(page.getByText('地图数据来自配置的瓦片服务', { exact: false }).isVisible()).resolves.toBe(true);

  await expectAccessible(page, 'nearby-map');
  await screenshot(page, 'nearby-map');
  expect(pageErrors).toEqual([]);
});

test('pressing a marker, by keyboard too, outlines that business\'s card in the list', async () => {
  await openNearby(withMap);
  const map = page.getByRole('region', { name: '附近经营者地图' });
  const marker = map.getByRole('button').last();
  const name = (await marker.getAttribute('data-name'))!;
  await marker.focus();
  await page.keyboard.press('Enter');
  const picked = page.locator('.nearby__card--picked');
  await picked.waitFor();
  await expect(picked.locator('.business-card__name').innerText()).resolves.toBe(name);
  await expect(marker.getAttribute('aria-pressed')).resolves.toBe('true');
  await expect(page.locator('.nearby__card--picked').count()).resolves.toBe(1);
  await expect(picked.isVisible()).resolves.toBe(true);
  await screenshot(page, 'nearby-map-picked');
  expect(pageErrors).toEqual([]);
});

test('without MAP_TILE_URL there is no map, the list alone, and no image from outside the app', async () => {
  await openNearby(withoutMap);
  await page.locator('.business-card').first().waitFor();
  await expect(page.locator('.tile-map').count()).resolves.toBe(0);
  await expect(page.getByRole('region', { name: '附近经营者地图' }).count()).resolves.toBe(0);
  expect(tileRequests).toEqual([]);
  expect(pageErrors).toEqual([]);
});
