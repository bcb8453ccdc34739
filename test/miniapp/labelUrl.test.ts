/**
 * How the mini-program turns what a phone hands it (a scanned label URL, WeChat's encoded `q`,
 * a browser path `/i/<code>-<sig>`, a typed code) into the instrument page's `q`.
 */
import { JSDOM } from 'jsdom';
import { decodeScanParam, instrumentPageUrl, redirectLabelPathToInstrumentPage } from '../../miniapp/src/services/labelUrl';

const LABEL_URL = 'https://jl.example.cn/i/3701020102000000026-Zk3qP9aB_x';
const CODE_AND_SIG = '3701020102000000026-Zk3qP9aB_x';

describe('decodeScanParam', () => {
  test('WeChat\'s URL-encoded q of an ordinary-link QR decodes to the label URL', () => {
    expect(decodeScanParam(encodeURIComponent(LABEL_URL))).toBe(LABEL_URL);
  });

  test('a q encoded twice (page URL built from an already encoded q) decodes to the label URL', () => {
    expect(decodeScanParam(encodeURIComponent(encodeURIComponent(LABEL_URL)))).toBe(LABEL_URL);
  });

  test('a plain code, code-with-signature or external code comes back unchanged, trimmed', () => {
    expect(decodeScanParam(' 3701020102000000026 ')).toBe('3701020102000000026');
    expect(decodeScanParam(CODE_AND_SIG)).toBe(CODE_AND_SIG);
    expect(decodeScanParam('SH-2023-000123')).toBe('SH-2023-000123');
  });

  test('a broken percent sequence is kept as typed rather than throwing', () => {
    expect(decodeScanParam('ABC%E4%B8')).toBe('ABC%E4%B8');
  });

  test('a missing q is empty', () => {
    expect(decodeScanParam(undefined)).toBe('');
  });
});

test('the page URL for a scanned label carries it as one encoded q that decodes back', () => {
  const url = instrumentPageUrl(LABEL_URL);

  expect(url.startsWith('/pages/instrument/index?q=')).toBe(true);
  const q = new URLSearchParams(url.split('?')[1]).get('q');
  expect(q).toBe(LABEL_URL);
  expect(decodeScanParam(url.slice(url.indexOf('=') + 1))).toBe(LABEL_URL);
});

describe('a label URL opened in a phone browser', () => {
  const globals = global as unknown as { window?: unknown };

  afterEach(() => {
    delete globals.window;
  });

  function openInBrowser(url: string): JSDOM {
    const dom = new JSDOM('<!doctype html><div id="app"></div>', { url });
    globals.window = dom.window;
    return dom;
  }

  test('/i/<code>-<sig> becomes the instrument page with the code and signature as q', () => {
    const dom = openInBrowser(`https://jl.example.cn/i/${CODE_AND_SIG}`);

    redirectLabelPathToInstrumentPage();

    const location = dom.window.location;
    expect(location.pathname).toBe('/pages/instrument/index');
    expect(new URLSearchParams(location.search).get('q')).toBe(CODE_AND_SIG);
  });

  test('any other path is left to the router', () => {
    const dom = openInBrowser('https://jl.example.cn/pages/index/index');

    redirectLabelPathToInstrumentPage();

    expect(dom.window.location.pathname).toBe('/pages/index/index');
  });
});
