/**
 * Embedded server only: these start the server themselves (as the CLI in a child process) to
 * kill it, restart it on the same data directory, and check the directory lock.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo } from '@mock/mongo';
import { openDurableStore } from '@mock/mongo/storage';
import { rejection } from './fixture';

const ROOT = path.resolve(__dirname, '../../..');

interface Child {
  process: ChildProcess;
  uri: string;
  /** Everything the server printed up to the URI line. */
  banner: string;
  exit: Promise<number | null>;
}

/** Starts `mock/mongo/cli.ts` and resolves with the URI it prints once it accepts connections. */
function startCli(dbPath: string | null): Promise<Child> {
  const storage = dbPath ? ['--dbpath', dbPath, '--journal', 'always'] : [];
  // `node --import tsx` keeps the server in this one process, so SIGKILL really kills it.
  const child = spawn(process.execPath, ['--import', 'tsx', 'mock/mongo/cli.ts', '--port', '0', ...storage], { cwd: ROOT });
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /mongodb:\/\/127\.0\.0\.1:\d+\/\S*/.exec(output);
      if (match) resolve({ process: child, uri: match[0], banner: output, exit });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exit.then((code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-restart-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('embedded server: the CLI', () => {
  test('without --dbpath it runs in memory, says it is not for production, and exits 0 on SIGINT', async () => {
    const server = await startCli(null);
    expect(server.banner.trim().split('\n')).toHaveLength(1);
    expect(server.banner).toMatch(/not for production/);
    expect(server.banner).toMatch(/in memory/);
    const client = await new MongoClient(server.uri).connect();
    await client.db('app').collection('c').insertOne({ a: 1 });
    expect(await client.db('app').collection('c').countDocuments()).toBe(1);
    await client.close();
    server.process.kill('SIGINT');
    expect(await server.exit).toBe(0);
  });
});

describe('embedded server: restart after kill -9', () => {
  test('every acknowledged write is there after SIGKILL and restart', async () => {
    const first = await startCli(dir);
    const client = await new MongoClient(first.uri).connect();
    const coll = client.db('app').collection('scans');
    await coll.createIndex({ code: 1 }, { unique: true });
    for (let i = 0; i < 200; i++) await coll.insertOne({ _id: i as any, code: `c${i}`, n: i });
    await coll.updateMany({ n: { $lt: 10 } }, { $set: { early: true } });
    await coll.deleteOne({ _id: 199 as any });
    const session = client.startSession();
    await session.withTransaction(async () => {
      await coll.insertOne({ _id: 'txn' as any, code: 'txn' }, { session });
      await coll.updateOne({ _id: 0 as any }, { $set: { inTxn: true } }, { session });
    });
    await session.endSession();
    first.process.kill('SIGKILL');
    await first.exit;
    await client.close(true);

    const second = await startCli(dir);
    const again = await new MongoClient(second.uri).connect();
    try {
      const back = again.db('app').collection('scans');
      expect(await back.countDocuments()).toBe(200);
      expect(await back.countDocuments({ early: true })).toBe(10);
      expect(await back.findOne({ _id: 199 as any })).toBeNull();
      expect(await back.findOne({ _id: 0 as any })).toMatchObject({ code: 'c0', early: true, inTxn: true });
      expect(await back.findOne({ _id: 'txn' as any })).toMatchObject({ code: 'txn' });
      expect((await back.listIndexes().toArray()).map((i) => i.name)).toEqual(['_id_', 'code_1']);
      expect((await rejection(back.insertOne({ code: 'c5' }))).code).toBe(11000);
    } finally {
      await again.close();
      second.process.kill('SIGTERM');
      expect(await second.exit).toBe(0);
    }
  });

  test('a second server on the same data directory refuses to start', async () => {
    const first = await startCli(dir);
    try {
      const err = await rejection(startEmbeddedMongo({ dbPath: dir, quiet: true }));
      expect(err.code).toBe('DBPATH_LOCKED');
      const second = await rejection(startCli(dir));
      expect(second.message).toContain('DBPATH_LOCKED');
    } finally {
      first.process.kill('SIGTERM');
      expect(await first.exit).toBe(0);
    }
  });

  test('SIGTERM flushes and releases the directory for the next server', async () => {
    const first = await startCli(dir);
    const client = await new MongoClient(first.uri).connect();
    await client.db('app').collection('c').insertMany([{ a: 1 }, { a: 2 }]);
    await client.close();
    first.process.kill('SIGTERM');
    expect(await first.exit).toBe(0);
    const server = await startEmbeddedMongo({ dbPath: dir, quiet: true });
    const again = await new MongoClient(server.uri).connect();
    try {
      expect(await again.db('app').collection('c').countDocuments()).toBe(2);
    } finally {
      await again.close();
      await server.stop();
    }
  });
});

describe('embedded server: data kept by an earlier, less strict version', () => {
  test('a stored document a 2dsphere index would now refuse does not stop the server starting', async () => {
    // What the server accepted before it checked GeoJSON: a bare Point under a 2dsphere index.
    const store = await openDurableStore({ dir, journal: 'always', getState: () => [] });
    await store.append([
      { op: 'createCollection', ns: 'app.shops', options: {} },
      { op: 'createIndex', ns: 'app.shops', spec: { v: 2, key: { location: '2dsphere' }, name: 'location_2dsphere' } },
      { op: 'put', ns: 'app.shops', doc: { _id: 1, name: 'old', location: { type: 'Point' } } },
    ]);
    await store.close();
    const server = await startEmbeddedMongo({ dbPath: dir, quiet: true });
    const client = await new MongoClient(server.uri).connect();
    try {
      const shops = client.db('app').collection<{ _id: number; name: string }>('shops');
      expect(await shops.findOne({ _id: 1 })).toMatchObject({ name: 'old' });
      await shops.updateOne({ _id: 1 }, { $unset: { location: '' } });
      expect(await shops.findOne({ _id: 1 })).toEqual({ _id: 1, name: 'old' });
    } finally {
      await client.close();
      await server.stop();
    }
  });
});
