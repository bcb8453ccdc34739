/**
 * The admin dashboard's aggregations in one process (embedded MongoDB in process, no HTTP):
 * demo data for N businesses, then dashboardFor (济南市) four times, lone. Run it twice to compare
 * the native `$group` with mingo's: `MOCK_MONGO_GROUP=mingo` sends every `$group` to mingo.
 *
 *   npx tsx test/bench/dashboard-group.bench.ts [businesses=2000]
 */
import { performance } from 'node:perf_hooks';
import mongoose from 'mongoose';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '@mock/mongo';
import { iterateDemoData } from '@mock/data';
import { createModels, ensureIndexes } from '@bff/models';
import { dashboardFor } from '@bff/services/dashboard';

async function main() {
  const businesses = Number(process.argv[2] ?? 2000);
  const mongo = await startEmbeddedMongo({ port: 0, quiet: true });
  const loader = await MongoClient.connect(mongo.uri);
  const db = loader.db('dash');
  for (const chunk of iterateDemoData({ seed: 7, businesses, instrumentsPerBusiness: [10, 30], asOf: new Date(), chunkSize: 200 })) {
    await db.collection('businesses').insertMany(chunk.businesses);
    await db.collection('instruments').insertMany(chunk.instruments);
    await db.collection('verifications').insertMany(chunk.verifications);
  }
  await loader.close();
  const conn = await mongoose.createConnection(mongo.uri, { dbName: 'dash', autoIndex: false }).asPromise();
  const models = createModels(conn);
  await ensureIndexes(models);
  const user = { id: 'x', role: 'regulator', regionCode: '370100' } as never;
  const times: number[] = [];
  for (let i = 0; i < 4; i++) {
    const t = performance.now();
    const r = await dashboardFor(models, user);
    times.push(Math.round(performance.now() - t));
    if (i === 0) console.log(JSON.stringify(r).slice(0, 200));
  }
  console.log(`${process.env.MOCK_MONGO_GROUP ?? 'native'}: dashboard ms ${times.join(' / ')}`);
  await conn.close();
  await mongo.stop();
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
