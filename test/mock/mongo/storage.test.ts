import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import {
  Binary,
  BSONRegExp,
  BSONSymbol,
  Code,
  Decimal128,
  Double,
  Int32,
  Long,
  MaxKey,
  MinKey,
  ObjectId,
  serialize,
  Timestamp,
  UUID,
  type Document,
} from 'bson';
import { DESERIALIZE_OPTIONS } from '@mock/mongo/wire';
import { decodeDocument } from '@mock/mongo/numbers';
import { EXACT_BSON_READ_OPTIONS, openDurableStore, type Change, type CollectionState, type DurableStore, type DurableStoreOptions } from '@mock/mongo/storage';
import { StateBuilder } from '@mock/mongo/storage/replay';

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mock-mongo-storage-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/**
 * Plays the core's part: applies each change to its in-memory state and appends it in the
 * same synchronous step, and answers getState() from that state.
 */
class FakeCore {
  private readonly state = new StateBuilder();
  store!: DurableStore;

  async open(dir: string, options: Partial<DurableStoreOptions> = {}): Promise<DurableStore> {
    this.store = await openDurableStore({ dir, journal: 'always', getState: () => this.state.toCollectionStates(), ...options });
    for (const collection of this.store.recovered) this.state.load(collection);
    return this.store;
  }

  write(...changes: Change[]): Promise<void> {
    for (const change of changes) this.state.apply(change);
    return this.store.append(changes);
  }

  collections(): CollectionState[] {
    return this.state.toCollectionStates();
  }
}

async function reopen(dir: string, options: Partial<DurableStoreOptions> = {}): Promise<DurableStore> {
  return openDurableStore({ dir, journal: 'always', getState: () => [], ...options });
}

async function recoveredFrom(dir: string, options: Partial<DurableStoreOptions> = {}): Promise<CollectionState[]> {
  const store = await reopen(dir, options);
  await store.close();
  return store.recovered;
}

function journalFiles(dir: string): string[] {
  return readdirSync(dir).filter((name) => /^journal-\d+\.bson$/.test(name)).sort();
}

const put = (ns: string, doc: Document): Change => ({ op: 'put', ns, doc });

describe('durable store: round trip', () => {
  it('replays every kind of change into the state the writes left behind', async () => {
    const dir = freshDir();
    const store = await reopen(dir);
    const idx = (name: string, key: Document, extra: Document = {}) => ({ v: 2, key, name, ...extra });
    await store.append([{ op: 'createCollection', ns: 'app.users', options: { validator: { age: { $gte: 0 } } } }]);
    await store.append([{ op: 'createIndex', ns: 'app.users', spec: idx('_id_', { _id: 1 }) }]);
    await store.append([{ op: 'createIndex', ns: 'app.users', spec: idx('email_1', { email: 1 }) }]);
    await store.append([{ op: 'createIndex', ns: 'app.users', spec: idx('age_1', { age: 1 }) }]);
    await store.append([{ op: 'createIndex', ns: 'app.users', spec: idx('email_1', { email: 1 }, { unique: true, sparse: true }) }]);
    await store.append([{ op: 'dropIndex', ns: 'app.users', name: 'age_1' }]);
    await store.append([put('app.users', { _id: 1, email: 'a@x' }), put('app.users', { _id: 2, email: 'b@x' }), put('app.users', { _id: 3, email: 'c@x' })]);
    await store.append([put('app.users', { _id: 1, email: 'a2@x' })]);
    await store.append([{ op: 'del', ns: 'app.users', id: 2 }]);
    await store.append([put('app.implicit', { _id: 'k', v: true })]);
    await store.append([put('app.gone', { _id: 1 }), { op: 'dropCollection', ns: 'app.gone' }]);
    await store.append([put('other.a', { _id: 1 }), put('other.b', { _id: 1 }), put('otherdb.c', { _id: 1 })]);
    await store.append([{ op: 'dropDatabase', db: 'other' }]);
    await store.close();

    expect(await recoveredFrom(dir)).toEqual([
      {
        ns: 'app.users',
        options: { validator: { age: { $gte: 0 } } },
        indexes: [
          { v: 2, key: { _id: 1 }, name: '_id_' },
          { v: 2, key: { email: 1 }, name: 'email_1', unique: true, sparse: true },
        ],
        docs: [
          { _id: 1, email: 'a2@x' },
          { _id: 3, email: 'c@x' },
        ],
      },
      { ns: 'app.implicit', options: {}, indexes: [], docs: [{ _id: 'k', v: true }] },
      { ns: 'otherdb.c', options: {}, indexes: [], docs: [{ _id: 1 }] },
    ]);
  });

  it('treats _id 1, 1.0 and Long(1) as one document, as MongoDB does', async () => {
    const dir = freshDir();
    const store = await reopen(dir);
    await store.append([put('t.c', { _id: new Int32(1), v: 'a' })]);
    await store.append([put('t.c', { _id: new Double(1), v: 'b' })]);
    await store.append([{ op: 'del', ns: 't.c', id: Long.fromNumber(1) }]);
    await store.append([put('t.c', { _id: new ObjectId('650000000000000000000001'), v: 'c' })]);
    await store.close();
    expect((await recoveredFrom(dir))[0].docs).toEqual([{ _id: new ObjectId('650000000000000000000001'), v: 'c' }]);
  });

  it('keeps one append larger than the 16 MiB BSON document limit whole', async () => {
    const dir = freshDir();
    const store = await reopen(dir);
    const changes = Array.from({ length: 20_000 }, (_, i) => put('t.big', { _id: i, pad: 'x'.repeat(1000) }));
    await store.append(changes);
    await store.close();
    const [recovered] = await recoveredFrom(dir);
    expect(recovered.docs).toHaveLength(20_000);
    expect(recovered.docs[19_999]).toEqual({ _id: 19_999, pad: 'x'.repeat(1000) });
  });

  it('rejects a change BSON cannot encode and keeps working', async () => {
    const dir = freshDir();
    const store = await reopen(dir);
    const circular: Document = { _id: 1 };
    circular.self = circular;
    await expect(store.append([put('t.c', circular)])).rejects.toThrow(/circular/i);
    await store.append([put('t.c', { _id: 2 })]);
    await store.append([]);
    await store.close();
    expect((await recoveredFrom(dir))[0].docs).toEqual([{ _id: 2 }]);
  });

  it('starts empty on a new directory and creates it', async () => {
    const dir = path.join(freshDir(), 'nested', 'db');
    const store = await reopen(dir);
    expect(store.recovered).toEqual([]);
    await store.close();
    expect(statSync(dir).isDirectory()).toBe(true);
  });
});

