/**
 * Runs the real weapp build (miniapp/dist/weapp) in Node with miniprogram-simulate: WeChat's
 * own WXML compiler, j-component for rendering into jsdom, and Taro's real runtime and event
 * handlers. Only what WeChat itself provides (App/Page/getApp/getCurrentPages and a few wx
 * APIs) is stood in for, and the wx APIs a test wants to watch are recorded.
 */
import path from 'node:path';
import { JSDOM } from 'jsdom';
import { distDir } from '../miniapp/helpers/build';

type WxCallbackOptions = { success?: (res: unknown) => void; fail?: (err: unknown) => void; complete?: (res: unknown) => void };
type ScanAnswer = { result: string } | { error: string };

export interface SimulatedComponent {
  dom: HTMLElement;
  querySelector(selector: string): SimulatedComponent | undefined;
  dispatchEvent(name: string, options?: { detail?: unknown }): void;
  attach(parent: HTMLElement): void;
}

interface Simulate {
  load(componentPath: string, options: { compiler: 'official'; rootPath: string }): string;
  render(id: string): SimulatedComponent;
  sleep(ms: number): Promise<void>;
}

/** What the page asked WeChat to do, in order. */
export interface WxCalls {
  navigateTo: string[];
  /** URLs passed to wx.switchTab (the tab pages). */
  switchTab: string[];
  toasts: string[];
  scans: number;
  /** URLs passed to wx.request, as the app built them. */
  requests: string[];
}

