/**
 * The mini-program's home page, as WeChat would render it from the real weapp build, talking
 * to the real BFF with its demo data.
 */
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { SimulatedComponent, startWeappSimulator, textsOf, waitFor, WeappSimulator } from './simulator';

type Stack = Awaited<ReturnType<typeof startStack>>;

const SCANNED_LABEL = 'https://cxjl.example.cn/i/3701020001000000017-Zk3qP9aB';

let stack: Stack;
let weapp: WeappSimulator;

beforeAll(async () => {
  await ensureBuild('weapp');
  stack = await startStack({ seed: true });
  weapp = startWeappSimulator({ serverUrl: stack.baseUrl });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

async function renderHome(): Promise<SimulatedComponent> {
  const page = await weapp.renderPage('pages/index/index');
  await waitFor(() => page.dom.textContent?.includes('扫一扫') ?? false, 'the home page to render');
  return page;
}

function find(page: SimulatedComponent, selector: string): SimulatedComponent {
  const found = page.querySelector(selector);
  if (!found) throw new Error(`no ${selector} on the page`);
  return found;
}

test('the home page shows the title, the scan button and what the label is', async () => {
  const page = await renderHome();

  expect(find(page, '.home__title').dom.textContent).toBe('诚信计量公示');
  expect(find(page, '.home__scan').dom.tagName.toLowerCase()).toBe('wx-button');
  expect(find(page, '.home__scan').dom.textContent).toContain('扫一扫');
  expect(page.dom.textContent).toContain('什么是诚信计量标签');
});

/** The sections that load data are done when no loading state is left on the page. */
async function settled(page: SimulatedComponent): Promise<void> {
  await waitFor(() => page.querySelector('.state--loading') === undefined, 'the home sections to finish loading', 15_000);
}

test('the latest three articles are listed, as the articles API answers', async () => {
  const page = await renderHome();
  await settled(page);

  const response = await fetch(`${stack.baseUrl}/api/v1/articles?pageSize=3`);
  const newest = ((await response.json()) as { items: Array<{ title: string }> }).items.map((item) => item.title);
  expect(newest).toHaveLength(3);
  expect(textsOf(page, '.home__article .link-row__title')).toEqual(newest);
});

test('with no location permission granted, the nearby section says so and offers 附近', async () => {
  const page = await renderHome();
  await settled(page);

  const nearby = find(page, '.home__nearby');
  expect(nearby.dom.textContent).toContain('未获取位置');
  const before = weapp.calls.switchTab.length;
  find(page, '.home__nearby .state__action').dispatchEvent('tap');
  await waitFor(() => weapp.calls.switchTab.length > before, 'switchTab to 附近');
  expect(weapp.calls.switchTab.at(-1)).toBe('/pages/nearby/index');
});

test('with the location allowed, the A/B businesses near it are listed with their grade', async () => {
  const { Business } = stack.server.deps.models;
  const target = await Business.findOne({ location: { $exists: true } }).lean();
  if (!target?.location) throw new Error('no demo business with a location');
  // Grades come with the grading issue; until then one is written the way the search reads it.
  await Business.collection.updateOne({ _id: target._id }, { $set: { grade: 'B' } });
  weapp.allowLocation(target.location.coordinates as [number, number]);
  try {
    const page = await renderHome();
    await settled(page);

    expect(textsOf(page, '.home__business .link-row__title')).toEqual([target.name]);
    expect(textsOf(page, '.home__business .home__grade')).toEqual(['B 级']);
    const search = weapp.calls.requests.filter((url) => url.includes('/api/v1/businesses?')).at(-1);
    const near = new URL(search ?? 'http://none/').searchParams.get('near');
    expect(near).toBe(target.location.coordinates.join(','));
  } finally {
    weapp.allowLocation(null);
    await Business.collection.updateOne({ _id: target._id }, { $unset: { grade: '' } });
  }
});

test('the search box opens the 搜索 tab', async () => {
  const page = await renderHome();
  const before = weapp.calls.switchTab.length;

  find(page, '.home__search-input').dispatchEvent('input', { detail: { value: '超市' } });
  find(page, '.home__search-button').dispatchEvent('tap');

  await waitFor(() => weapp.calls.switchTab.length > before, 'switchTab after 搜索');
  expect(weapp.calls.switchTab.at(-1)).toBe('/pages/search/index');
});

test('tapping 扫一扫 opens the instrument page with the scanned QR content as q', async () => {
  const page = await renderHome();
  weapp.answerScanWith({ result: SCANNED_LABEL });
  const before = weapp.calls.navigateTo.length;

  find(page, '.home__scan').dispatchEvent('tap');

  await waitFor(() => weapp.calls.navigateTo.length > before, 'navigateTo after the scan');
  expect(weapp.calls.navigateTo.at(-1)).toBe(`/pages/instrument/index?q=${encodeURIComponent(SCANNED_LABEL)}`);
});

test('a cancelled scan stays on the home page and asks for the code instead', async () => {
  const page = await renderHome();
  weapp.answerScanWith({ error: 'scanCode:fail cancel' });
  const before = { navigations: weapp.calls.navigateTo.length, toasts: weapp.calls.toasts.length, scans: weapp.calls.scans };

  find(page, '.home__scan').dispatchEvent('tap');

  await waitFor(() => weapp.calls.toasts.length > before.toasts, 'a toast after the failed scan');
  expect(weapp.calls.scans).toBe(before.scans + 1);
  expect(weapp.calls.toasts.at(-1)).toBe('未能扫码，请输入识别码');
  expect(weapp.calls.navigateTo.length).toBe(before.navigations);
});

test('a typed code and 查询 open the instrument page for that code', async () => {
  const page = await renderHome();
  const before = weapp.calls.navigateTo.length;

  find(page, '.home__input').dispatchEvent('input', { detail: { value: ' 3701020001000000017 ' } });
  find(page, '.home__query-button').dispatchEvent('tap');

  await waitFor(() => weapp.calls.navigateTo.length > before, 'navigateTo after 查询');
  expect(weapp.calls.navigateTo.at(-1)).toBe('/pages/instrument/index?q=3701020001000000017');
});