describe('durable store: BSON types', () => {
  const everyType = (): Document => ({
    _id: new ObjectId('650000000000000000000abc'),
    int: new Int32(7),
    wholeDouble: new Double(1),
    double: new Double(2.5),
    long: Long.fromString('9007199254740993'),
    decimal: Decimal128.fromString('1.10'),
    string: '诚信 ✓',
    bool: false,
    nil: null,
    date: new Date('2026-01-02T03:04:05.678Z'),
    binary: new Binary(Buffer.from([0, 1, 2, 255]), 0),
    uuid: new UUID('4382104a-3ebe-4d1f-a8e5-4349d21f13d5'),
    timestamp: new Timestamp({ t: 1700000000, i: 3 }),
    minKey: new MinKey(),
    maxKey: new MaxKey(),
    regex: new BSONRegExp('^a.b$', 'imx'),
    code: new Code('function () { return 1; }'),
    symbol: new BSONSymbol('sym'),
    array: [new Int32(1), new Double(1), 'two', [{ nested: Long.fromNumber(3) }]],
    object: { 'dotted.key?': { deep: new Decimal128('-0') } },
  });

  const exact = { bsonReadOptions: EXACT_BSON_READ_OPTIONS };
  const sameBytes = (a: Document, b: Document) => Buffer.from(serialize(a)).equals(Buffer.from(serialize(b)));

  it('with exact read options, gives back every BSON type unchanged from the journal', async () => {
    const dir = freshDir();
    const store = await reopen(dir, exact);
    await store.append([put('t.types', everyType())]);
    await store.close();
    const [doc] = (await recoveredFrom(dir, exact))[0].docs;
    expect(doc).toEqual(everyType());
    expect(doc.wholeDouble).toBeInstanceOf(Double);
    expect(doc.int).toBeInstanceOf(Int32);
    expect(doc.long).toBeInstanceOf(Long);
    expect(sameBytes(doc, everyType())).toBe(true);
  });

  it('with exact read options, gives back every BSON type unchanged from a snapshot', async () => {
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir, { compactOnClose: true, ...exact });
    await core.write(put('t.types', everyType()));
    await core.store.close();
    expect(core.store.stats.snapshots).toBe(1);
    const store = await reopen(dir, exact);
    await store.close();
    expect(store.recovery.recordsReplayed).toBe(0);
    expect(store.recovered[0].docs[0]).toEqual(everyType());
    expect(sameBytes(store.recovered[0].docs[0], everyType())).toBe(true);
  });

  it('by default gives back a document exactly as the server decoded it from a client', async () => {
    const asReceived = decodeDocument(serialize(everyType()), DESERIALIZE_OPTIONS);
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir);
    await core.write(put('t.types', asReceived));
    await core.store.close();
    const fromJournal = await recoveredFrom(dir);
    expect(fromJournal[0].docs[0]).toEqual(asReceived);
    expect(typeof fromJournal[0].docs[0].int).toBe('number');

    const compacting = await reopen(dir, { compactOnClose: true, getState: () => fromJournal });
    await compacting.close();
    const fromSnapshot = await reopen(dir);
    await fromSnapshot.close();
    expect(fromSnapshot.recovery.recordsReplayed).toBe(0);
    expect(fromSnapshot.recovered[0].docs[0]).toEqual(asReceived);
  });
});

