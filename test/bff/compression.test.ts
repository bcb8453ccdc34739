/**
 * What goes over the wire to a phone: API answers and the H5 app compressed when the client
 * accepts it (never tiny answers or already-compressed images), hashed assets cached for good,
 * the app's HTML always revalidated, and a label URL answered with the app and its preloads.
 * Served by the real BFF from the real H5 build (jest's globalSetup builds it).
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import { signInstrumentCode } from '@bff/services/labelSignature';
import type { VerificationStatus } from '@shared/api';
import { FORGED_LABEL, STATUS_DISPLAY } from '@shared/verdict';
import { startTestApp, type TestApp } from '../helpers/app';
import { distDir } from '../miniapp/helpers/build';

const h5Dir = distDir('h5');
let app: TestApp;
let reg: string;
let instrumentId: string;
let code: string;

interface Raw {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body exactly as sent (still compressed if it was). */
  bytes: Buffer;
}

/** node:http, not fetch: fetch would decompress the body and hide what was sent. */
function raw(urlPath: string, headers: Record<string, string> = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    http
      .get(`${app.url}${urlPath}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, bytes: Buffer.concat(chunks) }));
      })
      .on('error', reject);
  });
}

function decoded(res: Raw): Buffer {
  const encoding = res.headers['content-encoding'];
  if (encoding === 'br') return zlib.brotliDecompressSync(res.bytes);
  if (encoding === 'gzip') return zlib.gunzipSync(res.bytes);
  if (encoding === undefined) return res.bytes;
  throw new Error(`unexpected content-encoding ${encoding}`);
}

/** The scan answer the page embeds for `q` (services/instrumentPage.ts), as its JSON text. */
function embeddedScan(html: string, q: string): string {
  const match = /<script type="application\/json" id="cx-scan" data-q="([^"]*)">(.*?)<\/script>/s.exec(html);
  expect(match?.[1]).toBe(q.replace(/&/g, '&amp;'));
  return match![2];
}

const varyOf = (res: Raw) => String(res.headers.vary ?? '').toLowerCase();

/** The largest hashed script of the build (app.<hash>.js), as served from /js/. */
function largestScript(): string {
  const scripts = fs.readdirSync(path.join(h5Dir, 'js')).filter((f) => /\.[0-9a-f]{8}\.js$/.test(f));
  return scripts.sort((a, b) => fs.statSync(path.join(h5Dir, 'js', b)).size - fs.statSync(path.join(h5Dir, 'js', a)).size)[0];
}

beforeAll(async () => {
  app = await startTestApp({ H5_DIR: h5Dir });
  reg = await app.tokenFor('regulator', { regionCode: '370102' });
  const businessId = (await app.request('/api/v1/admin/businesses', { token: reg, body: { name: '历下区某肉铺', industry: 'market', regionCode: '370102' } })).body.id;
  const inst = await app.request('/api/v1/admin/instruments', { token: reg, body: { businessId, category: 'price_scale' } });
  instrumentId = inst.body.id;
  code = inst.body.code;
});
afterAll(() => app.stop());

describe('API answers', () => {
  it('are brotli- or gzip-compressed when the client accepts it, and the same JSON once decoded', async () => {
    const plain = await raw('/api/openapi.json');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(1024);
    expect(varyOf(plain)).toContain('accept-encoding');

    const br = await raw('/api/openapi.json', { 'accept-encoding': 'gzip, deflate, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/^application\/json/);
    expect(varyOf(br)).toContain('accept-encoding');
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 3);
    expect(JSON.parse(decoded(br).toString('utf8'))).toEqual(JSON.parse(plain.bytes.toString('utf8')));

    const gzip = await raw('/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip).equals(plain.bytes)).toBe(true);
  });

  it('are not compressed when tiny (under 1 KiB)', async () => {
    const res = await raw('/api/v1/health', { 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.bytes.length).toBeLessThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(res.bytes.toString('utf8')).status).toBe('ready');
  });

  it('are never compressed again when the type is compressed already (a PNG label)', async () => {
    const res = await raw(`/api/v1/admin/instruments/${instrumentId}/label.png`, { authorization: `Bearer ${reg}`, 'accept-encoding': 'br, gzip' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.bytes.length).toBeGreaterThan(1024);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.bytes.subarray(0, 4)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
  });
});

describe('the H5 app’s files', () => {
  it('serves a hashed script precompressed with brotli, as JavaScript, cached for a year', async () => {
    const name = largestScript();
    const file = fs.readFileSync(path.join(h5Dir, 'js', name));
    const res = await raw(`/js/${name}`, { 'accept-encoding': 'gzip, deflate, br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(varyOf(res)).toContain('accept-encoding');
    // The build's own .br, made at maximum quality: at most a third of the script.
    expect(res.bytes.equals(fs.readFileSync(path.join(h5Dir, 'js', `${name}.br`)))).toBe(true);
    expect(res.bytes.length).toBeLessThan(file.length / 3);
    expect(decoded(res).equals(file)).toBe(true);
  });

  it('serves gzip to a client without brotli and the plain file to one that accepts neither', async () => {
    const name = largestScript();
    const file = fs.readFileSync(path.join(h5Dir, 'js', name));
    const gzip = await raw(`/js/${name}`, { 'accept-encoding': 'gzip' });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(decoded(gzip).equals(file)).toBe(true);
    const plain = await raw(`/js/${name}`);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(plain.bytes.equals(file)).toBe(true);
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('serves style sheets as CSS with the same long cache', async () => {
    const css = fs.readdirSync(path.join(h5Dir, 'css')).find((f) => /\.[0-9a-f]{8}\.css$/.test(f))!;
    const res = await raw(`/css/${css}`, { 'accept-encoding': 'br' });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/css/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('has index.html revalidated on every visit, at / and at any page path', async () => {
    for (const p of ['/', '/index.html', '/pages/search/index']) {
      const res = await raw(p, { 'accept-encoding': 'br' });
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(decoded(res).toString('utf8')).toContain('<div id="app">');
    }
  });
});

describe('a label URL opened in a phone browser', () => {
  const pageAssets = () => JSON.parse(fs.readFileSync(path.join(h5Dir, 'page-assets.json'), 'utf8'))['pages/instrument/index'] as { js: string[]; css: string[] };

  it('is answered with the app at once (no redirect): the verdict painted by the server, the scan answer embedded, the page’s code preloaded', async () => {
    const sig = signInstrumentCode(code, app.server.deps.config.qrSigningSecret);
    const res = await raw(`/i/${code}-${sig}`);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-cache');
    const html = res.bytes.toString('utf8');
    const scan = (await app.request(`/api/v1/scan?q=${encodeURIComponent(`${code}-${sig}`)}`)).body;
    expect(scan.signature).toBe('valid');
    // Inside the app's mount point, announced, with the words of the badge (shared/verdict.ts).
    expect(html).toMatch(new RegExp(`<div id="app"><div class="cx-prerender" role="status"[^>]*>.*data-verdict="${scan.status}"`));
    expect(html).toContain(STATUS_DISPLAY[scan.status as VerificationStatus].text);
    expect(html).not.toContain(FORGED_LABEL.title);
    expect(JSON.parse(embeddedScan(html, `${code}-${sig}`))).toEqual(scan);
    // The answer is in the page: no second request for it.
    expect(html).not.toContain('as="fetch"');
    const assets = pageAssets();
    expect(assets.js.length).toBeGreaterThan(0);
    for (const href of assets.js) {
      expect(html).toContain(`<link rel="preload" as="script" href="${href}">`);
      expect((await raw(href)).status).toBe(200);
    }
    for (const href of assets.css) expect(html).toContain(`<link rel="preload" as="style" href="${href}">`);
  });

  it('paints a forged label as 疑似伪造标签, never with a green badge', async () => {
    const html = (await raw(`/i/${code}-AAAAAAAAAA`)).bytes.toString('utf8');
    expect(html).toContain(FORGED_LABEL.title);
    expect(html).toContain('class="cx-prerender__badge cx-prerender__badge--muted"');
    expect(html).not.toContain('class="cx-prerender__badge cx-prerender__badge--good"');
  });

  it('leaves an unknown code to the page, preloading its scan call (byte for byte the URL the page asks for)', async () => {
    const unknown = '3701020101999999990';
    const html = (await raw(`/i/${unknown}`)).bytes.toString('utf8');
    expect(html).not.toContain('cx-prerender');
    expect(html).toContain(`<link rel="preload" as="fetch" crossorigin="anonymous" href="/api/v1/scan?q=${unknown}">`);
  });

  it('decodes the instrument page’s own q as the page does', async () => {
    const sig = signInstrumentCode(code, app.server.deps.config.qrSigningSecret);
    const label = `https://jl.example.cn/i/${code}-${sig}`;
    const html = (await raw(`/pages/instrument/index?q=${encodeURIComponent(encodeURIComponent(label))}`)).bytes.toString('utf8');
    expect(JSON.parse(embeddedScan(html, label)).instrument.code).toBe(code);
  });

  it('cannot inject markup or end the embedded answer early through a stored name', async () => {
    const hostile = '</script><script>alert(1)</script><b>店';
    await app.server.deps.models.Business.updateMany({}, { name: hostile });
    const sig = signInstrumentCode(code, app.server.deps.config.qrSigningSecret);
    const html = (await raw(`/i/${code}-${sig}`)).bytes.toString('utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toContain('<b>店');
    expect(JSON.parse(embeddedScan(html, `${code}-${sig}`)).business.name).toBe(hostile);
    await app.server.deps.models.Business.updateMany({}, { name: '历下区某肉铺' });
  });

  it('cannot inject markup through the label path', async () => {
    const res = await raw(`/i/${encodeURIComponent('"><script>alert(1)</script>')}`);
    const html = res.bytes.toString('utf8');
    expect(html).not.toContain('<script>alert(1)');
    expect(html).not.toMatch(/href="[^"]*"><script/);
  });

  it('does not preload a scan the server would refuse as too long', async () => {
    const html = (await raw(`/pages/instrument/index?q=${'x'.repeat(5000)}`)).bytes.toString('utf8');
    expect(html).toContain('<div id="app">');
    expect(html).not.toContain('/api/v1/scan');
    expect(html).toContain('rel="preload" as="script"');
  });

  it('other pages get no preloads', async () => {
    const html = (await raw('/pages/search/index')).bytes.toString('utf8');
    expect(html).not.toContain('rel="preload"');
  });
});
