import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MINIAPP_DIR = path.join(REPO_ROOT, 'miniapp');

/** The Taro builds (weapp, h5) and the admin workspace (miniapp/admin, Vite). */
export type BuildTarget = 'weapp' | 'h5' | 'admin';

/** What each build reads: the app's sources and config, and the project's shared/ domain code. */
const TARO_INPUTS = ['miniapp/src', 'miniapp/config', 'miniapp/babel.config.js', 'miniapp/project.config.json', 'shared'];
const BUILD_INPUTS: Record<BuildTarget, string[]> = { weapp: TARO_INPUTS, h5: TARO_INPUTS, admin: ['miniapp/admin', 'shared'] };

/** A file every build writes; its age stands for the build's. */
const BUILD_MARKER: Record<BuildTarget, string> = { weapp: 'app.js', h5: 'index.html', admin: 'index.html' };

export function distDir(target: BuildTarget): string {
  return path.join(MINIAPP_DIR, 'dist', target);
}

function newestMtime(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return fs
    .readdirSync(entry)
    .reduce((newest, name) => Math.max(newest, newestMtime(path.join(entry, name))), stat.mtimeMs);
}

function isStale(target: BuildTarget): boolean {
  const marker = fs.statSync(path.join(distDir(target), BUILD_MARKER[target]), { throwIfNoEntry: false });
  if (!marker) return true;
  const newestInput = Math.max(...BUILD_INPUTS[target].map((input) => newestMtime(path.join(REPO_ROOT, input))));
  return newestInput > marker.mtimeMs;
}

function runBuild(target: BuildTarget): void {
  try {
    // jest sets NODE_ENV=test, which makes Taro's babel preset add react-refresh (a dev-server
    // plugin); the tests must exercise the same production build that is shipped.
    // A weapp build refuses to guess its BFF (miniapp/config): the tests opt into this machine's
    // explicitly; the weapp simulator swaps the origin for the test BFF's.
    const env = { ...process.env, NODE_ENV: 'production' as const, ...(target === 'weapp' ? { API_BASE: process.env.API_BASE || 'http://127.0.0.1:3000' } : {}) };
    execFileSync('npm', ['run', `build:${target}`], { cwd: REPO_ROOT, env, stdio: 'pipe', timeout: 240_000 });
  } catch (error) {
    const output = String((error as { stdout?: Buffer }).stdout ?? '') + String((error as { stderr?: Buffer }).stderr ?? '');
    throw new Error(`npm run build:${target} failed:\n${output.slice(-4000)}`);
  }
}

/** The pid written into the lock file; 0 while it is being written or once it is gone. */
function lockHolder(lockPath: string): number {
  try {
    return Number(fs.readFileSync(lockPath, 'utf8')) || 0;
  } catch {
    return 0;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Jest runs test files in parallel workers, and a build empties its output folder first,
 * so two files that find the build stale must not both rebuild: one builds, the others wait.
 */
async function withBuildLock<T>(target: BuildTarget, work: () => T): Promise<T> {
  const lockPath = path.join(MINIAPP_DIR, 'dist', `.build-${target}.lock`);
  fs.mkdirSync(path.dirname(lockPath), { recursive: true });
  const deadline = Date.now() + 300_000;
  for (;;) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      const holder = lockHolder(lockPath);
      if (holder && !isAlive(holder)) fs.rmSync(lockPath, { force: true });
      else if (Date.now() > deadline) throw new Error(`waited 300 s for ${lockPath} (held by pid ${holder})`);
      else await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    return work();
  } finally {
    fs.rmSync(lockPath, { force: true });
  }
}

/** Builds the app with the project's own npm script when its output is missing or older than its sources. */
export async function ensureBuild(target: BuildTarget): Promise<void> {
  if (!isStale(target)) return;
  await withBuildLock(target, () => {
    if (isStale(target)) runBuild(target);
  });
}
