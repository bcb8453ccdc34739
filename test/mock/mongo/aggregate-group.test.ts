/**
 * `$group` as mongod runs it. The embedded server groups the common shapes itself
 * (mock/mongo/commands/group.ts) and leaves the rest to mingo; the property test holds the native
 * grouping to the mingo path on random documents and specs (in process), the explicit cases hold
 * the server to mongod's documented rules (they run against a real MongoDB too).
 * Manual: reference/operator/aggregation/group/, …/sum/, …/avg/, …/min/, …/first/, …/addToSet/;
 * null and missing group keys: mongod's jstests/aggregation/bugs/groupMissing.js.
 */
import fc from 'fast-check';
import { Decimal128, Double, Int32, Long, type Document } from 'mongodb';
import { compileGroup } from '../../../mock/mongo/commands/group';
import { compareValues, keyString, valuesEqual } from '../../../mock/mongo/compare';
import { withPlainNumbers } from '../../../mock/mongo/numbers';
import { runMingoPipeline } from '../../../mock/mongo/query';
import { useDriverFixture } from './fixture';

const f = useDriverFixture('aggroup');

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  return (v as { _bsontype?: string })?._bsontype ?? typeof v;
}

/** Aggregates with every number wrapped (Int32, Long, Double), so types can be told apart. */
async function groupRaw(collection: string, docs: Document[], pipeline: Document[]): Promise<Document[]> {
  const c = f.db.collection(collection);
  await c.deleteMany({});
  if (docs.length) await c.insertMany(docs);
  return c.aggregate(pipeline, { promoteValues: false, promoteLongs: false }).toArray();
}

