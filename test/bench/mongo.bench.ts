/**
 * Embedded MongoDB scaling benchmarks (issue 2):
 *  (a) inserting 50,000 then 100,000 documents (insertMany batches) into a fresh collection with
 *      a unique and a compound index: 100k must take at most 2.5× the time of 50k (linear);
 *  (b) findOne by the unique key at 1,000 and at 100,000 documents: at most 3× apart;
 *  (c) mongoose findOne-by-unique-key throughput against a plain Map.get loop in the same run;
 *  (d) the latest document of a group, findOne({ shop }).sort({ day: -1 }) over the compound
 *      index { shop: 1, day: -1 } (equality on its prefix only), at 100,000 documents: at most
 *      3× a findOne by unique key, i.e. the prefix narrows the candidates instead of a scan;
 *  (e) the regulator's instrument list page at 200,000 instrument-like documents, through
 *      mongoose: an anchored regex on regionCode (one city, 1/20 of the documents), sorted by
 *      _id descending as the product's list is, skip 40 / limit 20, together with countDocuments of the same filter: at most 5× a
 *      mongoose findOne by unique key in the same run (the index walk stops after the page, the
 *      count is the size of an index range). The same page sorted by createdAt (no index gives
 *      that order: the city's documents are sorted) and by code are reported, not bounded.
 *      Also reported: the same page and findOne with 50 requests in flight, as requests/s.
 * The server runs as the CLI in a child process, so the load generator (this process) never
 * shares the event loop it measures. Exits non-zero when a bound is broken.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { MongoClient, type Collection } from 'mongodb';
import mongoose from 'mongoose';

const BATCH = 1000;
const LOOKUPS = 2000;

function doc(i: number) {
  return { code: `C${i.toString().padStart(7, '0')}`, shop: `S${i % 500}`, day: i % 365, n: i, label: 'instrument label' };
}

async function fill(coll: Collection, count: number): Promise<number> {
  await coll.createIndex({ code: 1 }, { unique: true });
  await coll.createIndex({ shop: 1, day: -1 });
  const start = performance.now();
  for (let i = 0; i < count; i += BATCH) {
    await coll.insertMany(Array.from({ length: Math.min(BATCH, count - i) }, (_, j) => doc(i + j)));
  }
  return performance.now() - start;
}

async function lookups(coll: Collection, size: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    if (!(await coll.findOne({ code: doc((i * 7919) % size).code }))) throw new Error('lookup missed');
  }
}

async function latestOfGroup(coll: Collection, size: number, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const shop = doc((i * 7919) % size).shop;
    const latest = await coll.findOne({ shop }, { sort: { day: -1 } });
    if (latest?.shop !== shop) throw new Error('latest-of-group lookup missed');
  }
}

type Lookups = (coll: Collection, size: number, count: number) => Promise<void>;

/** Mean µs per call after a warm-up, so JIT compilation does not land on one side only. */
async function findOneMicros(coll: Collection, size: number, run: Lookups = lookups): Promise<number> {
  await run(coll, size, LOOKUPS / 4);
  const start = performance.now();
  await run(coll, size, LOOKUPS);
  return ((performance.now() - start) * 1000) / LOOKUPS;
}

function mapBaselineOpsPerSec(size: number): number {
  const map = new Map<string, object>();
  for (let i = 0; i < size; i++) map.set(doc(i).code, doc(i));
  const rounds = 2_000_000;
  let hits = 0;
  const start = performance.now();
  for (let i = 0; i < rounds; i++) if (map.get(doc(i % size).code)) hits++;
  const ms = performance.now() - start;
  if (hits !== rounds) throw new Error('baseline missed');
  return (rounds / ms) * 1000;
}

async function mongooseOpsPerSec(uri: string, size: number): Promise<number> {
  const conn = await mongoose.createConnection(uri, { dbName: 'bench' }).asPromise();
  const Instrument = conn.model('Instrument', new mongoose.Schema({ code: { type: String, unique: true }, shop: String, day: Number, n: Number }), 'fill100k');
  try {
    for (let i = 0; i < 200; i++) await Instrument.findOne({ code: doc(i).code }).lean();
    const start = performance.now();
    for (let i = 0; i < LOOKUPS; i++) {
      if (!(await Instrument.findOne({ code: doc((i * 7919) % size).code }).lean())) throw new Error('mongoose lookup missed');
    }
    return (LOOKUPS / (performance.now() - start)) * 1000;
  } finally {
    await conn.close();
  }
}

