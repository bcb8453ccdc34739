/**
 * `$group` over 200,000 documents in process: the embedded server's native grouping
 * (mock/mongo/commands/group.ts) against mingo's `$group` on the same documents, alternating
 * runs so a loaded machine weighs on both alike. Shapes: a field path key with a `$sum` of a
 * field (held Longs among ints), a compound key with a `$switch` expression (the dashboard's
 * instruments by business and standing), `$min`/`$max`/`$avg`/`$push` by a low-cardinality key.
 *
 *   npx tsx test/bench/group.bench.ts [documents=200000] [rounds=3]
 */
import { performance } from 'node:perf_hooks';
import { Long, ObjectId, type Document } from 'bson';
import { compileGroup } from '../../mock/mongo/commands/group';
import { withPlainNumbers } from '../../mock/mongo/numbers';
import { runMingoPipeline } from '../../mock/mongo/query';

const N = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const businesses = Array.from({ length: 10_000 }, () => new ObjectId());
const due = new Date('2026-12-01');

const docs: Document[] = Array.from({ length: N }, (_, i) => ({
  _id: new ObjectId(),
  business: businesses[i % businesses.length],
  status: i % 9 ? 'in_use' : 'retired',
  kind: `k${i % 17}`,
  v: i % 5 ? i % 1000 : Long.fromNumber(i),
  current: i % 4 ? { result: i % 7 ? 'pass' : 'fail', dueDate: new Date(due.getTime() + ((i % 400) - 200) * 86_400_000) } : undefined,
}));

const standing = {
  $switch: {
    branches: [
      { case: { $ne: ['$current.result', 'pass'] }, then: 'other' },
      { case: { $lt: ['$current.dueDate', due] }, then: 'overdue' },
      { case: { $lt: ['$current.dueDate', new Date(due.getTime() + 30 * 86_400_000)] }, then: 'expiring' },
    ],
    default: 'valid',
  },
};

const shapes: Record<string, Document> = {
  'by business, $sum of a field': { _id: '$business', total: { $sum: '$v' }, n: { $sum: 1 } },
  'by {business, standing: $switch}, $sum: 1': { _id: { business: '$business', standing }, n: { $sum: 1 } },
  'by kind, $min/$max/$avg/$push': { _id: '$kind', lo: { $min: '$v' }, hi: { $max: '$current.dueDate' }, avg: { $avg: '$v' }, all: { $push: '$status' } },
};

function time(fn: () => unknown): number {
  const t = performance.now();
  fn();
  return performance.now() - t;
}

console.log(`| $group over ${N} documents | native ms (median of ${ROUNDS}) | mingo ms | mingo / native |`);
console.log('|---|---|---|---|');
for (const [name, spec] of Object.entries(shapes)) {
  const native = compileGroup(spec, null);
  if (!native) throw new Error(`${name}: not run natively`);
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < ROUNDS; r += 1) {
    ours.push(time(() => native(docs)));
    theirs.push(time(() => runMingoPipeline(docs.map(withPlainNumbers), [{ $group: spec }])));
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const [a, b] = [median(ours), median(theirs)];
  console.log(`| ${name} | ${a.toFixed(0)} | ${b.toFixed(0)} | ${(b / a).toFixed(1)}× |`);
}
