/**
 * The scan call a label URL starts before React mounts (miniapp/src/app.ts) is taken over by the
 * instrument page's own call: one request, handed out once; and the server preloads exactly the
 * URL the page asks for (bff/src/middleware/h5.ts mirrors the page's decoding of q).
 */
import { JSDOM } from 'jsdom';
import { prefetch, takePrefetched } from '../../miniapp/src/services/prefetch';
import { instrumentPageScanParam, redirectLabelPathToInstrumentPage } from '../../miniapp/src/services/labelUrl';

const CODE_AND_SIG = '3701020102000000026-Zk3qP9aB_x';

describe('prefetch', () => {
  test('an answer started early is handed to the first taker only, and started once', async () => {
    let started = 0;
    const start = () => {
      started += 1;
      return Promise.resolve({ status: 'valid' });
    };
    prefetch('scan:a', start);
    prefetch('scan:a', start);
    expect(started).toBe(1);
    await expect(takePrefetched('scan:a')).resolves.toEqual({ status: 'valid' });
    expect(takePrefetched('scan:a')).toBeUndefined();
    expect(takePrefetched('scan:other')).toBeUndefined();
  });

  test('a failed early call reaches its taker as the same failure, and is no unhandled rejection when nobody takes it', async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      prefetch('scan:gone', () => Promise.reject(new Error('offline')));
      prefetch('scan:taken', () => Promise.reject(new Error('404')));
      await expect(takePrefetched('scan:taken')).rejects.toThrow('404');
      await new Promise((resolve) => setImmediate(resolve));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });
});

describe('the q the app prefetches for', () => {
  const globals = global as unknown as { window?: unknown };
  afterEach(() => {
    delete globals.window;
  });
  const open = (url: string) => {
    globals.window = new JSDOM('<!doctype html><div id="app"></div>', { url }).window;
  };

  test('is the label’s code and signature when a label URL was opened', () => {
    open(`https://jl.example.cn/i/${CODE_AND_SIG}`);
    redirectLabelPathToInstrumentPage();
    expect(instrumentPageScanParam()).toBe(CODE_AND_SIG);
  });

  test('is the decoded q of the instrument page, and nothing on other pages', () => {
    open(`https://jl.example.cn/pages/instrument/index?q=${encodeURIComponent(encodeURIComponent(`https://jl.example.cn/i/${CODE_AND_SIG}`))}`);
    expect(instrumentPageScanParam()).toBe(`https://jl.example.cn/i/${CODE_AND_SIG}`);
    open('https://jl.example.cn/pages/instrument/index');
    expect(instrumentPageScanParam()).toBeNull();
    open(`https://jl.example.cn/pages/search/index?q=${CODE_AND_SIG}`);
    expect(instrumentPageScanParam()).toBeNull();
  });
});
