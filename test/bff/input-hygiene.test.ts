import { request as httpRequest } from 'node:http';
import { startTestApp, type TestApp } from '../helpers/app';

let app: TestApp;
let lixia: string; // regulator of 历下区 (370102)
let admin: string;
beforeAll(async () => {
  app = await startTestApp();
  lixia = await app.tokenFor('regulator', { regionCode: '370102' });
  admin = await app.tokenFor('admin');
});
afterAll(() => app.stop());

const business = (over: Record<string, unknown> = {}) => ({
  name: '历下区泉城农贸市场',
  industry: 'market',
  regionCode: '370102',
  address: '泉城路 1 号',
  ...over,
});

async function createBusiness(over: Record<string, unknown> = {}) {
  const res = await app.request('/api/v1/admin/businesses', { token: lixia, body: business(over) });
  expect(res.status).toBe(201);
  return res.body as { id: string; name: string };
}

/**
 * Sends the headers and only `sent` bytes of a body whose Content-Length says `declared`, then
 * waits for the answer. A server that tried to read the whole body would never answer, so an
 * answer at all shows the body was not read.
 */
function answerWithoutFullBody(path: string, opts: { token?: string; declared: number; sent?: number; contentType?: string }) {
  return new Promise<{ status: number; body: any; connection?: string }>((resolve, reject) => {
    const url = new URL(app.url + path);
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          'content-type': opts.contentType ?? 'application/json',
          'content-length': String(opts.declared),
          ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined, connection: res.headers.connection });
          req.destroy();
        });
      },
    );
    req.on('error', reject);
    req.write('{"name":"' + 'x'.repeat(Math.max(0, (opts.sent ?? 16) - 9)));
  });
}

