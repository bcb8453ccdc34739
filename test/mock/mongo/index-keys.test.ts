/**
 * Index keys never collide and always agree with MongoDB's equality, checked with random values
 * (fast-check) through the driver: a unique index refuses a second value exactly when MongoDB
 * considers the two equal (Int32 1, Double 1.0, Long 1 and Decimal128 1.0 are equal, -0 is 0;
 * a BinData of another subtype, an object with other field names or order, and a Long beyond
 * 2^53 one apart are not). And a query answered through indexes returns what a collection scan
 * returns, for random documents and filters.
 */
import fc from 'fast-check';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, type Collection, type Document, type Filter, type Sort } from 'mongodb';
import { rejection, useDriverFixture } from './fixture';

const f = useDriverFixture('index_keys');

/** A value to store, with its canonical form as MongoDB compares it (our oracle, built by hand). */
interface Sample {
  value: unknown;
  canonical: string;
}

const exactNumbers = [0, 1, 2, -3, 0.5, -2.25, 2 ** 40];

/** The same number as each BSON type that can hold it exactly. */
function numberSamples(n: number): fc.Arbitrary<Sample> {
  const canonical = `n${Object.is(n, -0) ? 0 : n}`;
  const kinds: unknown[] = [n, new Double(n), Decimal128.fromString(n.toFixed(3))];
  if (Number.isInteger(n)) kinds.push(Long.fromNumber(n));
  if (Number.isInteger(n) && Math.abs(n) < 2 ** 31) kinds.push(new Int32(n));
  return fc.constantFrom(...kinds).map((value) => ({ value, canonical }));
}

/** Longs beyond 2^53 one apart are distinct; a Decimal128 of the same integer equals the Long. */
const bigLongs: fc.Arbitrary<Sample> = fc
  .constantFrom(2n ** 53n, 2n ** 53n + 1n, 2n ** 53n + 2n, -(2n ** 60n) - 1n)
  .chain((big) => {
    const kinds: unknown[] = [Long.fromBigInt(big), Decimal128.fromString(big.toString())];
    if (big === 2n ** 53n) kinds.push(2 ** 53);
    return fc.constantFrom(...kinds).map((value) => ({ value, canonical: `n${big}` }));
  });

const strings: fc.Arbitrary<Sample> = fc
  .string({ unit: fc.constantFrom('1', ',', 's', '2', '"', ':', '[', '{', '\u0000', 'é', '\ud83d\ude00'), maxLength: 5 })
  .map((s) => ({ value: s, canonical: `s${JSON.stringify(s)}` }));

const binaries: fc.Arbitrary<Sample> = fc
  .tuple(fc.uint8Array({ maxLength: 3 }), fc.constantFrom(0, 128, 129))
  .map(([bytes, subtype]) => ({ value: new Binary(Buffer.from(bytes), subtype), canonical: `x${subtype}:${Buffer.from(bytes).toString('hex')}` }));

const oids = ['000000000000000000000001', '0000000000000000000000a1', 'ffffffffffffffffffffffff'];

const leaves: fc.Arbitrary<Sample> = fc.oneof(
  fc.constantFrom(...exactNumbers, -0).chain(numberSamples),
  bigLongs,
  strings,
  binaries,
  fc.boolean().map((b) => ({ value: b, canonical: `b${b}` })),
  fc.constant({ value: null, canonical: 'null' }),
  fc.constantFrom(...oids).map((hex) => ({ value: new ObjectId(hex), canonical: `o${hex}` })),
  fc.integer({ min: 0, max: 3 }).map((t) => ({ value: new Date(t * 1000), canonical: `d${t}` })),
);

const samples: fc.Arbitrary<Sample> = fc.letrec<{ sample: Sample }>((tie) => ({
  sample: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaves,
    fc.array(tie('sample'), { maxLength: 3 }).map((items) => ({
      value: items.map((i) => i.value),
      canonical: `[${items.map((i) => i.canonical).join(',')}]`,
    })),
    fc.uniqueArray(fc.tuple(fc.constantFrom('a', 'b', 'ab', 'b,'), tie('sample')), { selector: ([k]) => k, maxLength: 3 }).map((fields) => ({
      value: Object.fromEntries(fields.map(([k, s]) => [k, s.value])),
      canonical: `{${fields.map(([k, s]) => `${JSON.stringify(k)}:${s.canonical}`).join(',')}}`,
    })),
  ),
})).sample;

const piece = fc.string({ unit: fc.constantFrom('1', 's', '2', ','), maxLength: 3 });