describe('durable store: damaged journal', () => {
  async function threeRecords(dir: string): Promise<string> {
    const store = await reopen(dir);
    for (const n of [1, 2, 3]) await store.append([put('t.c', { _id: n, pad: 'x'.repeat(50) })]);
    await store.close();
    const [journal] = journalFiles(dir);
    return path.join(dir, journal);
  }
  const ids = (collections: CollectionState[]) => collections.flatMap((c) => c.docs.map((d) => Number(d._id)));

  it('drops a torn last record, keeps the ones before it and truncates the file there', async () => {
    const dir = freshDir();
    const file = await threeRecords(dir);
    const fullSize = statSync(file).size;
    const recordSize = fullSize / 3;
    truncateSync(file, fullSize - 10);

    const store = await reopen(dir);
    expect(ids(store.recovered)).toEqual([1, 2]);
    expect(store.recovery.stoppedAt).toEqual({ file: path.basename(file), offset: 2 * recordSize, reason: 'torn' });
    expect(statSync(file).size).toBe(2 * recordSize);
    await store.append([put('t.c', { _id: 4 })]);
    await store.close();
    expect(ids(await recoveredFrom(dir))).toEqual([1, 2, 4]);
  });

  it('drops a record whose frame header itself was cut short', async () => {
    const dir = freshDir();
    const file = await threeRecords(dir);
    const recordSize = statSync(file).size / 3;
    truncateSync(file, 2 * recordSize + 3);
    expect(ids(await recoveredFrom(dir))).toEqual([1, 2]);
  });

  it('drops a last record whose checksum does not match', async () => {
    const dir = freshDir();
    const file = await threeRecords(dir);
    const bytes = readFileSync(file);
    bytes[bytes.length - 5] ^= 0xff;
    writeFileSync(file, bytes);
    const store = await reopen(dir);
    await store.close();
    expect(ids(store.recovered)).toEqual([1, 2]);
    expect(store.recovery.stoppedAt?.reason).toBe('corrupt');
  });

  it('stops at a corrupt record in the middle: nothing after it is trusted', async () => {
    const dir = freshDir();
    const file = await threeRecords(dir);
    const bytes = readFileSync(file);
    const recordSize = bytes.length / 3;
    bytes[recordSize + 20] ^= 0x01;
    writeFileSync(file, bytes);
    const store = await reopen(dir);
    await store.close();
    expect(ids(store.recovered)).toEqual([1]);
    expect(store.recovery.stoppedAt).toEqual({ file: path.basename(file), offset: recordSize, reason: 'corrupt' });
  });

  it('sets later generations aside when an earlier one is corrupt, and says so', async () => {
    const dir = freshDir();
    const file = await threeRecords(dir);
    const laterDir = freshDir();
    const later = await reopen(laterDir);
    await later.append([put('t.c', { _id: 9 })]);
    await later.close();
    writeFileSync(path.join(dir, 'journal-000000000002.bson'), readFileSync(path.join(laterDir, journalFiles(laterDir)[0])));
    const bytes = readFileSync(file);
    bytes[bytes.length / 3 + 20] ^= 0x01;
    writeFileSync(file, bytes);

    const store = await reopen(dir);
    await store.close();
    expect(ids(store.recovered)).toEqual([1]);
    expect(store.recovery.setAside).toEqual([expect.stringMatching(/^journal-000000000002\.bson\.unreplayed-\d+$/)]);
    expect(readdirSync(dir)).toContain(store.recovery.setAside[0]);
    expect(journalFiles(dir)).toEqual([path.basename(file)]);
  });

  it('refuses to start on a damaged snapshot instead of serving missing data', async () => {
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir, { compactOnClose: true });
    await core.write(put('t.c', { _id: 1 }));
    await core.store.close();
    const snapshot = path.join(dir, 'snapshot.bson');
    const bytes = readFileSync(snapshot);
    bytes[bytes.length - 3] ^= 0xff;
    writeFileSync(snapshot, bytes);
    await expect(reopen(dir)).rejects.toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    // The failed open released the lock: a repaired directory can be opened again.
    rmSync(snapshot);
    const store = await reopen(dir);
    await store.close();
  });
});