const LIST_SIZE = 200_000;
const PAGES = 200;

function instrument(i: number) {
  const city = 1 + (i % 20);
  return {
    code: `I${i.toString().padStart(7, '0')}`,
    externalCodes: [`E${i}`],
    category: `cat${i % 12}`,
    business: new mongoose.Types.ObjectId(),
    regionCode: `37${String(city).padStart(2, '0')}${String(1 + (i % 10)).padStart(2, '0')}`,
    status: 'in_use',
    createdAt: new Date(Date.UTC(2025, 0, 1) + i * 60_000),
  };
}

const instrumentSchema = new mongoose.Schema(
  {
    code: { type: String, unique: true },
    externalCodes: { type: [String], default: [] },
    category: String,
    business: mongoose.Schema.Types.ObjectId,
    regionCode: String,
    status: String,
  },
  { timestamps: true },
);
instrumentSchema.index({ externalCodes: 1 }, { unique: true, partialFilterExpression: { 'externalCodes.0': { $exists: true } } });
instrumentSchema.index({ business: 1 });
instrumentSchema.index({ regionCode: 1, category: 1 });

type ListModel = mongoose.Model<Record<string, unknown>>;

async function listPage(Instrument: ListModel, sort: Record<string, 1 | -1>): Promise<void> {
  const filter = { regionCode: /^3701/ };
  const [page, total] = await Promise.all([Instrument.find(filter).sort(sort).skip(40).limit(20).lean(), Instrument.countDocuments(filter)]);
  if (page.length !== 20 || total !== LIST_SIZE / 20) throw new Error(`list page wrong: ${page.length} rows, total ${total}`);
}

/** Mean µs per list page and per findOne by code on the same 200k collection. */
async function listPageMicros(uri: string): Promise<{ pageUs: number; byCodeUs: number; byDateUs: number; findOneUs: number; fillMs: number; pagesPerSec: number; findOnesPerSec: number }> {
  const conn = await mongoose.createConnection(uri, { dbName: 'bench_list' }).asPromise();
  try {
    const Instrument = conn.model('ListInstrument', instrumentSchema, 'instruments') as unknown as ListModel;
    await Instrument.init();
    const coll = conn.db!.collection('instruments');
    const start = performance.now();
    for (let i = 0; i < LIST_SIZE; i += BATCH) {
      await coll.insertMany(Array.from({ length: Math.min(BATCH, LIST_SIZE - i) }, (_, j) => instrument(i + j)));
    }
    const fillMs = performance.now() - start;
    const timed = async (run: (i: number) => Promise<void>, count: number) => {
      for (let i = 0; i < count / 4; i++) await run(i);
      const t = performance.now();
      for (let i = 0; i < count; i++) await run(i);
      return ((performance.now() - t) * 1000) / count;
    };
    const findOneUs = await timed(async (i) => {
      if (!(await Instrument.findOne({ code: instrument((i * 7919) % LIST_SIZE).code }).lean())) throw new Error('findOne missed');
    }, LOOKUPS);
    // The product's list (bff/src/routes/common.ts listPage) sorts by _id, newest first.
    const pageUs = await timed(() => listPage(Instrument, { _id: -1 }), PAGES);
    const byCodeUs = await timed(() => listPage(Instrument, { code: 1 }), PAGES);
    const byDateUs = await timed(() => listPage(Instrument, { createdAt: -1 }), PAGES / 4);
    const findOnesPerSec = await throughput(async (i) => {
      if (!(await Instrument.findOne({ code: instrument((i * 7919) % LIST_SIZE).code }).lean())) throw new Error('findOne missed');
    }, LOOKUPS);
    const pagesPerSec = await throughput(() => listPage(Instrument, { _id: -1 }), PAGES * 2);
    return { pageUs, byCodeUs, byDateUs, findOneUs, fillMs, pagesPerSec, findOnesPerSec };
  } finally {
    await conn.dropDatabase();
    await conn.close();
  }
}

