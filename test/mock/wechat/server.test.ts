import { WechatClient, WechatError } from '@bff/wechat/client';
import { startMockWechat, type MockWechat } from '@mock/wechat/server';

let mock: MockWechat;
let client: WechatClient;
beforeEach(async () => {
  mock = await startMockWechat({ sendLimit: 3, sendWindowMs: 60_000 });
  client = new WechatClient({ apiBase: mock.url, appId: 'wx-dev-appid', secret: 'mock-wechat-secret' });
});
afterEach(() => mock.stop());

const get = (path: string) => fetch(mock.url + path).then((r) => r.json());

describe('mock WeChat open API', () => {
  it('maps the same js_code to the same openid and different codes to different ones', async () => {
    const a = await client.code2Session('code-a');
    expect(a.openid).toMatch(/^o[\w-]{27}$/);
    expect((await client.code2Session('code-a')).openid).toBe(a.openid);
    expect((await client.code2Session('code-b')).openid).not.toBe(a.openid);
  });

  it('answers 40029 for codes starting with "invalid" and for non-printable codes', async () => {
    await expect(client.code2Session('invalid-1')).rejects.toMatchObject({ errcode: 40029 });
    const res = await get('/sns/jscode2session?appid=wx-dev-appid&secret=mock-wechat-secret&grant_type=authorization_code&js_code=' + encodeURIComponent('a b'));
    expect(res.errcode).toBe(40029);
  });

  it('rejects a wrong app secret like WeChat does', async () => {
    const res = await get('/sns/jscode2session?appid=wx-dev-appid&secret=wrong&js_code=x&grant_type=authorization_code');
    expect(res.errcode).toBe(40125);
  });

  it('issues access tokens that expire', async () => {
    const res = await get('/cgi-bin/token?grant_type=client_credential&appid=wx-dev-appid&secret=mock-wechat-secret');
    expect(res.expires_in).toBe(7200);
    const send = (token: string) =>
      fetch(`${mock.url}/cgi-bin/message/subscribe/send?access_token=${token}`, { method: 'POST', body: JSON.stringify({ touser: mock.openidFor('x'), template_id: 't', data: {} }) }).then((r) => r.json());
    mock.expireTokens();
    expect((await send(res.access_token)).errcode).toBe(40001);
  });

  it('sends a subscription message only to a user who accepted it (43101 otherwise), one per acceptance', async () => {
    const openid = mock.openidFor('subscriber');
    const message = { touser: openid, template_id: 'TPL_TRUSTED', page: 'pages/index/index', data: { thing1: { value: '本周诚信商家' } } };
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 });
    mock.grantSubscription(openid, 'TPL_TRUSTED', 1);
    await client.sendSubscribeMessage(message);
    expect(mock.sent).toEqual([expect.objectContaining({ touser: openid, template_id: 'TPL_TRUSTED' })]);
    await expect(client.sendSubscribeMessage(message)).rejects.toMatchObject({ errcode: 43101 });
  });

  it('renews a stale access token once and retries the send', async () => {
    const openid = mock.openidFor('renew');
    mock.grantSubscription(openid, 'T', 2);
    await client.sendSubscribeMessage({ touser: openid, template_id: 'T', data: {} });
    mock.expireTokens();
    await client.sendSubscribeMessage({ touser: openid, template_id: 'T', data: {} });
    expect(mock.sent).toHaveLength(2);
    expect(mock.requests.filter((r) => r.path === '/cgi-bin/token')).toHaveLength(2);
  });

  it('answers 45009 past the configured send rate', async () => {
    const openid = mock.openidFor('busy');
    mock.grantSubscription(openid, 'T', 10);
    for (let i = 0; i < 3; i += 1) await client.sendSubscribeMessage({ touser: openid, template_id: 'T', data: {} });
    const err = await client.sendSubscribeMessage({ touser: openid, template_id: 'T', data: {} }).catch((e) => e);
    expect(err).toBeInstanceOf(WechatError);
    expect(err.errcode).toBe(45009);
  });

  it('records what it received', async () => {
    await client.code2Session('recorded');
    expect(mock.requests.at(-1)).toMatchObject({ method: 'GET', path: '/sns/jscode2session', query: { js_code: 'recorded' } });
  });
});
