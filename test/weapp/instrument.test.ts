/**
 * The mini-program's instrument page from the real weapp build, opened the way WeChat opens
 * it for a scanned label (普通链接二维码: the label URL arrives URL-encoded as `q`), talking
 * to the real BFF with its demo data.
 */
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { SimulatedComponent, startWeappSimulator, waitFor, WeappSimulator } from './simulator';

type Stack = Awaited<ReturnType<typeof startStack>>;

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

/** Opens the page as WeChat does after a scan of `labelUrl`, and waits until loading is over. */
async function openScannedLabel(labelUrl: string): Promise<SimulatedComponent> {
  const page = await weapp.renderPage('pages/instrument/index', { q: encodeURIComponent(labelUrl) });
  await waitFor(() => {
    const text = page.dom.textContent ?? '';
    return text.length > 0 && !text.includes('加载中');
  }, 'the instrument page to finish loading', 15_000);
  return page;
}

function textOf(page: SimulatedComponent, selector: string): string | null {
  return page.querySelector(selector)?.dom.textContent ?? null;
}

function has(page: SimulatedComponent, selector: string): boolean {
  return page.querySelector(selector) !== undefined;
}

function forge(labelUrl: string): string {
  return labelUrl.replace(/-[A-Za-z0-9_-]+$/, '-AAAAAAAAAA');
}

test('a scanned genuine label shows 检定合格 with the integrity mark, resolved by the scan API', async () => {
  const labelUrl = await stack.demo.instrumentUrl('valid');

  const page = await openScannedLabel(labelUrl);

  expect(textOf(page, '.status-badge__text')).toBe('检定合格');
  expect(textOf(page, '.status-badge__mark')).toContain('标签已核验');
  expect(page.dom.textContent).toContain('最近一次检定');
  const scanCall = weapp.calls.requests.find((url) => url.includes('/api/v1/scan?'));
  expect(scanCall && new URL(scanCall).searchParams.get('q')).toBe(labelUrl);
});

test('a scanned overdue instrument shows 检定过期 and no integrity mark', async () => {
  const page = await openScannedLabel(await stack.demo.instrumentUrl('overdue'));

  expect(textOf(page, '.status-badge__text')).toBe('检定过期');
  expect(has(page, '.status-badge__mark')).toBe(false);
});

test('a scanned label with a wrong signature warns 疑似伪造标签 and shows no integrity mark', async () => {
  const page = await openScannedLabel(forge(await stack.demo.instrumentUrl('valid')));

  expect(textOf(page, '.forged-banner__title')).toBe('疑似伪造标签');
  expect(has(page, '.status-badge__mark')).toBe(false);
  expect(page.dom.textContent).not.toContain('标签已核验');
});
