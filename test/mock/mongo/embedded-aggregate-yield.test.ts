/**
 * A long aggregation does not stall the other clients: the embedded server groups a large input
 * slice by slice and serves other connections between slices (commands/aggregate.ts). Embedded
 * only: it is about how this server schedules work, and a real mongod answers on other threads.
 * The server runs as the CLI in a child process (in this process it would also stall the test's
 * own timers). The assertion is about order, never time: the findOne, sent after the
 * aggregation, is answered before it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { MongoClient } from 'mongodb';

const ROOT = path.resolve(__dirname, '../../..');

function startCli(): Promise<{ process: ChildProcess; uri: string; exit: Promise<unknown> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/mongo/cli.ts', '--port', '0'], { cwd: ROOT });
  const exit = new Promise((resolve) => child.on('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mongodb:\/\/127\.0\.0\.1:\d+\/\S*/.exec(output);
      if (match) resolve({ process: child, uri: match[0], exit });
    });
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

let server: Awaited<ReturnType<typeof startCli>>;
let first: MongoClient;
let second: MongoClient;
beforeAll(async () => {
  server = await startCli();
  first = await new MongoClient(server.uri).connect();
  second = await new MongoClient(server.uri).connect();
  const docs = Array.from({ length: 60_000 }, (_, i) => ({ _id: i, shop: `s${i % 20}`, n: i % 97, at: new Date(Date.UTC(2026, 0, 1 + (i % 365))) }));
  for (let i = 0; i < docs.length; i += 5_000) await first.db('yield').collection<{ _id: number }>('scans').insertMany(docs.slice(i, i + 5_000));
}, 120_000);
afterAll(async () => {
  await first?.close();
  await second?.close();
  server?.process.kill('SIGTERM');
  await server?.exit;
});

test('a findOne from another connection is answered while a large aggregation runs', async () => {
  const order: string[] = [];
  const aggregation = first
    .db('yield')
    .collection('scans')
    .aggregate([
      { $match: { n: { $gte: 0 } } },
      { $group: { _id: { shop: '$shop', late: { $cond: [{ $gte: ['$at', new Date('2026-07-01')] }, 1, 0] } }, total: { $sum: { $cond: [{ $gt: ['$n', 50] }, '$n', 0] } }, most: { $max: '$at' } } },
    ])
    .toArray()
    .then((rows) => {
      order.push('aggregate');
      return rows;
    });
  await new Promise((resolve) => setTimeout(resolve, 100)); // let the aggregation reach the server first
  const found = await second.db('yield').collection('scans').findOne({ _id: 12_345 as never });
  order.push('findOne');
  expect(found).toMatchObject({ shop: 's5' });
  expect((await aggregation).length).toBe(40); // one batch: the reply is one message
  expect(order).toEqual(['findOne', 'aggregate']);
}, 120_000);
