/**
 * `npm run bench [name ...]`: runs every test/bench/*.bench.ts (or the named ones) one after
 * another, each in its own tsx child process so one benchmark's heap and timers cannot skew the
 * next, and passes their output through. Exits non-zero if any benchmark failed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const BENCH_DIR = __dirname;
const ROOT = path.resolve(BENCH_DIR, '../..');

function selectBenchmarks(names: string[]): string[] {
  const all = readdirSync(BENCH_DIR).filter((f) => f.endsWith('.bench.ts')).sort();
  if (names.length === 0) return all;
  return names.map((name) => {
    const file = all.find((f) => f === name || f === `${name}.bench.ts` || f === path.basename(name));
    if (!file) throw new Error(`no benchmark named ${name} (have: ${all.join(', ')})`);
    return file;
  });
}

function main(): void {
  let failed = 0;
  for (const file of selectBenchmarks(process.argv.slice(2))) {
    console.log(`\n=== ${file} ===`);
    const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(BENCH_DIR, file)], { cwd: ROOT, stdio: 'inherit' });
    if (result.status !== 0) {
      failed++;
      console.log(`=== ${file} FAILED (exit ${result.status ?? result.signal}) ===`);
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
