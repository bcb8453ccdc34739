/**
 * The 济南市 regulator's status-filtered instrument list and dashboard with 10,000 businesses /
 * ~200,000 instruments loaded (the scan bench's data set). The embedded MongoDB and the load
 * generator (load.ts) run in their own processes. First a few requests one at a time (latency of
 * a lone request), then, if a lone request answers within LOAD_LIMIT_MS, autocannon load.
 *
 *   npx tsx test/bench/dashboard.bench.ts [businesses=10000] [seconds=10]
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { loadConfig } from '@bff/config';
import { startServer } from '@bff/server';
import { iterateDemoData } from '@mock/data';
import { startMockWechat } from '@mock/wechat/server';
import { signSessionToken } from '@bff/services/credentials';
import { MongoClient } from 'mongodb';
import { runLoad, type LoadResult } from './load';

const businesses = Number(process.argv[2] ?? 10_000);
const seconds = Number(process.argv[3] ?? 10);
const root = path.resolve(__dirname, '../..');
const LONE_REQUESTS = Number(process.env.BENCH_LONE ?? 3);
const LOAD_LIMIT_MS = 2_000;

let stopMongo: (() => Promise<void>) | undefined;

async function main() {
  const mongo = await startMongoProcess();
  stopMongo = mongo.stop;
  const wechat = await startMockWechat();
  const config = loadConfig({
    NODE_ENV: 'test', PORT: '0', LOG_LEVEL: 'silent', MONGODB_URI: mongo.uri, MONGODB_DB: 'bench_dashboard',
    WECHAT_API_BASE: wechat.url, ADMIN_PASSWORD: 'bench-admin-password', TRUST_PROXY: '1',
  });
  const server = await startServer(config);
  const { Instrument } = server.deps.models;

  // Loaded through a client of its own, without the BFF's 2 s fail-fast timeouts and without
  // retried writes: on a loaded machine a stalled insert must not be sent twice (E11000).
  const t = Date.now();
  const loader = await MongoClient.connect(mongo.uri, { connectTimeoutMS: 60_000, socketTimeoutMS: 0, serverSelectionTimeoutMS: 60_000, heartbeatFrequencyMS: 60_000, retryWrites: false });
  const db = loader.db('bench_dashboard');
  for (const chunk of iterateDemoData({ seed: 7, businesses, instrumentsPerBusiness: [10, 30], asOf: new Date(), chunkSize: 40 })) {
    await db.collection('businesses').insertMany(chunk.businesses);
    await db.collection('instruments').insertMany(chunk.instruments);
    await db.collection('verifications').insertMany(chunk.verifications);
  }
  await loader.close();
  const instruments = await Instrument.estimatedDocumentCount();
  console.log(`loaded ${businesses} businesses, ${instruments} instruments in ${((Date.now() - t) / 1000).toFixed(1)} s`);

  const regulator = await server.deps.models.User.create({ role: 'regulator', username: 'bench-jinan', regionCode: '370100' });
  const token = signSessionToken({ id: String(regulator._id), role: 'regulator', regionCode: '370100' }, config.jwtSecret, 3600);
  const headers = { authorization: `Bearer ${token}` };
  const endpoints: Array<{ name: string; requests: Array<{ path: string; headers: Record<string, string> }> }> = [
    { name: 'GET /api/v1/admin/instruments?status=overdue (济南市)', requests: [1, 2, 3, 50].map((page) => ({ path: `/api/v1/admin/instruments?status=overdue&page=${page}&pageSize=20`, headers })) },
    { name: 'GET /api/v1/admin/instruments?sort=dueDate (济南市)', requests: [1, 2].map((page) => ({ path: `/api/v1/admin/instruments?sort=dueDate&page=${page}&pageSize=20`, headers })) },
    { name: 'GET /api/v1/admin/verifications (济南市)', requests: [1, 2, 3, 50].map((page) => ({ path: `/api/v1/admin/verifications?page=${page}&pageSize=20`, headers })) },
    { name: 'GET /api/v1/admin/verifications?result=fail (历下区)', requests: [1, 2].map((page) => ({ path: `/api/v1/admin/verifications?region=370102&result=fail&page=${page}&pageSize=20`, headers })) },
    // Last: an aggregation the BFF gave up on (503) still runs in the database and would delay what follows.
    { name: 'GET /api/v1/admin/dashboard (济南市)', requests: [{ path: '/api/v1/admin/dashboard', headers }] },
  ];

  const rows: string[] = [];
  let failed = false;
  for (const e of endpoints) {
    const lone: number[] = [];
    for (let n = 0; n < LONE_REQUESTS; n += 1) {
      const started = Date.now();
      const res = await fetch(server.url + e.requests[0].path, { headers: e.requests[0].headers });
      await res.text();
      if (res.status !== 200) {
        failed = true;
        console.log(`${e.requests[0].path} answered ${res.status}`);
      }
      lone.push(Date.now() - started);
    }
    lone.sort((a, b) => a - b);
    const median = lone[Math.floor(lone.length / 2)];
    let load: LoadResult | null = null;
    if (median <= LOAD_LIMIT_MS) {
      await runLoad({ url: server.url, connections: 10, seconds: 2, requests: e.requests });
      load = await runLoad({ url: server.url, connections: 10, seconds, requests: e.requests });
      if (load.non2xx || load.errors) failed = true;
    }
    rows.push(`| ${e.name} | ${lone.join(' / ')} | ${load ? load.requestsPerSec.toFixed(1) : '(not loaded)'} | ${load?.p50 ?? ''} | ${load?.p99 ?? ''} | ${load ? load.non2xx + load.errors : ''} |`);
  }
  console.log('\n| endpoint | lone requests ms | req/s (10 conn) | p50 ms | p99 ms | non-2xx+errors |');
  console.log('|---|---|---|---|---|---|');
  for (const r of rows) console.log(r);

  await server.close();
  await wechat.stop();
  await mongo.stop();
  if (failed) throw new Error('non-2xx answers');
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

main().catch(async (err) => {
  console.error(String(err).slice(0, 2000));
  await stopMongo?.(); // never leave the database process behind
  process.exit(1);
});