describe('durable store: fsync policy', () => {
  it("batch mode writes appends made together with one fsync and resolves every one after it", async () => {
    const dir = freshDir();
    const store = await reopen(dir, { journal: 'batch', batchWindowMs: 20 });
    const syncsSeenAtResolve: number[] = [];
    const appends = Array.from({ length: 1000 }, (_, i) =>
      store.append([put('t.c', { _id: i })]).then(() => syncsSeenAtResolve.push(store.stats.journalSyncs)),
    );
    await Promise.all(appends);
    expect(store.stats.journalSyncs).toBe(1);
    expect(store.stats.recordsWritten).toBe(1000);
    expect(syncsSeenAtResolve.every((syncs) => syncs === 1)).toBe(true);
    await store.close();
    expect((await recoveredFrom(dir))[0].docs).toHaveLength(1000);
  });

  it('batch mode groups appends spread over the window', async () => {
    const dir = freshDir();
    const store = await reopen(dir, { journal: 'batch', batchWindowMs: 300 });
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 5; i++) {
      appends.push(store.append([put('t.c', { _id: i })]));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(store.stats.journalSyncs).toBe(0);
    await Promise.all(appends);
    expect(store.stats.journalSyncs).toBe(1);
    await store.close();
  });

  it('always mode fsyncs each awaited append before it resolves', async () => {
    const dir = freshDir();
    const store = await reopen(dir, { journal: 'always' });
    for (let i = 1; i <= 5; i++) {
      await store.append([put('t.c', { _id: i })]);
      expect(store.stats.journalSyncs).toBe(i);
    }
    await store.close();
  });

  it('keeps appends in call order across group commits', async () => {
    const dir = freshDir();
    const store = await reopen(dir, { journal: 'batch', batchWindowMs: 1 });
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 300; i++) {
      appends.push(store.append([put('t.c', { _id: 'same', v: i })]));
      if (i % 37 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(appends);
    expect(store.stats.journalSyncs).toBeGreaterThan(1);
    await store.close();
    expect((await recoveredFrom(dir))[0].docs).toEqual([{ _id: 'same', v: 299 }]);
  });

  it('rejects appends after close', async () => {
    const store = await reopen(freshDir());
    await store.close();
    await expect(store.append([put('t.c', { _id: 1 })])).rejects.toMatchObject({ code: 'STORE_CLOSED' });
  });
});

describe('durable store: snapshot and compaction', () => {
  it('compacts a large journal and loses nothing appended while the snapshot was written', async () => {
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir, { journal: 'batch', batchWindowMs: 1, compactAfterBytes: 4096 });
    const pending: Promise<void>[] = [];
    for (let i = 0; i < 3000; i++) {
      // Writes keep arriving without waiting, so many land while a compaction is in flight.
      pending.push(core.write(put('t.c', { _id: i % 700, v: i, pad: 'p'.repeat(i % 50) })));
      if (i % 5 === 0) pending.push(core.write({ op: 'del', ns: 't.c', id: (i * 7) % 700 }));
      if (i % 100 === 0) await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await Promise.all(pending);
    const stats = core.store.stats;
    expect(stats.snapshots).toBeGreaterThanOrEqual(2);
    expect(stats.compactionFailures).toBe(0);
    await core.store.close();

    expect(journalFiles(dir).length).toBeLessThanOrEqual(2);
    expect(await recoveredFrom(dir)).toEqual(core.collections());
  });

  it('a record appended right after the state was taken lands in the new generation', async () => {
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir, { journal: 'always', compactAfterBytes: 100 });
    await core.write(put('t.c', { _id: 1, pad: 'x'.repeat(200) }));
    // The write above crossed the threshold: compaction took the state before acknowledging it.
    const generationAfterRotation = core.store.stats.generation;
    await core.write(put('t.c', { _id: 2 }));
    await core.write({ op: 'del', ns: 't.c', id: 1 });
    await core.store.close();
    expect(generationAfterRotation).toBe(2);
    const recovered = await recoveredFrom(dir);
    expect(recovered[0].docs).toEqual([{ _id: 2 }]);
  });

  it('after a crash between snapshot and clean-up, ignores and deletes the covered journal', async () => {
    const dir = freshDir();
    const core = new FakeCore();
    await core.open(dir, { compactOnClose: true });
    await core.write(put('t.c', { _id: 1 }));
    const coveredJournal = readFileSync(path.join(dir, 'journal-000000000001.bson'));
    await core.write({ op: 'del', ns: 't.c', id: 1 });
    await core.write(put('t.c', { _id: 2 }));
    await core.store.close();
    // As if the process died after the snapshot's rename: the old generation and a torn temp file remain.
    writeFileSync(path.join(dir, 'journal-000000000001.bson'), coveredJournal);
    writeFileSync(path.join(dir, 'snapshot.bson.tmp'), Buffer.from('half a snapshot'));

    const store = await reopen(dir);
    await store.close();
    expect(store.recovered[0].docs).toEqual([{ _id: 2 }]);
    expect(store.recovery.snapshotGeneration).toBe(2);
    expect(readdirSync(dir).sort()).toEqual(['journal-000000000002.bson', 'snapshot.bson']);
  });

  it('compacts on open when the journal left behind is large', async () => {
    const dir = freshDir();
    const store = await reopen(dir);
    for (let i = 0; i < 50; i++) await store.append([put('t.c', { _id: i, pad: 'x'.repeat(100) })]);
    await store.close();

    const compacted = await reopen(dir, { compactAfterBytes: 1000 });
    expect(compacted.recovered[0].docs).toHaveLength(50);
    expect(compacted.stats.snapshots).toBe(1);
    await compacted.append([put('t.c', { _id: 50 })]);
    await compacted.close();
    expect(journalFiles(dir)).toEqual(['journal-000000000002.bson']);

    const again = await reopen(dir);
    await again.close();
    expect(again.recovery).toMatchObject({ snapshotGeneration: 2, recordsReplayed: 1 });
    expect(again.recovered[0].docs).toHaveLength(51);
  });
});

