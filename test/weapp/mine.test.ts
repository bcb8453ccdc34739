/**
 * 我的 in the real weapp build: WeChat's silent login (wx.login → the BFF's /auth/wechat, which
 * asks the mock WeChat for the openid) runs when the page opens, and the page says 已登录.
 */
import { startStack } from '../helpers/stack';
import { ensureBuild } from '../miniapp/helpers/build';
import { startWeappSimulator, textsOf, waitFor, WeappSimulator } from './simulator';

type Stack = Awaited<ReturnType<typeof startStack>>;

let stack: Stack;
let weapp: WeappSimulator;

beforeAll(async () => {
  await ensureBuild('weapp');
  stack = await startStack();
  weapp = startWeappSimulator({ serverUrl: stack.baseUrl });
}, 300_000);

afterAll(async () => {
  await stack?.stop();
});

test('opening 我的 logs in with WeChat and shows 已登录, with the entries to my records', async () => {
  const page = await weapp.renderPage('pages/mine/index');

  await waitFor(() => page.dom.textContent?.includes('已登录') ?? false, '我的 to show 已登录', 15_000);
  expect(weapp.calls.requests.some((url) => url.endsWith('/api/v1/auth/wechat'))).toBe(true);
  expect(stack.wechat.requests.some((request) => request.path === '/sns/jscode2session')).toBe(true);
  expect(textsOf(page, '.mine__entries .link-row__title')).toEqual(['我的投诉', '我的点赞', '计量知识']);
  expect(page.dom.textContent).not.toContain('访客身份');
});