/** Requests per second with `inFlight` requests outstanding at all times, `total` in all. */
async function throughput(run: (i: number) => Promise<void>, total: number, inFlight = 50): Promise<number> {
  let next = 0;
  const worker = async () => {
    while (next < total) await run(next++);
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return (total / (performance.now() - start)) * 1000;
}

/** The embedded server as its own process (the CLI), stopped with SIGTERM. */
function startServerProcess(): Promise<{ uri: string; stop(): Promise<void> }> {
  const root = path.resolve(__dirname, '../..');
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/mongo/cli.ts', '--port', '0'], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const uri = /mongodb:\/\/127\.0\.0\.1:\d+\/\S*/.exec(output)?.[0];
      if (uri) resolve({ uri, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then(() => reject(new Error(`embedded server exited: ${output}`)));
  });
}

const rows: Array<[string, string, string]> = [];
let broken = 0;

function check(name: string, value: number, bound: number, detail: string): void {
  const ok = value <= bound;
  if (!ok) broken++;
  rows.push([name, `${value.toFixed(2)} (≤ ${bound})`, `${ok ? 'ok' : 'TOO SLOW'}  ${detail}`]);
}

async function main(): Promise<void> {
  const server = await startServerProcess();
  const client = await new MongoClient(server.uri).connect();
  try {
    const db = client.db('bench');
    const ms50 = await fill(db.collection('fill50k'), 50_000);
    const ms100 = await fill(db.collection('fill100k'), 100_000);
    check('insert 100k / 50k time', ms100 / ms50, 2.5, `50k: ${ms50.toFixed(0)} ms, 100k: ${ms100.toFixed(0)} ms`);
    await db.collection('fill50k').drop();

    await fill(db.collection('small'), 1_000);
    const smallUs = await findOneMicros(db.collection('small'), 1_000);
    const bigUs = await findOneMicros(db.collection('fill100k'), 100_000);
    check('findOne 100k / 1k time', bigUs / smallUs, 3, `1k: ${smallUs.toFixed(0)} µs, 100k: ${bigUs.toFixed(0)} µs per call`);
    const latestUs = await findOneMicros(db.collection('fill100k'), 100_000, latestOfGroup);
    check('sorted prefix findOne / findOne', latestUs / bigUs, 3, `100k: ${latestUs.toFixed(0)} µs per sorted findOne({ shop }) (200 matches)`);

    const mongooseOps = await mongooseOpsPerSec(server.uri, 100_000);
    const mapOps = mapBaselineOpsPerSec(100_000);
    rows.push(['mongoose findOne vs Map.get', `1 : ${(mapOps / mongooseOps).toFixed(0)}`, `mongoose ${mongooseOps.toFixed(0)} ops/s, Map.get ${mapOps.toFixed(0)} ops/s`]);
    await db.collection('fill100k').drop();

    const list = await listPageMicros(server.uri);
    check('list page / findOne (200k)', list.pageUs / list.findOneUs, 5, `page + count ${list.pageUs.toFixed(0)} µs, findOne ${list.findOneUs.toFixed(0)} µs, 200k inserts ${list.fillMs.toFixed(0)} ms`);
    rows.push(['list page by code / findOne', (list.byCodeUs / list.findOneUs).toFixed(2), `${list.byCodeUs.toFixed(0)} µs per page + count`]);
    rows.push(['50 in flight: list pages/s, findOnes/s', `${list.pagesPerSec.toFixed(0)}, ${list.findOnesPerSec.toFixed(0)}`, `ratio ${(list.findOnesPerSec / list.pagesPerSec).toFixed(2)}`]);
    rows.push(['list page by createdAt / findOne', (list.byDateUs / list.findOneUs).toFixed(2), `${list.byDateUs.toFixed(0)} µs per page + count (sorts the city's 10,000 documents)`]);
  } finally {
    await client.close();
    await server.stop();
  }
  const widths = [0, 1].map((c) => Math.max(...rows.map((r) => r[c].length)));
  console.log('\nembedded MongoDB benchmark');
  for (const [a, b, c] of rows) console.log(`  ${a.padEnd(widths[0])}  ${b.padEnd(widths[1])}  ${c}`);
  if (broken) process.exit(1);
}

void main();
