/**
 * The WeChat open API as the BFF uses it. The base URL comes from config: the real
 * https://api.weixin.qq.com in production, mock/wechat in development and tests. Same code path.
 */
export class WechatError extends Error {
  constructor(readonly errcode: number, message: string) {
    super(message);
  }
}

export interface WechatSession {
  openid: string;
  unionid?: string;
}

export interface SubscribeMessage {
  touser: string;
  template_id: string;
  page?: string;
  data: Record<string, { value: string }>;
  miniprogram_state?: 'developer' | 'trial' | 'formal';
  lang?: 'zh_CN';
}

export class WechatClient {
  private accessToken?: { value: string; expiresAt: number };

  constructor(private opts: { apiBase: string; appId: string; secret: string; timeoutMs?: number }) {}

  /** wx.login's code → the user's openid (sns/jscode2session). */
  async code2Session(code: string): Promise<WechatSession> {
    const res = await this.call('GET', '/sns/jscode2session', {
      appid: this.opts.appId,
      secret: this.opts.secret,
      js_code: code,
      grant_type: 'authorization_code',
    });
    return { openid: String(res.openid), ...(res.unionid ? { unionid: String(res.unionid) } : {}) };
  }

  /** Sends one subscription message; refreshes the access token once if WeChat says it is stale. */
  async sendSubscribeMessage(message: SubscribeMessage): Promise<void> {
    try {
      await this.call('POST', '/cgi-bin/message/subscribe/send', { access_token: await this.token() }, message);
    } catch (err) {
      if (!(err instanceof WechatError) || (err.errcode !== 40001 && err.errcode !== 42001)) throw err;
      this.accessToken = undefined;
      await this.call('POST', '/cgi-bin/message/subscribe/send', { access_token: await this.token() }, message);
    }
  }

  private async token(): Promise<string> {
    if (this.accessToken && this.accessToken.expiresAt > Date.now()) return this.accessToken.value;
    const res = await this.call('GET', '/cgi-bin/token', {
      grant_type: 'client_credential',
      appid: this.opts.appId,
      secret: this.opts.secret,
    });
    // Renew five minutes early, as WeChat advises.
    const ttl = Math.max(60, Number(res.expires_in) - 300);
    this.accessToken = { value: String(res.access_token), expiresAt: Date.now() + ttl * 1000 };
    return this.accessToken.value;
  }

  private async call(method: 'GET' | 'POST', path: string, query: Record<string, string>, body?: unknown): Promise<Record<string, unknown>> {
    const url = `${this.opts.apiBase.replace(/\/+$/, '')}${path}?${new URLSearchParams(query)}`;
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: body ? { 'content-type': 'application/json' } : undefined,
        body: body ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
    } catch (err) {
      throw new WechatError(-1, `WeChat API unreachable: ${(err as Error).message}`);
    }
    const json = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    const errcode = Number(json.errcode ?? 0);
    if (!res.ok || errcode !== 0) throw new WechatError(errcode || -1, String(json.errmsg ?? `HTTP ${res.status}`));
    return json;
  }
}
