/**
 * Scan endpoint throughput with 10,000 businesses / ~200,000 instruments loaded, as a ratio to a
 * bare Koa JSON endpoint measured in the same run (autocannon on loopback). The embedded MongoDB
 * runs in its own process, as under `npm start`.
 *
 *   npx tsx test/bench/scan.bench.ts [businesses=10000] [seconds=10]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import autocannon from 'autocannon';
import Koa from 'koa';
import { loadConfig } from '@bff/config';
import { startServer } from '@bff/server';
import { labelUrl } from '@bff/services/labelSignature';
import { iterateDemoData } from '@mock/data';
import { startMockWechat } from '@mock/wechat/server';

const businesses = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 10);
const root = path.resolve(__dirname, '../..');

async function main() {
  const mongo = await startMongoProcess();
  const wechat = await startMockWechat();
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: mongo.uri, MONGODB_DB: 'bench_scan',
    WECHAT_API_BASE: wechat.url, ADMIN_PASSWORD: 'bench-admin-password', TRUST_PROXY: '1',
  });
  const server = await startServer(config);
  const { Business, Instrument, Verification } = server.deps.models;

  let t = Date.now();
  const codes: string[] = [];
  for (const chunk of iterateDemoData({ seed: 7, businesses, instrumentsPerBusiness: [10, 30], asOf: new Date(), chunkSize: 200 })) {
    await Business.insertMany(chunk.businesses, { lean: true });
    await Instrument.insertMany(chunk.instruments, { lean: true });
    await Verification.insertMany(chunk.verifications, { lean: true });
    for (const i of chunk.instruments) if (codes.length < 50_000 || Math.random() < 0.05) codes.push(i.code);
  }
  const instruments = await Instrument.estimatedDocumentCount();
  console.log(`loaded ${businesses} businesses, ${instruments} instruments in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const bare = await startBareKoa();
  const urls = codes.map((c) => encodeURIComponent(labelUrl(config.publicBaseUrl, c, config.qrSigningSecret)));
  let n = 0;
  // Many clients behind a proxy: each request comes from one of 10,000 addresses.
  const scanReq = () => ({ path: `/api/v1/scan?q=${urls[n++ % urls.length]}`, headers: { 'x-forwarded-for': `10.1.${(n >> 8) & 39}.${n & 255}` } });

  await run(bare.url, () => ({ path: '/json' }), 2); // warm-up
  const baseline = await run(bare.url, () => ({ path: '/json' }), seconds);
  await run(server.url, scanReq, 2);
  const scan = await run(server.url, scanReq, seconds);

  console.log('\n| endpoint | req/s | p50 ms | p99 ms | non-2xx |');
  console.log('|---|---|---|---|---|');
  for (const [name, r] of [['bare Koa JSON (baseline)', baseline], ['GET /api/v1/scan', scan]] as const) {
    console.log(`| ${name} | ${r.requests.average.toFixed(0)} | ${r.latency.p50} | ${r.latency.p99} | ${r.non2xx} |`);
  }
  console.log(`\nscan throughput ratio to baseline: ${(scan.requests.average / baseline.requests.average).toFixed(3)}`);

  await new Promise((r) => bare.server.close(r));
  await server.close();
  await wechat.stop();
  await mongo.stop();
}

function run(url: string, request: () => { path: string; headers?: Record<string, string> }, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      { url, connections: 20, duration, requests: [{ setupRequest: (req: any) => ({ ...req, ...request() }) }] },
      (err: Error | null, res: autocannon.Result) => (err ? reject(err) : resolve(res)),
    );
  });
}

async function startBareKoa() {
  const app = new Koa();
  app.use((ctx) => {
    ctx.body = { ok: true, at: Date.now() };
  });
  const server = http.createServer(app.callback());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

function startMongoProcess(): Promise<{ uri: string; stop(): Promise<void> }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'mock/mongo/cli.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c;
      const m = /mongodb:\/\/\S+/.exec(out);
      if (m) resolve({ uri: m[0], stop: async () => { child.kill('SIGTERM'); await exited; } });
    });
    child.once('exit', (code) => reject(new Error(`embedded MongoDB exited early (${code})`)));
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