/** Pairs a careless encoding confuses: joined and split strings, subtypes, field order, decimals. */
const nearMisses: fc.Arbitrary<[Sample, Sample]> = fc.oneof(
  fc.tuple(piece, piece).map(([x, y]): [Sample, Sample] => [
    { value: [`${x},s${y}`], canonical: `[s${JSON.stringify(`${x},s${y}`)}]` },
    { value: [x, y], canonical: `[s${JSON.stringify(x)},s${JSON.stringify(y)}]` },
  ]),
  fc.tuple(fc.uint8Array({ maxLength: 2 }), fc.constantFrom(0, 128), fc.constantFrom(0, 129)).map(([bytes, s, t]): [Sample, Sample] => [
    { value: new Binary(Buffer.from(bytes), s), canonical: `x${s}:${Buffer.from(bytes).toString('hex')}` },
    { value: new Binary(Buffer.from(bytes), t), canonical: `x${t}:${Buffer.from(bytes).toString('hex')}` },
  ]),
  fc.tuple(piece, fc.integer({ min: 0, max: 2 })).map(([x, n]): [Sample, Sample] => [
    { value: { a: x, b: n }, canonical: `{a:${x},b:${n}}` },
    { value: { b: n, a: x }, canonical: `{b:${n},a:${x}}` },
  ]),
  fc.constantFrom<[Sample, Sample]>(
    [{ value: Decimal128.fromString('0.1'), canonical: 'decimal 0.1' }, { value: 0.1, canonical: 'double 0.1' }],
    [{ value: Decimal128.fromString('0.3'), canonical: 'decimal 0.3' }, { value: Decimal128.fromString('0.30000000000000004'), canonical: 'decimal 0.30000000000000004' }],
    [{ value: Long.fromBigInt(2n ** 53n + 1n), canonical: 'n9007199254740993' }, { value: 2 ** 53, canonical: 'n9007199254740992' }],
  ),
);

/** A second value: an equal one written with other number types, an independent one, or a near miss. */
const pairs = fc.oneof(samples.chain((a) => fc.tuple(fc.constant(a), fc.oneof(fc.constant(a), samples))), nearMisses);

let runs = 0;

/** Stores `{v: {x: a}}` then `{v: {x: b}}` under a unique index on v; true when the second is refused. */
async function collides(coll: Collection, a: unknown, b: unknown): Promise<boolean> {
  await coll.insertOne({ _id: `a${runs}` as never, v: { x: a } });
  try {
    await coll.insertOne({ _id: `b${runs}` as never, v: { x: b } });
    return false;
  } catch (err) {
    if ((err as { code?: number }).code !== 11000) throw err;
    return true;
  } finally {
    runs++;
  }
}

