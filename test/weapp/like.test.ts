/**
 * Liking an instrument in the real weapp build (miniprogram-simulate): the tap goes through
 * Taro's event handlers, WeChat login (wx.login → the BFF → mock WeChat) and the likes API.
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

function find(page: SimulatedComponent, selector: string): SimulatedComponent {
  const found = page.querySelector(selector);
  if (!found) throw new Error(`${selector} is not on the page: ${page.dom.textContent}`);
  return found;
}

function text(page: SimulatedComponent, selector: string): string {
  return (page.querySelector(selector)?.dom.textContent ?? '').trim();
}

test('tapping like on the instrument page counts once; a second tap the same day says 今日已点赞', async () => {
  const labelUrl = await stack.demo.instrumentUrl('valid');
  const page = await weapp.renderPage('pages/instrument/index', { q: encodeURIComponent(labelUrl) });
  await waitFor(() => page.querySelector('.like__count') !== undefined, 'the like button', 15_000);
  const before = Number(text(page, '.like__count'));

  find(page, '.like__button').dispatchEvent('tap');
  await waitFor(() => text(page, '.like__note') === '感谢您的认可', 'the like to be counted', 15_000);
  expect(Number(text(page, '.like__count'))).toBe(before + 1);

  find(page, '.like__button').dispatchEvent('tap');
  await waitFor(() => text(page, '.like__note') === '今日已点赞', 'the second like to be answered', 15_000);
  expect(Number(text(page, '.like__count'))).toBe(before + 1);
  expect(weapp.calls.requests.filter((url) => url.includes('/likes'))).toHaveLength(2);
});