describe('native $group agrees with the mingo path', () => {
  // Numbers of every held kind (ints, integral and fractional doubles, Longs), with values whose
  // sums are exact in doubles, next to nulls, missing fields, strings, booleans and arrays.
  const scalar = fc.oneof(
    fc.integer({ min: -20, max: 20 }),
    fc.integer({ min: -40, max: 40 }).map((n) => n / 2),
    fc.integer({ min: -20, max: 20 }).map((n) => new Double(n)),
    fc.integer({ min: -20, max: 20 }).map((n) => Long.fromNumber(n)),
    fc.constant(null),
    fc.constantFrom('x', 'y', ''),
    fc.boolean(),
  );
  const value = fc.oneof({ weight: 5, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });
  // Fields left out at random (requiredKeys: []): missing, not undefined.
  const doc = fc.record(
    {
      k: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(1, 2), fc.constant(null), fc.constant(new Double(1)), fc.constant(Long.fromNumber(2))),
      n: value,
      o: fc.record({ c: scalar, d: fc.constantFrom('p', 'q') }, { requiredKeys: [], noNullPrototype: true }),
    },
    { requiredKeys: [], noNullPrototype: true },
  );

  const keys: unknown[] = [null, 'constant', 7, '$k', '$o.c', '$o.d', { k: '$k' }, { k: '$k', d: '$o.d' }, { t: { $type: '$n' } }, { $ifNull: ['$k', 'none'] }];
  const operands: unknown[] = [1, '$n', '$o.c', '$k', { $cond: [{ $eq: ['$o.d', 'p'] }, '$n', 0] }];
  const accumulator = fc.oneof(
    fc.record({ op: fc.constantFrom('$sum', '$avg', '$min', '$max', '$first', '$last', '$push', '$addToSet'), arg: fc.constantFrom(...operands) }).map(({ op, arg }) => ({ [op]: arg })),
    fc.constant({ $count: {} }),
  );
  const spec = fc.record({ _id: fc.constantFrom(...keys), accumulators: fc.array(accumulator, { minLength: 1, maxLength: 4 }) }).map(({ _id, accumulators }) => {
    const group: Document = { _id };
    accumulators.forEach((a, i) => (group[`f${i}`] = a));
    return group;
  });

  const MISSING = '\u0000missing';

  /**
   * The spec mingo runs: mongod's $push and $addToSet skip a missing value, mingo's push null
   * (pinned against mongod below), so mingo is given a marker for missing values, taken out after.
   * And an `_id` object of one field makes a missing value null in mongod, not in mingo. mingo's
   * $min and $max do not follow BSON order across types (an array below a number): mingo pushes
   * the values and the test takes the least or greatest in BSON order (compare.ts, pinned by
   * types.test.ts).
   */
  function forMingo(group: Document): Document {
    return Object.fromEntries(
      Object.entries(group).map(([field, acc]) => {
        if (field === '_id') return [field, singlePartAsNull(acc)];
        const op = Object.keys(acc)[0];
        if (op === '$min' || op === '$max') return [field, { $push: acc[op] }];
        if (op !== '$push' && op !== '$addToSet') return [field, acc];
        const arg = acc[op];
        return [field, { [op]: { $cond: [{ $eq: [{ $type: arg }, 'missing'] }, MISSING, arg] } }];
      }),
    );
  }

  function singlePartAsNull(id: unknown): unknown {
    if (!id || typeof id !== 'object' || Object.keys(id).length !== 1 || Object.keys(id)[0].startsWith('$')) return id;
    const [[name, part]] = Object.entries(id);
    return { [name]: { $ifNull: [part, null] } };
  }

  function fromMingo(group: Document) {
    return (result: Document): Document =>
      Object.fromEntries(
        Object.entries(result).map(([k, v]) => {
          const op = k === '_id' ? '' : Object.keys(group[k])[0];
          if (op === '$min' || op === '$max') {
            const sign = op === '$min' ? -1 : 1;
            const values = (v as unknown[]).filter((x) => x !== null && x !== undefined);
            return [k, values.reduce<unknown>((best, x) => (best === null || compareValues(x, best) * sign > 0 ? x : best), null)];
          }
          return [k, op === '$push' || op === '$addToSet' ? (v as unknown[]).filter((x) => x !== MISSING) : v];
        }),
      );
  }

  /** One group's fields compared as BSON values; $addToSet's order is unspecified. */
  function sameGroup(native: Document, mingo: Document, group: Document): boolean {
    return Object.keys(group).every((field) => {
      const op = field === '_id' ? '' : Object.keys(group[field])[0];
      const [a, b] = [native[field], mingo[field]];
      if (op === '$addToSet') return valuesEqual([...(a as unknown[])].sort((x, y) => (keyString(x) < keyString(y) ? -1 : 1)), [...(b as unknown[])].sort((x, y) => (keyString(x) < keyString(y) ? -1 : 1)));
      return valuesEqual(a, b);
    });
  }

  test('on random documents and group specs', () => {
    fc.assert(
      fc.property(fc.array(doc, { maxLength: 30 }), spec, (docs, group) => {
        const native = compileGroup(group, null);
        expect(native).not.toBeNull();
        const ours = native!(docs);
        const theirs = runMingoPipeline(docs.map(withPlainNumbers), [{ $group: forMingo(group) }]).map(fromMingo(group));
        expect(ours.length).toBe(theirs.length);
        const byKey = new Map(theirs.map((d) => [keyString(d._id), d]));
        for (const d of ours) {
          const other = byKey.get(keyString(d._id));
          if (!other || !sameGroup(d, other, group)) throw new Error(`group ${JSON.stringify(d)} vs ${JSON.stringify(other)}`);
        }
      }),
      { numRuns: 400 },
    );
  });
});