describe('index keys', () => {
  it('a unique index refuses a second value exactly when MongoDB holds the two equal', async () => {
    const coll = f.db.collection('unique_values');
    await coll.createIndex({ v: 1 }, { unique: true });
    await fc.assert(
      fc.asyncProperty(pairs, async ([a, b]) => {
        await coll.deleteMany({});
        expect(await collides(coll, a.value, b.value)).toBe(a.canonical === b.canonical);
      }),
      { numRuns: 300, seed: 20261201 },
    );
  });

  it('two distinct object _ids never raise a duplicate key error, equal ones always do', async () => {
    const coll = f.db.collection('object_ids');
    await fc.assert(
      fc.asyncProperty(pairs, async ([a, b]) => {
        await coll.deleteMany({});
        await coll.insertOne({ _id: { k: a.value } as never });
        const second = coll.insertOne({ _id: { k: b.value } as never });
        if (a.canonical === b.canonical) expect((await rejection(second)).code).toBe(11000);
        else await second;
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it("an update from ['1,ss2'] to ['1', 's2'] is applied, not reported as a no-op", async () => {
    const coll = f.db.collection('no_op');
    await coll.insertOne({ _id: 1 as never, tags: ['1,ss2'] });
    const result = await coll.updateOne({ _id: 1 as never }, { $set: { tags: ['1', 's2'] } });
    expect(result.modifiedCount).toBe(1);
    expect((await coll.findOne({ _id: 1 as never }))?.tags).toEqual(['1', 's2']);
  });

  it('changing only the subtype of a BinData is a modification', async () => {
    const coll = f.db.collection('subtype');
    await coll.insertOne({ _id: 1 as never, data: new Binary(Buffer.from([1, 2]), 0) });
    const result = await coll.updateOne({ _id: 1 as never }, { $set: { data: new Binary(Buffer.from([1, 2]), 128) } });
    expect(result.modifiedCount).toBe(1);
    expect(((await coll.findOne({ _id: 1 as never }))?.data as Binary).sub_type).toBe(128);
  });

  it('BinData sorts by length, then subtype, then bytes', async () => {
    const coll = f.db.collection('binary_order');
    await coll.insertMany([
      { _id: 1 as never, b: new Binary(Buffer.from([9]), 128) },
      { _id: 2 as never, b: new Binary(Buffer.from([1, 1]), 0) },
      { _id: 3 as never, b: new Binary(Buffer.from([9]), 0) },
      { _id: 4 as never, b: new Binary(Buffer.from([2]), 128) },
    ]);
    const ids = (await coll.find({}).sort({ b: 1 }).toArray()).map((d) => d._id);
    expect(ids).toEqual([3, 4, 1, 2]);
  });
});

/** Deterministic value pools for the indexed-versus-scan property. */
const FIELD_VALUES: unknown[] = [
  'a', 'ab', 'abc', 'b', 'b,a', '', 1, 2, 2.5, -1, 0, null, [], ['a', 'b'], ['ab', 1], [null], [2, 2.5],
  { x: 1 }, { x: 'a', y: 1 }, { y: 1, x: 'a' }, true, new Date(0), new Date(5000),
];
const MISSING = Symbol('missing');

function pickFrom<T>(values: T[]): fc.Arbitrary<T> {
  return fc.constantFrom(...values);
}

const field = fc.oneof(pickFrom([...FIELD_VALUES, MISSING]), fc.record({ x: pickFrom(FIELD_VALUES) }));

const documents = fc.array(fc.tuple(field, field, field), { minLength: 1, maxLength: 40 }).map((rows) =>
  rows.map(([a, b, c], i) => {
    const doc: Document = { _id: i };
    if (a !== MISSING) doc.a = a;
    if (b !== MISSING) doc.b = b;
    if (c !== MISSING) doc.c = c;
    return doc;
  }),
);

const operand = pickFrom<unknown>(['a', 'ab', 'b', '', 1, 2, 2.5, 0, null, { x: 1 }, true, new Date(1000), ['a', 'b'], []]);
const fieldName = pickFrom(['a', 'b', 'c', 'c.x', 'a.x']);

const condition: fc.Arbitrary<unknown> = fc.oneof(
  operand,
  operand.map(($gt) => ({ $gt })),
  operand.map(($gte) => ({ $gte })),
  operand.map(($lt) => ({ $lt })),
  fc.tuple(operand, operand).map(([$gte, $lte]) => ({ $gte, $lte })),
  fc.tuple(operand, operand).map(([$gt, $lt]) => ({ $gt, $lt })),
  fc.array(operand, { minLength: 1, maxLength: 3 }).map(($in) => ({ $in })),
  pickFrom([/^a/, /^ab/, /^b,/, /^/, /^a/i, /^a.c/, /b/, /^(a|b)/]),
  pickFrom([{ $regex: '^a' }, { $regex: '^a', $options: 'i' }, { $exists: false }, { $ne: 'a' }]),
);

const clause = fc.tuple(fieldName, condition).map(([name, cond]) => ({ [name]: cond }));

const filters: fc.Arbitrary<Filter<Document>> = fc.oneof(
  clause,
  fc.tuple(clause, clause).map(([x, y]) => ({ ...x, ...y })),
  fc.tuple(clause, clause).map(([x, y]) => ({ $and: [x, y] })),
  fc.tuple(clause, clause).map(([x, y]) => ({ $or: [x, y] })),
);

const sorts = pickFrom<Sort | undefined>([undefined, { a: 1, _id: 1 }, { a: -1, _id: 1 }, { b: 1, _id: -1 }, { c: 1, _id: 1 }, { _id: -1 }]);

describe('indexed queries equal a collection scan', () => {
  let indexed: Collection;
  let plain: Collection;

  beforeAll(async () => {
    indexed = f.db.collection('indexed_random');
    plain = f.db.collection('plain_random');
    await indexed.createIndex({ a: 1 });
    await indexed.createIndex({ a: -1, b: 1 });
    await indexed.createIndex({ b: 1, _id: -1 });
    await indexed.createIndex({ 'c.x': 1 });
    await indexed.createIndex({ c: 1, _id: 1 }, { sparse: true });
  });

  it('find, sort, skip, limit and count agree for random documents and filters', async () => {
    await fc.assert(
      fc.asyncProperty(documents, fc.array(fc.tuple(filters, sorts, fc.nat(3), fc.nat(5)), { minLength: 4, maxLength: 4 }), async (docs, queries) => {
        await indexed.deleteMany({});
        await plain.deleteMany({});
        await indexed.insertMany(docs.map((d) => ({ ...d })));
        await plain.insertMany(docs.map((d) => ({ ...d })));
        for (const [filter, sort, skip, limit] of queries) {
          const run = (coll: Collection) => coll.find(filter, { sort: sort ?? { _id: 1 }, skip, limit }).toArray();
          expect(await run(indexed)).toEqual(await run(plain));
          expect(await indexed.countDocuments(filter)).toBe(await plain.countDocuments(filter));
        }
      }),
      { numRuns: 60, seed: 1201 },
    );
  });
});
