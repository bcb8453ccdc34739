/**
 * Scan endpoint and regulator instrument-list throughput with 10,000 businesses / ~200,000
 * instruments loaded, as ratios to a bare Koa JSON endpoint measured in the same run (autocannon
 * on loopback). The embedded MongoDB runs in its own process, as under `npm start`, and so does
 * the load generator (load.ts), so neither shares the BFF's event loop.
 *
 *   npx tsx test/bench/scan.bench.ts [businesses=10000] [seconds=10]
 */
import { spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import Koa from 'koa';
import { loadConfig } from '@bff/config';
import { startServer } from '@bff/server';
import { labelUrl } from '@bff/services/labelSignature';
import { iterateDemoData } from '@mock/data';
import { startMockWechat } from '@mock/wechat/server';
import { signSessionToken } from '@bff/services/credentials';
import { runLoad, type LoadResult } from './load';

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
  // Many clients behind a proxy: each request comes from one of 10,000 addresses.
  const scans = codes.slice(0, 20_000).map((c, n) => ({
    path: `/api/v1/scan?q=${encodeURIComponent(labelUrl(config.publicBaseUrl, c, config.qrSigningSecret))}`,
    headers: { 'x-forwarded-for': `10.1.${(n >> 8) & 39}.${n & 255}` },
  }));
  // The 济南市 regulator's instrument list: region scope /^3701/, newest first, a page and a count.
  const regulator = await server.deps.models.User.create({ role: 'regulator', username: 'bench-jinan', regionCode: '370100' });
  const token = signSessionToken({ id: String(regulator._id), role: 'regulator', regionCode: '370100' }, config.jwtSecret, 3600);
  const lists = [1, 2, 3, 50].map((page) => ({ path: `/api/v1/admin/instruments?page=${page}&pageSize=20`, headers: { authorization: `Bearer ${token}` } }));

  const load = (url: string, requests: Array<{ path: string; headers?: Record<string, string> }>, duration: number, connections = 20) =>
    runLoad({ url, connections, seconds: duration, requests });
  await load(bare.url, [{ path: '/json' }], 2); // warm-up
  const baseline = await load(bare.url, [{ path: '/json' }], seconds);
  await load(server.url, scans, 2);
  const scan = await load(server.url, scans, seconds);
  await load(server.url, lists, 2, 50);
  const list = await load(server.url, lists, seconds, 50);

  console.log('\n| endpoint | connections | req/s | p50 ms | p99 ms | non-2xx |');
  console.log('|---|---|---|---|---|---|');
  const rows: Array<[string, number, LoadResult]> = [['bare Koa JSON (baseline)', 20, baseline], ['GET /api/v1/scan', 20, scan], ['GET /api/v1/admin/instruments (济南市)', 50, list]];
  for (const [name, connections, r] of rows) {
    console.log(`| ${name} | ${connections} | ${r.requestsPerSec.toFixed(0)} | ${r.p50} | ${r.p99} | ${r.non2xx} |`);
  }
  console.log(`\nscan throughput ratio to baseline: ${(scan.requestsPerSec / baseline.requestsPerSec).toFixed(3)}`);
  console.log(`instrument list throughput ratio to baseline: ${(list.requestsPerSec / baseline.requestsPerSec).toFixed(3)}`);
  if (scan.non2xx || list.non2xx) throw new Error('non-2xx answers under load');

  await new Promise((r) => bare.server.close(r));
  await server.close();
  await wechat.stop();
  await mongo.stop();
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