describe('text fields are clean', () => {
  it.each([
    ['U+FFFF', '泉城\uffff市场'],
    ['NUL', '泉城\u0000市场'],
    ['a right-to-left override', '泉城\u202e场市'],
    ['a zero-width space', '泉城\u200b市场'],
  ])('a business name with %s is refused with VALIDATION_FAILED naming the field', async (_what, name) => {
    const res = await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ name }) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.details).toEqual([expect.objectContaining({ in: 'body', path: 'name', message: expect.stringMatching(/^TEXT_/) })]);
  });

  it('every text field of a business is checked: address, contact names and changes', async () => {
    const res = await app.request('/api/v1/admin/businesses', {
      token: lixia,
      body: business({ address: '泉城路\u00001 号', contacts: [{ name: '王\u202e经理', phone: '0531-88880000' }] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['address', 'contacts.0.name']);
    const b = await createBusiness();
    const patch = await app.request(`/api/v1/admin/businesses/${b.id}`, { token: lixia, method: 'PATCH', body: { name: '改名\uffff' } });
    expect(patch.status).toBe(400);
    expect(patch.body.error.details).toEqual([expect.objectContaining({ path: 'name', message: 'TEXT_NONCHARACTER' })]);
  });

  it('instrument text fields and API key names are checked too', async () => {
    const b = await createBusiness();
    const inst = await app.request('/api/v1/admin/instruments', {
      token: lixia,
      body: { businessId: b.id, category: 'price_scale', manufacturer: '上海\u200b衡器厂', installLocation: '一号摊位\u0007' },
    });
    expect(inst.status).toBe(400);
    expect(inst.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['installLocation', 'manufacturer']);
    const key = await app.request('/api/v1/admin/api-keys', { token: admin, body: { name: 'LIMS\u202e对接', institution: '济南院\uffff' } });
    expect(key.status).toBe(400);
    expect(key.body.error.details.map((d: { path: string }) => d.path).sort()).toEqual(['institution', 'name']);
  });

  it('names are stored NFC-normalised, so the same name typed two ways is one string', async () => {
    const decomposed = await createBusiness({ name: 'Cafe\u0301 泉城店' });
    expect(decomposed.name).toBe('Café 泉城店');
  });

  it('a label renders even for a name stored before the check existed', async () => {
    const b = await createBusiness();
    const inst = await app.request('/api/v1/admin/instruments', { token: lixia, body: { businessId: b.id, category: 'price_scale' } });
    expect(inst.status).toBe(201);
    await app.server.deps.models.Business.updateOne({ _id: b.id }, { $set: { name: '旧数据\uffff\u202e市场\u0001' } });
    const svg = await app.request(`/api/v1/admin/instruments/${inst.body.id}/label.svg`, { token: lixia });
    expect(svg.status).toBe(200);
    expect(svg.text).toContain('旧数据 市场');
    expect(svg.text).not.toMatch(/[\uffff\u202e\u0001]/);
    const png = await app.request(`/api/v1/admin/instruments/${inst.body.id}/label.png`, { token: lixia });
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
  });
});

describe('JSON routes take JSON only', () => {
  it('a PATCH sent as a form answers 415 UNSUPPORTED_MEDIA_TYPE and changes nothing', async () => {
    const b = await createBusiness();
    const res = await app.request(`/api/v1/admin/businesses/${b.id}`, {
      token: lixia,
      method: 'PATCH',
      body: 'name=%E6%94%B9%E5%90%8D',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const after = await app.request(`/api/v1/admin/businesses/${b.id}`, { token: lixia });
    expect(after.body.name).toBe('历下区泉城农贸市场');
  });

  it.each([
    ['text/plain', '{"deviceId":"device-12345"}'],
    ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="deviceId"\r\n\r\ndevice-12345\r\n--x--'],
  ])('a body sent as %s answers 415', async (type, body) => {
    const res = await app.request('/api/v1/auth/guest', { body, headers: { 'content-type': type } });
    expect(res.status).toBe(415);
    expect(res.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a body without a content type answers 415', async () => {
    const res = await fetch(app.url + '/api/v1/auth/guest', { method: 'POST', body: new Uint8Array(Buffer.from('{"deviceId":"device-12345"}')) });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('a JSON body that is not UTF-8 answers 400 INVALID_JSON instead of storing replacement characters', async () => {
    const latin1 = Buffer.concat([Buffer.from('{"deviceId":"device-'), Buffer.from([0xe9, 0xe9]), Buffer.from('12345"}')]);
    const res = await fetch(app.url + '/api/v1/auth/guest', { method: 'POST', headers: { 'content-type': 'application/json' }, body: new Uint8Array(latin1) });
    expect(res.status).toBe(400);
    expect((await res.json()).error.code).toBe('INVALID_JSON');
  });

  it('JSON with a charset parameter is JSON', async () => {
    const res = await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-12345' }, headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(res.status).toBe(200);
  });
});

describe('bodies are read per route, after the access check', () => {
  it('an anonymous request to a protected route with a 5 MB body gets 401 without the body being read', async () => {
    const res = await answerWithoutFullBody('/api/v1/admin/businesses', { declared: 5 * 1024 * 1024 });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
    expect(res.connection).toBe('close'); // the rest is not drained to keep the connection
  });

  it('a caller of the wrong role gets 403 without the body being read', async () => {
    const guest = await app.tokenFor('guest');
    const res = await answerWithoutFullBody('/api/v1/admin/businesses', { token: guest, declared: 5 * 1024 * 1024 });
    expect(res.status).toBe(403);
  });

  it('a path nothing answers gets 404 without the body being read', async () => {
    const res = await answerWithoutFullBody('/api/v1/nothing-here', { declared: 5 * 1024 * 1024 });
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('a declared length over the route limit is refused with 413 before reading', async () => {
    const res = await answerWithoutFullBody('/api/v1/admin/businesses', { token: lixia, declared: 200 * 1024 });
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('a chunked body that grows over the limit is refused with 413', async () => {
    const big = JSON.stringify(business({ address: 'x'.repeat(150 * 1024) }));
    const chunks = new ReadableStream({
      start(c) {
        for (let i = 0; i < big.length; i += 8192) c.enqueue(new TextEncoder().encode(big.slice(i, i + 8192)));
        c.close();
      },
    });
    const res = await fetch(app.url + '/api/v1/admin/businesses', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${lixia}` },
      body: chunks,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
    expect((await res.json()).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('the CSV import route reads its own body: anonymous gets 401 unread, JSON gets 415, CSV still imports', async () => {
    const anonymous = await answerWithoutFullBody('/api/v1/admin/instruments/import', { declared: 5 * 1024 * 1024, contentType: 'text/csv' });
    expect(anonymous.status).toBe(401);
    const json = await app.request('/api/v1/admin/instruments/import', { token: lixia, body: { csv: 'business,category' } });
    expect(json.status).toBe(415);
    expect(json.body.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    const b = await app.request('/api/v1/admin/businesses', { token: lixia, body: business({ name: '导入测试市场' }) });
    const csv = await app.request('/api/v1/admin/instruments/import', { token: lixia, body: `business,category\n${b.body.platformId},price_scale\n`, headers: { 'content-type': 'text/csv' } });
    expect(csv.status).toBe(200);
    expect(csv.body.imported).toBe(1);
  });

  it('a route may declare a larger limit: a full batch of 500 verification results is read', async () => {
    const verifier = await app.tokenFor('verifier');
    const row = (i: number) => ({
      instrumentCode: `UNKNOWN-${String(i).padStart(6, '0')}`,
      date: '2026-01-05',
      result: 'pass',
      certificateNo: `JL2026-${String(i).padStart(8, '0')}`,
      verifier: '济南市计量检定测试院检定员张三',
      institution: '济南市计量检定测试院',
    });
    const body = { results: Array.from({ length: 500 }, (_, i) => row(i)) };
    expect(Buffer.byteLength(JSON.stringify(body))).toBeGreaterThan(100 * 1024);
    const res = await app.request('/api/v1/verifications', { token: verifier, body });
    expect(res.status).not.toBe(413);
    expect(res.status).toBeLessThan(500);
  });

  it('a JSON body within the limit still works, chunked or not', async () => {
    const res = await app.request('/api/v1/auth/guest', { body: { deviceId: 'device-abcdef' } });
    expect(res.status).toBe(200);
    expect(res.body.token).toEqual(expect.any(String));
  });
});