const WINDOW_INFO = { windowWidth: 375, windowHeight: 740, screenWidth: 375, screenHeight: 740, pixelRatio: 2, statusBarHeight: 20 };
const SYSTEM_INFO = { ...WINDOW_INFO, platform: 'devtools', language: 'zh_CN', version: '8.0.50', SDKVersion: '3.4.0', brand: 'devtools', model: 'iPhone' };
const DOM_GLOBALS = ['document', 'Node', 'Element', 'HTMLElement', 'Event', 'CustomEvent', 'navigator', 'getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'MutationObserver'];

const globals = global as unknown as Record<string, any>;

function installDom(): void {
  const dom = new JSDOM('<!doctype html><html><body></body></html>', { pretendToBeVisual: true });
  globals.window = dom.window;
  for (const key of DOM_GLOBALS) globals[key] = (dom.window as unknown as Record<string, unknown>)[key];
}

function answerLater(options: WxCallbackOptions, outcome: { ok: true; res: unknown } | { ok: false; err: unknown }): void {
  setTimeout(() => {
    if (outcome.ok) options.success?.(outcome.res);
    else options.fail?.(outcome.err);
    options.complete?.(outcome.ok ? outcome.res : outcome.err);
  }, 5);
}

/** WeChat's page constructor is a component with page lifecycles; j-component only knows components. */
function pageAsComponent(pages: unknown[], launchQuery: () => Record<string, string>) {
  return (options: Record<string, unknown>) => {
    const { data, ...methods } = options;
    globals.Component({
      data,
      methods,
      lifetimes: {
        attached(this: Record<string, (arg?: unknown) => void>) {
          pages.push(this);
          this.onLoad?.(launchQuery());
          this.onShow?.();
        },
        ready(this: Record<string, () => void>) {
          this.onReady?.();
        },
      },
    });
  };
}

type RequestOptions = WxCallbackOptions & { url: string; method?: string; data?: unknown; header?: Record<string, string> };

/**
 * wx.request carried out over real HTTP. The build has its API base baked in (API_BASE, by
 * default http://127.0.0.1:3000); the test's BFF listens on a free port, so only the origin is
 * swapped — path, query, headers and body go through unchanged.
 */
function requestVia(serverUrl: string | undefined, requested: string[]) {
  return (options: RequestOptions) => {
    requested.push(options.url);
    if (!serverUrl) {
      answerLater(options, { ok: false, err: { errMsg: 'request:fail no server in this test' } });
      return { abort() {} };
    }
    const target = new URL(options.url);
    const server = new URL(serverUrl);
    target.protocol = server.protocol;
    target.host = server.host;
    const method = (options.method ?? 'GET').toUpperCase();
    const body = method === 'GET' || options.data === undefined ? undefined : JSON.stringify(options.data);
    fetch(target, { method, headers: options.header, body }).then(
      async (response) => {
        const text = await response.text();
        let data: unknown = text;
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
        const header: Record<string, string> = {};
        response.headers.forEach((value, key) => {
          header[key] = value;
        });
        answerLater(options, { ok: true, res: { statusCode: response.status, data, header, errMsg: 'request:ok' } });
      },
      (error: unknown) => answerLater(options, { ok: false, err: { errMsg: `request:fail ${String(error)}` } }),
    );
    return { abort() {} };
  };
}

export interface WeappSimulator {
  calls: WxCalls;
  /** The next wx.scanCode call answers with this. */
  answerScanWith(answer: ScanAnswer): void;
  /**
   * The user allowed scope.userLocation and stands at `[lng, lat]` (GCJ-02, as wx.getLocation
   * answers for `type: 'gcj02'`); null: not allowed (wx.getSetting reports no such grant).
   */
  allowLocation(at: [number, number] | null): void;
  /** Renders a page as WeChat opens it, with `query` as the page's launch options. */
  renderPage(pagePath: string, query?: Record<string, string>): Promise<SimulatedComponent>;
}

export interface SimulatorOptions {
  /** Where wx.request really goes (a running BFF); without it every request fails like a lost network. */
  serverUrl?: string;
}

/** Installs the shims, loads dist/app.js (as WeChat does before any page) and launches the app. */
export function startWeappSimulator(settings: SimulatorOptions = {}): WeappSimulator {
  installDom();
  // miniprogram-simulate registers its globals (Component, wx) when first required, so after the DOM exists.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const simulate = require('miniprogram-simulate') as Simulate;
  const root = distDir('weapp');
  const calls: WxCalls = { navigateTo: [], switchTab: [], toasts: [], scans: 0, requests: [] };
  const pages: unknown[] = [];
  let app: Record<string, (arg?: unknown) => void> | null = null;
  let scanAnswer: ScanAnswer = { error: 'scanCode:fail cancel' };
  let location: [number, number] | null = null;
  // A page's script runs once (jest keeps required modules); each render is a new instance of it.
  const loadedPages = new Map<string, string>();

  globals.App = (options: Record<string, (arg?: unknown) => void>) => {
    app = options;
  };
  globals.getApp = () => app;
  globals.getCurrentPages = () => pages;
  let nextQuery: Record<string, string> = {};
  globals.Page = pageAsComponent(pages, () => nextQuery);
  Object.assign(globals.wx, {
    getSystemInfoSync: () => SYSTEM_INFO,
    getWindowInfo: () => WINDOW_INFO,
    scanCode(options: WxCallbackOptions) {
      calls.scans += 1;
      if ('result' in scanAnswer) answerLater(options, { ok: true, res: { result: scanAnswer.result, scanType: 'QR_CODE', errMsg: 'scanCode:ok' } });
      else answerLater(options, { ok: false, err: { errMsg: scanAnswer.error } });
    },
    getSetting(options: WxCallbackOptions) {
      const authSetting = location ? { 'scope.userLocation': true } : {};
      answerLater(options, { ok: true, res: { authSetting, errMsg: 'getSetting:ok' } });
    },
    getLocation(options: WxCallbackOptions & { type?: string }) {
      if (!location) answerLater(options, { ok: false, err: { errMsg: 'getLocation:fail auth deny' } });
      else answerLater(options, { ok: true, res: { longitude: location[0], latitude: location[1], accuracy: 30, errMsg: 'getLocation:ok' } });
    },
    navigateTo(options: WxCallbackOptions & { url: string }) {
      calls.navigateTo.push(options.url);
      answerLater(options, { ok: true, res: { errMsg: 'navigateTo:ok' } });
    },
    switchTab(options: WxCallbackOptions & { url: string }) {
      calls.switchTab.push(options.url);
      answerLater(options, { ok: true, res: { errMsg: 'switchTab:ok' } });
    },
    request: requestVia(settings.serverUrl, calls.requests),
    showToast(options: WxCallbackOptions & { title: string }) {
      calls.toasts.push(options.title);
      answerLater(options, { ok: true, res: { errMsg: 'showToast:ok' } });
    },
  });

  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require(path.join(root, 'app.js'));
  if (!app) throw new Error('dist/weapp/app.js did not call App()');
  (app as Record<string, (arg?: unknown) => void>).onLaunch?.({ path: 'pages/index/index', query: {}, scene: 1001 });

  return {
    calls,
    answerScanWith(answer) {
      scanAnswer = answer;
    },
    allowLocation(at) {
      location = at;
    },
    async renderPage(pagePath, query = {}) {
      nextQuery = query;
      const id = loadedPages.get(pagePath) ?? simulate.load(path.join(root, pagePath), { compiler: 'official', rootPath: root });
      loadedPages.set(pagePath, id);
      const page = simulate.render(id);
      page.attach(document.createElement('parent-wrapper'));
      return page;
    },
  };
}

/** Taro renders after React commits and setData lands, so poll until the condition holds. */
export async function waitFor(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * The text of every element matching `selector` (class selectors only) in a rendered page.
 * j-component prefixes the page's classes with its tag name (`main--`), which
 * `SimulatedComponent.querySelector` accounts for but finds only the first match.
 */
export function textsOf(page: SimulatedComponent, selector: string): string[] {
  const prefixed = selector.replace(/\.([\w-]+)/g, '.main--$1');
  return Array.from(page.dom.querySelectorAll(prefixed), (element) => element.textContent ?? '');
}
