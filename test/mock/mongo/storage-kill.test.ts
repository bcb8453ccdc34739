import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { openDurableStore } from '@mock/mongo/storage';

const ROOT = path.resolve(__dirname, '..', '..', '..');
/** tsx's loader inside node itself: the tsx CLI runs the script in a grandchild a kill would miss. */
const TSX_LOADER = pathToFileURL(require.resolve('tsx')).href;
const work = mkdtempSync(path.join(os.tmpdir(), 'mock-mongo-storage-kill-'));
const children = new Set<ChildProcess>();
afterAll(() => {
  // A failed test must not leave a writer running.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

/**
 * A writer process: four concurrent loops put documents and print the _id of each one as
 * soon as its append resolves. A small compaction size makes kills land during compactions.
 */
const WRITER = `
import { openDurableStore } from ${JSON.stringify(path.join(ROOT, 'mock', 'mongo', 'storage'))};
const [dir, journal] = process.argv.slice(2);
const docs = new Map<number, object>();
async function main() {
  const store = await openDurableStore({
    dir,
    journal: journal as 'always' | 'batch',
    batchWindowMs: 3,
    compactAfterBytes: 32 * 1024,
    getState: () => [{ ns: 'kill.docs', options: {}, indexes: [], docs: [...docs.values()] }],
  });
  for (const doc of store.recovered.flatMap((c) => c.docs)) docs.set(Number(doc._id), doc);
  const start = docs.size === 0 ? 0 : Math.max(...docs.keys()) + 1;
  process.stdout.write('ready\\n');
  const loop = async (lane: number) => {
    for (let id = start + lane; ; id += 4) {
      const doc = { _id: id, lane, pad: 'x'.repeat(200) };
      docs.set(id, doc);
      await store.append([{ op: 'put', ns: 'kill.docs', doc }]);
      process.stdout.write(id + '\\n');
    }
  };
  await Promise.all([0, 1, 2, 3].map(loop));
}
void main();
`;
const writerScript = path.join(work, 'writer.ts');
writeFileSync(writerScript, WRITER);

/** Runs the writer until it has acknowledged `acks` more documents, then kills it with SIGKILL. */
async function writeThenKill(dir: string, journal: 'always' | 'batch', acks: number): Promise<Set<number>> {
  const child = spawn(process.execPath, ['--import', TSX_LOADER, writerScript, dir, journal], { stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  const acknowledged = new Set<number>();
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'ready') continue;
    acknowledged.add(Number(line));
    if (acknowledged.size === acks) child.kill('SIGKILL');
  }
  expect(await exited).toBe('SIGKILL');
  return acknowledged;
}

async function reopenAfterKill(dir: string): Promise<{ ids: Set<number>; snapshotGeneration: number }> {
  const store = await openDurableStore({ dir, journal: 'always', getState: () => [] });
  await store.close();
  const ids = new Set(store.recovered.flatMap((c) => c.docs.map((doc) => Number(doc._id))));
  return { ids, snapshotGeneration: store.recovery.snapshotGeneration };
}

function missingFrom(onDisk: Set<number>, acknowledged: Iterable<number>): number[] {
  return [...acknowledged].filter((id) => !onDisk.has(id));
}

describe.each(['always', 'batch'] as const)('durable store killed with SIGKILL (journal: %s)', (journal) => {
  it('keeps every acknowledged write, across two kills and restarts', async () => {
    const dir = path.join(work, journal);
    const firstRun = await writeThenKill(dir, journal, 1500);
    const afterFirst = await reopenAfterKill(dir);
    expect(missingFrom(afterFirst.ids, firstRun)).toEqual([]);
    // The writer compacted while it ran, so recovery read a snapshot and the journals after it.
    expect(afterFirst.snapshotGeneration).toBeGreaterThan(1);

    const secondRun = await writeThenKill(dir, journal, 1500);
    const afterSecond = await reopenAfterKill(dir);
    expect(missingFrom(afterSecond.ids, [...firstRun, ...secondRun])).toEqual([]);
    // The second run wrote new ids after the recovered ones, so it overwrote nothing.
    expect(Math.min(...secondRun)).toBeGreaterThan(Math.max(...afterFirst.ids));
  });
});
