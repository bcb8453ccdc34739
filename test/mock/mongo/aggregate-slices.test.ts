/**
 * A `$group` over many documents answers as over few: the embedded server groups a large input
 * slice by slice (commands/aggregate.ts, SLICE_DOCUMENTS) and merges the slices' groups, which
 * must give exactly what one pass gives ($sum of sums, $min of minima, $max of maxima, groups in
 * the order their first document came, null where no value was a number or present).
 */
import { useDriverFixture } from './fixture';

const f = useDriverFixture('aggslices');
const N = 12_345; // more than two slices

/** Every 7th document lacks `n`, every 11th holds a string or null there; `at` is a date. */
function doc(i: number) {
  const base: Record<string, unknown> = { _id: i, shop: `s${i % 13}`, kind: i % 3 === 0 ? 'scale' : 'meter', at: new Date(Date.UTC(2026, 0, 1 + (i % 300))) };
  if (i % 7 === 0) return base;
  if (i % 11 === 0) return { ...base, n: i % 2 ? 'x' : null };
  return { ...base, n: (i * 37) % 101 };
}

beforeAll(async () => {
  const docs = Array.from({ length: N }, (_, i) => doc(i));
  for (let i = 0; i < docs.length; i += 2_000) await f.db.collection('scans').insertMany(docs.slice(i, i + 2_000));
});

test('$sum, $min and $max after per-document stages equal one pass over every document', async () => {
  const result = await f.db
    .collection('scans')
    .aggregate([
      { $match: { _id: { $gte: 0 } } },
      { $set: { big: { $gt: ['$_id', 6_000] } } }, // straddles the slices
      {
        $group: {
          _id: { shop: '$shop', big: '$big' },
          count: { $sum: 1 },
          total: { $sum: '$n' },
          least: { $min: '$n' },
          most: { $max: '$at' },
          noneSummed: { $sum: '$missing' },
          noneMin: { $min: '$missing' },
        },
      },
      { $sort: { '_id.shop': 1, '_id.big': 1 } },
    ])
    .toArray();

  const expected = new Map<string, { _id: { shop: string; big: boolean }; count: number; total: number; least: unknown; most: Date; noneSummed: number; noneMin: null }>();
  for (let i = 0; i < N; i += 1) {
    const d = doc(i);
    const n = d.n;
    const big = i > 6_000;
    const key = `${d.shop}|${big}`;
    const g = expected.get(key) ?? { _id: { shop: d.shop as string, big }, count: 0, total: 0, least: null, most: d.at as Date, noneSummed: 0, noneMin: null };
    g.count += 1;
    if (typeof n === 'number') g.total += n;
    // $min ignores null and missing; numbers sort before strings.
    if (n !== undefined && n !== null) {
      const less = g.least === null || (typeof n === 'number' && (typeof g.least === 'string' || n < (g.least as number)));
      if (less) g.least = n;
    }
    if ((d.at as Date) > g.most) g.most = d.at as Date;
    expected.set(key, g);
  }
  const sorted = [...expected.values()].sort((a, b) => (a._id.shop < b._id.shop ? -1 : a._id.shop > b._id.shop ? 1 : Number(a._id.big) - Number(b._id.big)));
  expect(result).toEqual(sorted);
});

test('groups come out in the order of their first document when nothing sorts them afterwards', async () => {
  const result = await f.db
    .collection('scans')
    .aggregate([{ $match: { _id: { $gte: 0 } } }, { $sort: { _id: -1 } }, { $group: { _id: '$kind', n: { $sum: 1 } } }, { $sort: { n: 1 } }])
    .toArray();
  expect(result).toEqual([
    { _id: 'scale', n: Math.ceil(N / 3) },
    { _id: 'meter', n: N - Math.ceil(N / 3) },
  ]);
});
