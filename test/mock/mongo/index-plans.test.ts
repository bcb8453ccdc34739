/**
 * Queries answered through an index prefix return exactly what a collection scan returns. Every
 * query runs against two collections holding the same documents, one with compound, multikey,
 * sparse and partial indexes and one with none, and the results must be identical (the tests
 * compare results, never plans, so they hold against a real MongoDB too).
 */
import { Decimal128, Double, Int32, Long, ObjectId, type ClientSession, type Collection, type Document, type Filter, type Sort } from 'mongodb';
import { useDriverFixture } from './fixture';

const f = useDriverFixture('plans');

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = random(20261128);
const pick = <T>(values: T[]): T => values[Math.floor(rand() * values.length)];
const MISSING = Symbol('missing');

/** Group values: strings, numbers of two kinds, null, a missing field, and arrays (multikey). */
const GROUPS: unknown[] = ['a', 'b', 'c', 'd', 1, 2.5, null, MISSING, ['a', 'b'], ['c', 1], []];
const KINDS: unknown[] = ['x', 'y', 'z', MISSING];
const TAGS: unknown[] = [['red'], ['red', 'blue'], ['blue', 'green'], [], 'red', MISSING];
const SPARSE: unknown[] = ['s1', 's2', null, MISSING, MISSING];
const PARTIAL: unknown[] = ['p1', 'p2', 7, null, MISSING];
const DAYS = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2025, 0, 1 + i)));

function randomDocument(id: number): Document {
  const doc: Document = { _id: id };
  const set = (field: string, value: unknown) => {
    if (value !== MISSING) doc[field] = value;
  };
  set('g', pick(GROUPS));
  set('k', pick(KINDS));
  doc.n = Math.floor(rand() * 12);
  doc.d = pick(DAYS);
  set('tags', pick(TAGS));
  set('s', pick(SPARSE));
  set('p', pick(PARTIAL));
  set('q', pick(['q1', 'q2', MISSING]));
  return doc;
}

const DOCS = Array.from({ length: 600 }, (_, i) => randomDocument(i));
/** Every value a query may ask for: the stored ones and some nobody holds. */
const ASKED_GROUPS = [...GROUPS.filter((g) => g !== MISSING && !Array.isArray(g)), 'nobody', 3];

let indexed: Collection;
let plain: Collection;

beforeAll(async () => {
  indexed = f.db.collection('indexed');
  plain = f.db.collection('plain');
  await indexed.createIndex({ g: 1, d: -1 });
  await indexed.createIndex({ k: 1, n: 1, d: 1 });
  await indexed.createIndex({ tags: 1, n: -1 });
  await indexed.createIndex({ s: 1, n: 1 }, { sparse: true });
  await indexed.createIndex({ p: 1, n: 1 }, { partialFilterExpression: { p: { $type: 'string' } } });
  await indexed.createIndex({ q: 1 }, { partialFilterExpression: { n: { $gt: 5 } } });
  await indexed.insertMany(DOCS.map((d) => ({ ...d })));
  await plain.insertMany(DOCS.map((d) => ({ ...d })));
});

interface Case {
  filter: Filter<Document>;
  sort?: Sort;
  limit?: number;
  skip?: number;
}

/** Same documents in the same order from both collections (sorts end in `_id`, so order is total). */
async function expectSameResults({ filter, sort, limit, skip }: Case): Promise<Document[]> {
  const run = (coll: Collection) => {
    let cursor = coll.find(filter);
    if (sort) cursor = cursor.sort(sort);
    if (skip) cursor = cursor.skip(skip);
    if (limit) cursor = cursor.limit(limit);
    return cursor.toArray();
  };
  const [fromIndexed, fromPlain] = await Promise.all([run(indexed), run(plain)]);
  const described = JSON.stringify({ filter, sort, limit, skip });
  if (sort) expect({ case: described, docs: fromIndexed }).toEqual({ case: described, docs: fromPlain });
  else expect({ case: described, ids: fromIndexed.map((d) => d._id).sort() }).toEqual({ case: described, ids: fromPlain.map((d) => d._id).sort() });
  expect({ case: described, count: await indexed.countDocuments(filter) }).toEqual({ case: described, count: await plain.countDocuments(filter) });
  return fromPlain;
}

const SORTS: Sort[] = [{ d: -1, _id: 1 }, { d: 1, _id: -1 }, { n: 1, d: -1, _id: 1 }, { _id: -1 }];
const LIMITS = [undefined, 1, 2, 5];

/** A random sort, limit and skip; unsorted queries get neither (which documents they keep would depend on order). */
function sortAndLimit(): Pick<Case, 'sort' | 'limit' | 'skip'> {
  const sort = pick([...SORTS, undefined]);
  return sort ? { sort, limit: pick(LIMITS), skip: rand() < 0.2 ? 1 : undefined } : {};
}