describe('$group follows mongod', () => {
  test('1, 1.0 and NumberLong(1) are one group, keeping the first value met', async () => {
    const out = await groupRaw('keys', [{ _id: 1, k: 1 }, { _id: 2, k: new Double(1) }, { _id: 3, k: Long.fromNumber(1) }, { _id: 4, k: '1' }], [
      { $sort: { _id: 1 } },
      { $group: { _id: '$k', n: { $sum: 1 } } },
      { $sort: { n: -1 } },
    ]);
    expect(out).toEqual([
      { _id: new Int32(1), n: new Int32(3) },
      { _id: '1', n: new Int32(1) },
    ]);
  });

  test('a missing key and null are one group, also as the one field of an object _id', async () => {
    const docs = [{ _id: 1, a: null }, { _id: 2 }];
    expect(await groupRaw('missing', docs, [{ $group: { _id: '$a', n: { $sum: 1 } } }])).toEqual([{ _id: null, n: new Int32(2) }]);
    expect(await groupRaw('missing', docs, [{ $group: { _id: { a: '$a' }, n: { $sum: 1 } } }])).toEqual([{ _id: { a: null }, n: new Int32(2) }]);
  });

  test('in an _id object of two fields a missing field is its own group and is left out (groupMissing.js)', async () => {
    const out = await groupRaw('missing2', [{ _id: 1, a: null, b: 1 }, { _id: 2, b: 1 }, { _id: 3, a: null, b: 1 }], [
      { $group: { _id: { a: '$a', b: '$b' }, n: { $sum: 1 } } },
      { $sort: { n: 1 } },
    ]);
    expect(out).toEqual([
      { _id: { b: new Int32(1) }, n: new Int32(1) },
      { _id: { a: null, b: new Int32(1) }, n: new Int32(2) },
    ]);
  });

  test('object keys are compared field by field in order: {a, b} and {b, a} are two groups', async () => {
    const out = await groupRaw('objects', [{ _id: 1, o: { a: 1, b: 2 } }, { _id: 2, o: { b: 2, a: 1 } }, { _id: 3, o: { a: Long.fromNumber(1), b: new Double(2) } }], [
      { $group: { _id: '$o', n: { $sum: 1 } } },
      { $sort: { n: 1 } },
    ]);
    expect(out).toEqual([
      { _id: { b: new Int32(2), a: new Int32(1) }, n: new Int32(1) },
      { _id: { a: new Int32(1), b: new Int32(2) }, n: new Int32(2) },
    ]);
  });

  test('$sum ignores non-numbers and widens int → long → double → decimal as mongod does', async () => {
    const docs = [
      { _id: 1, g: 'int', v: 2147483647 },
      { _id: 2, g: 'int', v: 1 },
      { _id: 3, g: 'int', v: 'x' },
      { _id: 4, g: 'int', v: [5] },
      { _id: 5, g: 'long', v: Long.fromNumber(2) },
      { _id: 6, g: 'long', v: 3 },
      { _id: 7, g: 'double', v: Long.fromNumber(2) },
      { _id: 8, g: 'double', v: new Double(3) },
      { _id: 9, g: 'decimal', v: Decimal128.fromString('0.1') },
      { _id: 10, g: 'decimal', v: 2 },
      { _id: 11, g: 'none', v: null },
      { _id: 12, g: 'none' },
    ];
    const out = await groupRaw('sums', docs, [{ $group: { _id: '$g', total: { $sum: '$v' }, count: { $count: {} } } }, { $sort: { _id: 1 } }]);
    const byGroup = Object.fromEntries(out.map((d) => [d._id, d]));
    expect(typeOf(byGroup.int.total)).toBe('Long'); // 2147483647 + 1 overflows an int
    expect(String(byGroup.int.total)).toBe('2147483648');
    expect(typeOf(byGroup.long.total)).toBe('Long');
    expect(String(byGroup.long.total)).toBe('5');
    expect(typeOf(byGroup.double.total)).toBe('Double');
    expect(byGroup.double.total.valueOf()).toBe(5);
    expect(typeOf(byGroup.decimal.total)).toBe('Decimal128');
    expect(Number(String(byGroup.decimal.total))).toBe(2.1);
    expect(byGroup.none.total).toEqual(new Int32(0));
    expect(byGroup.int.count).toEqual(new Int32(4));
  });

  test('a long total is exact beyond 2^53, and one past the int64 range becomes a double', async () => {
    const docs = [
      { _id: 1, g: 'exact', v: Long.fromString('2305843009213693953') }, // 2^61 + 1
      { _id: 2, g: 'exact', v: Long.fromString('2305843009213693952') },
      { _id: 3, g: 'exact', v: 3 },
      { _id: 4, g: 'over', v: Long.MAX_VALUE },
      { _id: 5, g: 'over', v: 1 },
    ];
    const out = await groupRaw('longs', docs, [{ $group: { _id: '$g', total: { $sum: '$v' } } }, { $sort: { _id: 1 } }]);
    expect(typeOf(out[0].total)).toBe('Long');
    expect(String(out[0].total)).toBe('4611686018427387908');
    expect(typeOf(out[1].total)).toBe('Double');
    expect(out[1].total.valueOf()).toBe(2 ** 63);
  });

  test('$avg averages the numbers only (a double), null when there is none', async () => {
    const out = await groupRaw('avgs', [{ _id: 1, g: 'a', v: 1 }, { _id: 2, g: 'a', v: Long.fromNumber(2) }, { _id: 3, g: 'a', v: 'x' }, { _id: 4, g: 'b', v: 'x' }, { _id: 5, g: 'b' }], [
      { $group: { _id: '$g', avg: { $avg: '$v' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 'a', avg: new Double(1.5) },
      { _id: 'b', avg: null },
    ]);
  });

  test('$min and $max compare in BSON order, skip null and missing, and are null when nothing is left', async () => {
    const docs = [{ _id: 1, g: 'a', v: 'b' }, { _id: 2, g: 'a', v: 10 }, { _id: 3, g: 'a', v: [1] }, { _id: 4, g: 'a', v: null }, { _id: 5, g: 'a' }, { _id: 6, g: 'b', v: null }, { _id: 7, g: 'b' }];
    const out = await groupRaw('minmax', docs, [{ $group: { _id: '$g', lo: { $min: '$v' }, hi: { $max: '$v' } } }, { $sort: { _id: 1 } }]);
    expect(out).toEqual([
      { _id: 'a', lo: new Int32(10), hi: [new Int32(1)] },
      { _id: 'b', lo: null, hi: null },
    ]);
  });

  test('$first and $last give null for a missing value; $push and $addToSet skip it', async () => {
    const docs = [{ _id: 1 }, { _id: 2, v: 1 }, { _id: 3, v: new Double(1) }, { _id: 4, v: null }, { _id: 5 }];
    const out = await groupRaw('firsts', docs, [
      { $sort: { _id: 1 } },
      { $group: { _id: null, first: { $first: '$v' }, last: { $last: '$v' }, all: { $push: '$v' }, set: { $addToSet: '$v' } } },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0].first).toBeNull();
    expect(out[0].last).toBeNull();
    expect(out[0].all).toEqual([new Int32(1), new Double(1), null]);
    expect(out[0].set).toHaveLength(2); // 1 and 1.0 are one value
  });

  test('a field path through an array of objects groups by the array of the values found', async () => {
    const docs = [{ _id: 1, a: [{ b: 1 }, { c: 2 }, 5, { b: 2 }] }, { _id: 2, a: [{ b: 1 }, { b: 2 }] }, { _id: 3, a: { b: 3 } }];
    const out = await groupRaw('paths', docs, [{ $group: { _id: '$a.b', n: { $sum: 1 } } }, { $sort: { n: -1 } }]);
    expect(out).toEqual([
      { _id: [new Int32(1), new Int32(2)], n: new Int32(2) },
      { _id: new Int32(3), n: new Int32(1) },
    ]);
  });

  test('the manual’s sales example: totals, averages and counts per item, and an expression key', async () => {
    const sales = [
      { _id: 1, item: 'abc', price: Decimal128.fromString('10'), quantity: 2, date: new Date('2014-03-01T08:00:00Z') },
      { _id: 2, item: 'jkl', price: Decimal128.fromString('20'), quantity: 1, date: new Date('2014-03-01T09:00:00Z') },
      { _id: 3, item: 'xyz', price: Decimal128.fromString('5'), quantity: 10, date: new Date('2014-03-15T09:00:00Z') },
      { _id: 4, item: 'xyz', price: Decimal128.fromString('5'), quantity: 20, date: new Date('2014-04-04T11:21:39.736Z') },
      { _id: 5, item: 'abc', price: Decimal128.fromString('10'), quantity: 10, date: new Date('2014-04-04T21:23:13.331Z') },
    ];
    const out = await groupRaw('sales', sales, [
      { $group: { _id: '$item', quantity: { $sum: '$quantity' }, count: { $count: {} }, avgQuantity: { $avg: '$quantity' }, firstSold: { $min: '$date' } } },
      { $sort: { _id: 1 } },
    ]);
    expect(out).toEqual([
      { _id: 'abc', quantity: new Int32(12), count: new Int32(2), avgQuantity: new Double(6), firstSold: new Date('2014-03-01T08:00:00Z') },
      { _id: 'jkl', quantity: new Int32(1), count: new Int32(1), avgQuantity: new Double(1), firstSold: new Date('2014-03-01T09:00:00Z') },
      { _id: 'xyz', quantity: new Int32(30), count: new Int32(2), avgQuantity: new Double(15), firstSold: new Date('2014-03-15T09:00:00Z') },
    ]);
    const byDay = await f.db
      .collection('sales')
      .aggregate([{ $group: { _id: { day: { $dateToString: { format: '%Y-%m-%d', date: '$date' } } }, items: { $addToSet: '$item' } } }, { $sort: { '_id.day': 1 } }])
      .toArray();
    expect(byDay.map((d) => [d._id.day, [...d.items].sort()])).toEqual([
      ['2014-03-01', ['abc', 'jkl']],
      ['2014-03-15', ['xyz']],
      ['2014-04-04', ['abc', 'xyz']],
    ]);
  });

  test('$group with no input gives no document, even grouped by a constant', async () => {
    expect(await groupRaw('empty', [], [{ $group: { _id: null, n: { $sum: 1 }, v: { $push: '$v' } } }])).toEqual([]);
  });
});
