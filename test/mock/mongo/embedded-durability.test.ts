/**
 * Embedded server only: durability seen from clients. These start their own server on a data
 * directory, hold its fsyncs or damage its journal, and restart it.
 */
import { mkdtempSync, readdirSync, rmSync, truncateSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { Document } from 'bson';
import { MongoClient } from 'mongodb';
import { startEmbeddedMongo, type EmbeddedMongo } from '@mock/mongo';
import { openDurableStore, type DurableStore } from '@mock/mongo/storage';
import { rejection } from './fixture';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'embedded-durability-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Running {
  server: EmbeddedMongo;
  client: MongoClient;
}

async function start(): Promise<Running> {
  const server = await startEmbeddedMongo({ port: 0, quiet: true, dbPath: dir, journal: 'always' });
  return { server, client: await new MongoClient(server.uri).connect() };
}

async function stop({ server, client }: Running): Promise<void> {
  await client.close();
  await server.stop();
}

/** The newest journal file of the data directory. */
function lastJournal(): string {
  const names = readdirSync(dir).filter((name) => /^journal-\d+\.bson$/.test(name)).sort();
  return path.join(dir, names[names.length - 1]);
}

type Datasync = (this: unknown) => Promise<void>;

/**
 * Replaces FileHandle.datasync (the journal's fsync) for this whole process and returns the
 * function that puts it back: FileHandle is Node's own class, so every test undoes it.
 */
async function replaceDatasync(replacement: (original: Datasync) => Datasync): Promise<() => void> {
  const probe = await open(path.join(dir, 'probe'), 'w');
  const prototype = Object.getPrototypeOf(probe) as { datasync: Datasync };
  await probe.close();
  const original = prototype.datasync;
  prototype.datasync = replacement(original);
  return () => {
    prototype.datasync = original;
  };
}

interface HeldFsyncs {
  /** Resolves when the first fsync starts waiting. */
  started: Promise<void>;
  release: () => void;
  restore: () => void;
}

/** Every journal fsync waits until release(), then succeeds (`fail`: fails with EIO). */
async function holdFsyncs(outcome: 'succeed' | 'fail' = 'succeed'): Promise<HeldFsyncs> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const restore = await replaceDatasync((original) =>
    async function held(this: unknown) {
      markStarted();
      await released;
      if (outcome === 'fail') throw Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      return original.call(this);
    },
  );
  return { started, release, restore };
}