describe('durable store: directory lock', () => {
  const lockFile = (dir: string) => path.join(dir, 'mongod.lock');

  it('refuses a second open of the same directory and releases the lock on close', async () => {
    const dir = freshDir();
    const first = await reopen(dir);
    expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await expect(reopen(dir)).rejects.toMatchObject({ code: 'DBPATH_LOCKED', message: expect.stringContaining(dir) });
    await first.close();
    expect(() => statSync(lockFile(dir))).toThrow();
    const second = await reopen(dir);
    await second.close();
  });

  it('refuses a directory locked by another live process and takes it over once that process is gone', async () => {
    const dir = freshDir();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const pid = other.pid!;
    const exited = new Promise((resolve) => other.once('exit', resolve));
    writeFileSync(lockFile(dir), `${pid}\n`);
    await expect(reopen(dir)).rejects.toMatchObject({ code: 'DBPATH_LOCKED', message: expect.stringContaining(String(pid)) });

    other.kill('SIGKILL');
    await exited;
    const store = await reopen(dir);
    expect(readFileSync(lockFile(dir), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await store.close();
  });

  it('takes over a lock whose pid now belongs to a different, newer process', async () => {
    const dir = freshDir();
    writeFileSync(lockFile(dir), `${process.ppid}\n1\n`);
    const store = await reopen(dir);
    await store.close();
  });
});

describe('durable store: speed', () => {
  it('appends 100,000 single-document records in batch mode and recovers them in seconds', async () => {
    const dir = freshDir();
    const store = await reopen(dir, { journal: 'batch' });
    const started = Date.now();
    const appends: Promise<void>[] = [];
    for (let i = 0; i < 100_000; i++) {
      appends.push(store.append([put('bench.c', { _id: new ObjectId(), n: i, name: `instrument ${i}`, at: new Date() })]));
      if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(appends);
    const appendMs = Date.now() - started;
    await store.close();

    const recoveryStarted = Date.now();
    const recovered = await recoveredFrom(dir);
    const recoveryMs = Date.now() - recoveryStarted;
    expect(recovered[0].docs).toHaveLength(100_000);
    expect(appendMs).toBeLessThan(20_000);
    expect(recoveryMs).toBeLessThan(20_000);
  });
});
