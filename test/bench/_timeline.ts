import { chromium } from 'playwright-core';
import { startStack } from '../helpers/stack';
(async () => {
  const stack = await startStack({ seed: true });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  const label = await stack.demo.instrumentUrl('valid');
  for (let n = 0; n < 2; n++) {
    const context = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    let t0 = 0; const ev: string[] = [];
    const urls = new Map<string, string>();
    cdp.on('Network.requestWillBeSent', (e) => { if (!t0) t0 = e.timestamp; urls.set(e.requestId, e.request.url.replace(stack.baseUrl, '').slice(0, 50)); ev.push(`${((e.timestamp - t0) * 1000).toFixed(0)} start ${urls.get(e.requestId)}`); });
    cdp.on('Network.responseReceived', (e) => ev.push(`${((e.timestamp - t0) * 1000).toFixed(0)} resp  ${urls.get(e.requestId)}`));
    cdp.on('Network.loadingFinished', (e) => ev.push(`${((e.timestamp - t0) * 1000).toFixed(0)} done  ${urls.get(e.requestId)}`));
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: 1.6 * 1024 * 1024 / 8 * 0.9, uploadThroughput: 750 * 1024 / 8 * 0.9 });
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.goto(new URL(label).pathname.replace(/^/, stack.baseUrl));
    await page.waitForSelector('[data-verdict]', { timeout: 60000 });
    const perf = await page.evaluate(() => JSON.stringify({ dcl: performance.timing.domContentLoadedEventEnd - performance.timing.navigationStart, now: performance.now(), marks: performance.getEntriesByType('paint').map((p) => [p.name, Math.round(p.startTime)]) }));
    console.log(ev.join('\n')); console.log(perf);
    await context.close();
  }
  await browser.close(); await stack.stop(); process.exit(0);
})();