describe('equality on an index prefix gives the same results as a scan', () => {
  test('equality on the first field of a compound index, with sort and limit', async () => {
    for (const g of ASKED_GROUPS) {
      for (const sort of SORTS) for (const limit of LIMITS) await expectSameResults({ filter: { g }, sort, limit });
    }
  });

  test('the latest document of a group: findOne({ g }).sort({ d: -1 })', async () => {
    for (const g of ['a', 'b', 'c', 1, 2.5]) {
      const [latest] = await expectSameResults({ filter: { g }, sort: { d: -1, _id: 1 }, limit: 1 });
      const all = DOCS.filter((doc) => doc.g === g || (Array.isArray(doc.g) && doc.g.includes(g)));
      expect(latest.d).toEqual(new Date(Math.max(...all.map((doc) => doc.d.getTime()))));
    }
  });

  test('$in and $eq on the prefix, with further conditions on other fields', async () => {
    for (let i = 0; i < 60; i++) {
      const groups = [pick(ASKED_GROUPS), pick(ASKED_GROUPS)];
      const rest = pick<Document>([{}, { n: { $gt: Math.floor(rand() * 12) } }, { k: pick(['x', 'y']) }, { tags: 'red' }, { d: { $lte: pick(DAYS) } }]);
      await expectSameResults({ filter: { g: { $in: groups }, ...rest }, ...sortAndLimit() });
      await expectSameResults({ filter: { g: { $eq: groups[0] }, ...rest }, ...sortAndLimit() });
    }
  });

  test('two of three fields of a compound index, and all three', async () => {
    for (let i = 0; i < 60; i++) {
      const k = pick(['x', 'y', 'z', 'w']);
      const n = Math.floor(rand() * 13);
      await expectSameResults({ filter: { k, n }, ...sortAndLimit() });
      await expectSameResults({ filter: { k: { $in: [k, 'y'] }, n: { $in: [n, n + 1] } }, ...sortAndLimit() });
      await expectSameResults({ filter: { k, n, d: pick(DAYS) }, ...sortAndLimit() });
      await expectSameResults({ filter: { k, n: { $gte: n }, g: pick(ASKED_GROUPS) }, ...sortAndLimit() });
    }
  });

  test('a multikey prefix: documents holding several asked values come back once', async () => {
    for (const tags of ['red', 'blue', 'green', 'none']) {
      await expectSameResults({ filter: { tags }, sort: { n: 1, _id: 1 }, limit: 3 });
      await expectSameResults({ filter: { tags, n: { $lt: 6 } }, sort: { d: -1, _id: 1 } });
    }
    await expectSameResults({ filter: { tags: { $in: ['red', 'blue'] } } });
    await expectSameResults({ filter: { tags: { $in: ['red', 'blue'] } }, sort: { _id: 1 }, limit: 50 });
    await expectSameResults({ filter: { g: { $in: ['a', 'b'] } }, sort: { _id: 1 } });
  });

  test('null and missing: { field: null } matches documents without the field, sparse index or not', async () => {
    for (const filter of [{ g: null }, { s: null }, { p: null }, { q: null }, { k: null, n: 3 }, { s: null, n: { $lt: 4 } }] as Document[]) {
      const docs = await expectSameResults({ filter, sort: { _id: 1 } });
      expect(docs.length).toBeGreaterThan(0);
      await expectSameResults({ filter, sort: { d: -1, _id: 1 }, limit: 2 });
    }
    const withoutS = await plain.countDocuments({ s: { $exists: false } });
    expect(await indexed.countDocuments({ s: null })).toBeGreaterThan(withoutS);
  });

  test('a sparse compound index answers equality on its first field', async () => {
    for (const s of ['s1', 's2', 'none']) {
      await expectSameResults({ filter: { s }, sort: { n: 1, _id: 1 } });
      await expectSameResults({ filter: { s, n: pick([1, 2, 3]) } });
    }
  });

  test('a partial index never hides documents outside its filter', async () => {
    for (const p of ['p1', 'p2', 7, 'none']) {
      await expectSameResults({ filter: { p }, sort: { _id: 1 } });
      await expectSameResults({ filter: { p, n: { $gt: 3 } }, sort: { d: 1, _id: 1 }, limit: 2 });
    }
    for (const q of ['q1', 'q2']) {
      const docs = await expectSameResults({ filter: { q }, sort: { _id: 1 } });
      expect(docs.some((doc) => doc.n <= 5)).toBe(true);
      await expectSameResults({ filter: { q, n: { $gt: 5 } }, sort: { _id: 1 } });
    }
  });

  test('$and and $or over indexed prefixes', async () => {
    for (let i = 0; i < 40; i++) {
      const g = pick(ASKED_GROUPS);
      const k = pick(['x', 'y', 'z']);
      await expectSameResults({ filter: { $and: [{ g }, { n: { $lt: 8 } }] }, ...sortAndLimit() });
      await expectSameResults({ filter: { $and: [{ g }], g: { $nin: ['a', 1] } }, ...sortAndLimit() });
      await expectSameResults({ filter: { $and: [{ k, n: 2 }], n: { $ne: 2 } }, ...sortAndLimit() });
      await expectSameResults({ filter: { $or: [{ g }, { k, n: 2 }] }, ...sortAndLimit() });
      await expectSameResults({ filter: { $or: [{ g }, { n: 4 }] }, ...sortAndLimit() });
      await expectSameResults({ filter: { n: { $gte: 2 }, $or: [{ tags: 'red' }, { s: 's1' }] }, ...sortAndLimit() });
    }
  });
});