/** 'pending' when the promise has not settled within `ms`. */
async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | 'pending'> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'pending'>((resolve) => (timer = setTimeout(() => resolve('pending'), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

describe('embedded server: nothing is read before it is durable', () => {
  test('a read from another connection does not see a write until its fsync is done', async () => {
    const running = await start();
    const reader = await new MongoClient(running.server.uri).connect();
    const fsyncs = await holdFsyncs();
    try {
      const written = running.client.db('app').collection('scans').insertOne({ _id: 'held' as any });
      await fsyncs.started;
      const read = reader.db('app').collection('scans').findOne({ _id: 'held' as any });
      expect(await settledWithin(read, 300)).toBe('pending');
      fsyncs.release();
      await written;
      expect(await read).toEqual({ _id: 'held' });
    } finally {
      fsyncs.release();
      fsyncs.restore();
      await reader.close();
      await stop(running);
    }
  });

  test('when the journal fails, the write and every read that could see it fail too', async () => {
    const running = await start();
    const reader = await new MongoClient(running.server.uri).connect();
    const fsyncs = await holdFsyncs('fail');
    try {
      const written = running.client.db('app').collection('scans').insertOne({ _id: 'lost' as any });
      await fsyncs.started;
      const read = rejection(reader.db('app').collection('scans').findOne({ _id: 'lost' as any }));
      fsyncs.release();
      expect((await rejection(written)).message).toMatch(/journal write failed/);
      expect((await read).message).toMatch(/journal write failed/);
      expect((await rejection(reader.db('app').collection('scans').countDocuments())).message).toMatch(/journal write failed/);
    } finally {
      fsyncs.release();
      fsyncs.restore();
      await reader.close();
      await stop(running);
    }
  });
});

describe('embedded server: transactions commit as one durable record', () => {
  test('a commit that fails leaves the live data and the journal as they were', async () => {
    let running = await start();
    const codes = () => running.client.db('app').collection('codes');
    await codes().createIndex({ code: 1 }, { unique: true });
    await codes().insertOne({ _id: 'a' as any, code: 'x' });
    const session = running.client.startSession();
    try {
      session.startTransaction();
      await codes().updateOne({ _id: 'a' as any }, { $set: { code: 'x2' } }, { session });
      await codes().insertOne({ _id: 'n' as any, code: 'z' }, { session });
      // mongod would make this write wait for the transaction; here it lands first and takes 'z'.
      await codes().insertOne({ _id: 'outside' as any, code: 'z' });
      const err = await rejection(session.commitTransaction());
      expect(err.code).toBe(112);
      expect(err.hasErrorLabel('TransientTransactionError')).toBe(true);
    } finally {
      await session.endSession();
    }
    const expected = [
      { _id: 'a', code: 'x' },
      { _id: 'outside', code: 'z' },
    ];
    expect(await codes().find().sort({ _id: 1 }).toArray()).toEqual(expected);
    await stop(running);
    running = await start();
    try {
      expect(await codes().find().sort({ _id: 1 }).toArray()).toEqual(expected);
    } finally {
      await stop(running);
    }
  });

  test('a transaction over two collections comes back whole, or not at all when its record is torn', async () => {
    let running = await start();
    const db = () => running.client.db('app');
    await db().collection('accounts').insertMany([
      { _id: 'a' as any, balance: 100 },
      { _id: 'b' as any, balance: 0 },
    ]);
    await db().createCollection('ledger');
    const session = running.client.startSession();
    await session.withTransaction(async () => {
      await db().collection('accounts').updateOne({ _id: 'a' as any }, { $inc: { balance: -30 } }, { session });
      await db().collection('accounts').updateOne({ _id: 'b' as any }, { $inc: { balance: 30 } }, { session });
      await db().collection('ledger').insertOne({ _id: 't1' as any, amount: 30 }, { session });
    });
    await session.endSession();
    await stop(running);
    running = await start();
    expect(await db().collection('accounts').find().sort({ _id: 1 }).toArray()).toEqual([
      { _id: 'a', balance: 70 },
      { _id: 'b', balance: 30 },
    ]);
    expect(await db().collection('ledger').countDocuments()).toBe(1);
    await stop(running);
    // A crash in the middle of writing the commit's record: its last bytes never reached the disk.
    const journal = lastJournal();
    truncateSync(journal, statSync(journal).size - 3);

    running = await start();
    try {
      expect(await db().collection('accounts').find().sort({ _id: 1 }).toArray()).toEqual([
        { _id: 'a', balance: 100 },
        { _id: 'b', balance: 0 },
      ]);
      expect(await db().collection('ledger').countDocuments()).toBe(0);
    } finally {
      await stop(running);
    }
  });
});

describe('durable store: snapshots run beside the other work', () => {
  const ns = 'app.scans';
  const indexes = [{ v: 2, key: { _id: 1 }, name: '_id_' }];

  /** The core's part: documents replaced (never mutated) in a map, each change appended in the same step. */
  function core(count: number) {
    const docs = new Map<unknown, Document>();
    for (let i = 0; i < count; i++) docs.set(i, { _id: i, code: `C${i}`, shop: `S${i % 500}`, label: 'instrument label', at: new Date(0) });
    let store!: DurableStore;
    return {
      open: async () => {
        store = await openDurableStore({ dir, journal: 'always', compactAfterBytes: 1, getState: () => [{ ns, options: {}, indexes, docs: [...docs.values()] }] });
        return store;
      },
      write: (doc: Document) => {
        docs.set(doc._id, doc);
        return store.append([{ op: 'put', ns, doc }]);
      },
    };
  }

  test('a snapshot of 50,000 documents lets the event loop run while it is encoded, and keeps the writes made meanwhile', async () => {
    const { open, write } = core(50_000);
    const store = await open();
    const delay = monitorEventLoopDelay({ resolution: 1 });
    delay.enable();
    const started = performance.now();
    // The write's journal crosses the (tiny) compaction size, so a snapshot starts right after it.
    await write({ _id: 'trigger' });
    let during = 0;
    while (store.stats.snapshots === 0) await write({ _id: during++ % 1000, version: 'during the snapshot' });
    const took = performance.now() - started;
    delay.disable();
    await store.close();
    // Encoded in one go, the longest stall was nearly the whole snapshot.
    expect(delay.max / 1e6).toBeLessThan(took / 4);
    expect(during).toBeGreaterThan(0);

    const reopened = await openDurableStore({ dir, journal: 'always', getState: () => [] });
    await reopened.close();
    expect(reopened.recovery.snapshotGeneration).toBeGreaterThan(1);
    const recovered = reopened.recovered.find((c) => c.ns === ns)!.docs;
    expect(recovered).toHaveLength(50_001);
    const rewritten = recovered.filter((doc) => doc.version === 'during the snapshot').length;
    expect(rewritten).toBe(Math.min(during, 1000));
  });
});
