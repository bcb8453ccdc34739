import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for WeChat's open API with the real paths, shapes and error codes, for development
 * and tests. It records every request so tests can assert on what the BFF sent.
 *
 * - GET  /sns/jscode2session: any js_code of 1–64 printable characters maps to a stable openid;
 *   codes starting with "invalid" answer 40029.
 * - GET  /cgi-bin/token: access tokens that expire after `tokenTtlSeconds`.
 * - POST /cgi-bin/message/subscribe/send: 40001 for a bad or expired token, 40003 for an unknown
 *   openid shape, 43101 when the user has not accepted that template (each acceptance allows one
 *   message), 45009 past `sendLimit` messages per `sendWindowMs`.
 */
export interface MockWechatOptions {
  port?: number;
  appId?: string;
  secret?: string;
  tokenTtlSeconds?: number;
  sendLimit?: number;
  sendWindowMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  at: Date;
}

export interface MockWechat {
  url: string;
  requests: RecordedRequest[];
  /** Messages accepted by subscribe/send, in order. */
  sent: Array<{ touser: string; template_id: string; page?: string; data: unknown }>;
  /** The user accepted `count` more messages of this template (wx.requestSubscribeMessage). */
  grantSubscription(openid: string, templateId: string, count?: number): void;
  openidFor(jsCode: string): string;
  expireTokens(): void;
  stop(): Promise<void>;
}

const PRINTABLE = /^[\x21-\x7e]{1,64}$/;

export function openidFor(appId: string, jsCode: string): string {
  return 'o' + createHash('sha256').update(`${appId}:${jsCode}`).digest('base64url').slice(0, 27);
}

export async function startMockWechat(opts: MockWechatOptions = {}): Promise<MockWechat> {
  const appId = opts.appId ?? 'wx-dev-appid';
  const secret = opts.secret ?? 'mock-wechat-secret';
  const tokenTtl = opts.tokenTtlSeconds ?? 7200;
  const sendLimit = opts.sendLimit ?? 1000;
  const sendWindowMs = opts.sendWindowMs ?? 60_000;
  const tokens = new Map<string, number>(); // token → expiresAt
  const grants = new Map<string, number>(); // `${openid}|${template}` → remaining
  const requests: RecordedRequest[] = [];
  const sent: MockWechat['sent'] = [];
  let sendWindow = { start: Date.now(), count: 0 };

  const routes: Partial<Record<string, (q: Record<string, string>, body: any) => object>> = {
    'GET /sns/jscode2session': (q) => {
      if (q.appid !== appId) return { errcode: 40013, errmsg: 'invalid appid' };
      if (q.secret !== secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
      const code = q.js_code ?? '';
      if (!PRINTABLE.test(code) || code.startsWith('invalid')) return { errcode: 40029, errmsg: 'invalid code' };
      return { openid: openidFor(appId, code), session_key: randomBytes(16).toString('base64') };
    },
    'GET /cgi-bin/token': (q) => {
      if (q.grant_type !== 'client_credential') return { errcode: 40002, errmsg: 'invalid grant_type' };
      if (q.appid !== appId || q.secret !== secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
      const token = randomBytes(24).toString('base64url');
      tokens.set(token, Date.now() + tokenTtl * 1000);
      return { access_token: token, expires_in: tokenTtl };
    },
    'POST /cgi-bin/message/subscribe/send': (q, body) => {
      const expiresAt = tokens.get(q.access_token ?? '');
      if (!expiresAt || expiresAt <= Date.now()) return { errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' };
      if (Date.now() - sendWindow.start > sendWindowMs) sendWindow = { start: Date.now(), count: 0 };
      if (sendWindow.count >= sendLimit) return { errcode: 45009, errmsg: 'reach max api daily quota limit' };
      if (typeof body?.touser !== 'string' || !/^o[\w-]{27}$/.test(body.touser)) return { errcode: 40003, errmsg: 'invalid openid' };
      if (typeof body.template_id !== 'string' || typeof body.data !== 'object') return { errcode: 47003, errmsg: 'argument invalid!' };
      const key = `${body.touser}|${body.template_id}`;
      const left = grants.get(key) ?? 0;
      if (left <= 0) return { errcode: 43101, errmsg: 'user refuse to accept the msg' };
      grants.set(key, left - 1);
      sendWindow.count += 1;
      sent.push({ touser: body.touser, template_id: body.template_id, page: body.page, data: body.data });
      return { errcode: 0, errmsg: 'ok' };
    },
  };

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://mock');
    const query = Object.fromEntries(url.searchParams);
    const raw = await readBody(req);
    let body: unknown = undefined;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    requests.push({ method: req.method ?? 'GET', path: url.pathname, query, body, at: new Date() });
    const route = routes[`${req.method} ${url.pathname}`];
    const answer = route ? route(query, body) : { errcode: 404, errmsg: 'mock: no such api' };
    res.writeHead(route ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(answer));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    sent,
    grantSubscription(openid, templateId, count = 1) {
      const key = `${openid}|${templateId}`;
      grants.set(key, (grants.get(key) ?? 0) + count);
    },
    openidFor: (code) => openidFor(appId, code),
    expireTokens: () => tokens.clear(),
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > 1_000_000) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