describe('values of every kind on an index prefix', () => {
  test('numbers of every BSON type, dates, ObjectIds and embedded documents find the same documents', async () => {
    const owner = new ObjectId();
    const values: unknown[] = [1, new Int32(1), Long.fromNumber(1), new Double(1), Decimal128.fromString('1'), 2, new Double(1.5), owner, new ObjectId(), DAYS[3], { x: 1, y: 2 }, { y: 2, x: 1 }, 'v'];
    const docs = values.flatMap((v, i) => [{ _id: i * 2, v, w: i % 3, at: i }, { _id: i * 2 + 1, v: [v, 'other'], w: (i + 1) % 3, at: -i }]);
    const typedIndexed = f.db.collection('kinds_indexed');
    const typedPlain = f.db.collection('kinds_plain');
    await typedIndexed.createIndex({ v: 1, w: 1, at: -1 });
    await typedIndexed.insertMany(docs.map((d) => ({ ...d })) as Document[]);
    await typedPlain.insertMany(docs.map((d) => ({ ...d })) as Document[]);
    const asked = [...values, 3, new ObjectId(), { x: 1 }, DAYS[4]];
    for (const v of asked) {
      for (const filter of [{ v }, { v, w: 1 }, { v: { $in: [v, 'v'] } }, { v, w: { $gte: 1 } }] as Document[]) {
        const [a, b] = await Promise.all([typedIndexed, typedPlain].map((c) => c.find(filter).sort({ at: -1, _id: 1 }).toArray()));
        expect({ filter, ids: a.map((d) => d._id) }).toEqual({ filter, ids: b.map((d) => d._id) });
      }
    }
    expect((await typedIndexed.find({ v: 1 }).toArray()).length).toBe(10);
  });
});

describe('index prefixes follow writes', () => {
  test('updates, deletes and upserts move documents between prefix keys', async () => {
    const firstB = DOCS.find((doc) => doc.g === 'b')!._id;
    const upsertFilter: Document = { _id: 10_000, g: 'fresh', n: 3 };
    const filters: Filter<Document>[] = [{ g: 'a' }, { g: 'moved' }, { k: 'x', n: 3 }, { k: 'moved', n: 3 }, { tags: 'red' }];
    const write = async (coll: Collection) => {
      await coll.updateMany({ g: 'a', n: { $lt: 4 } }, { $set: { g: 'moved' } });
      await coll.updateMany({ k: 'x', n: 3 }, { $set: { k: 'moved' } });
      await coll.updateOne({ g: 'b', _id: firstB }, { $set: { tags: ['red', 'red'] } });
      await coll.deleteMany({ tags: 'blue', n: { $gt: 6 } });
      await coll.updateOne(upsertFilter, { $set: { k: 'moved', d: DAYS[0] } }, { upsert: true });
    };
    await Promise.all([write(indexed), write(plain)]);
    for (const filter of [...filters, { g: 'fresh' }]) {
      await expectSameResults({ filter, sort: { d: -1, _id: 1 } });
      await expectSameResults({ filter, sort: { n: 1, _id: 1 }, limit: 2 });
    }
  });

  test('findOneAndUpdate with a sort picks the same document through the prefix', async () => {
    for (const g of ['b', 'c', 1]) {
      const [fromIndexed, fromPlain] = await Promise.all(
        [indexed, plain].map((coll) => coll.findOneAndUpdate({ g }, { $inc: { n: 100 } }, { sort: { d: -1, _id: 1 }, returnDocument: 'after' })),
      );
      expect(fromIndexed).toEqual(fromPlain);
      expect(fromIndexed).not.toBeNull();
    }
  });
});

describe('compound prefixes in transactions', () => {
  test('a transaction sees its own moves through the prefix; others see them after commit', async () => {
    const coll = f.db.collection('txnplans');
    await coll.createIndex({ owner: 1, at: -1 });
    await coll.insertMany([
      { _id: 1 as any, owner: 'ann', at: 1 },
      { _id: 2 as any, owner: 'ann', at: 2 },
      { _id: 3 as any, owner: 'bob', at: 3 },
    ]);
    const owners = async (owner: string, session?: ClientSession) => (await coll.find({ owner }, { session }).sort({ at: -1 }).toArray()).map((d) => d._id);
    await f.client.withSession(async (session) => {
      session.startTransaction();
      await coll.updateOne({ _id: 2 as any }, { $set: { owner: 'bob' } }, { session });
      expect(await owners('bob', session)).toEqual([3, 2]);
      expect(await owners('ann', session)).toEqual([1]);
      expect(await owners('bob')).toEqual([3]);
      expect(await owners('ann')).toEqual([2, 1]);
      await session.commitTransaction();
    });
    expect(await owners('bob')).toEqual([3, 2]);
    expect(await owners('ann')).toEqual([1]);
  });
});
