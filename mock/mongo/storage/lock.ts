import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { StorageError } from './errors';
import { LOCK_FILE } from './files';

/** Directories this process holds, so a second open in the same process is refused too. */
const heldByThisProcess = new Set<string>();

interface LockOwner {
  pid: number;
  /** Process start time from /proc (Linux), so a reused pid is not mistaken for the owner. */
  startTime?: string;
}

export interface DirectoryLock {
  release(): Promise<void>;
}

/**
 * Takes `mongod.lock` in `dir`. A lock whose process is alive means another server owns the
 * directory; a lock left by a dead process (kill -9, power loss) is taken over. Taking over is
 * not atomic against a second server starting in the same instant; this guards against the
 * common mistake (two servers on one --dbpath), not against a deliberate race.
 */
export async function acquireDirectoryLock(dir: string): Promise<DirectoryLock> {
  const key = await fs.realpath(dir);
  const file = path.join(dir, LOCK_FILE);
  if (heldByThisProcess.has(key)) throw locked(dir, { pid: process.pid });
  const me: LockOwner = { pid: process.pid, startTime: processStartTime(process.pid) };
  await createLockFile(file, me, dir);
  heldByThisProcess.add(key);
  return {
    async release() {
      heldByThisProcess.delete(key);
      const owner = await readOwner(file);
      if (owner?.pid === me.pid) await fs.rm(file, { force: true });
    },
  };
}

async function createLockFile(file: string, me: LockOwner, dir: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, `${me.pid}\n${me.startTime ?? ''}\n`, { flag: 'wx' });
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = await readOwner(file);
    if (owner && isAlive(owner)) throw locked(dir, owner);
    await fs.rm(file, { force: true });
  }
  throw locked(dir, (await readOwner(file)) ?? { pid: -1 });
}

async function readOwner(file: string): Promise<LockOwner | undefined> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const [pidLine, startLine] = text.split('\n');
  const pid = Number(pidLine);
  // An empty or garbled lock (crash while writing it) has no owner to respect.
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { pid, startTime: startLine || undefined };
}

function isAlive(owner: LockOwner): boolean {
  // Same pid as ours but not in our table: a previous incarnation that had our pid.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const startTime = processStartTime(owner.pid);
  return owner.startTime === undefined || startTime === undefined || startTime === owner.startTime;
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may contain spaces, so split after ")". */
function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function locked(dir: string, owner: LockOwner): StorageError {
  return new StorageError(
    'DBPATH_LOCKED',
    `data directory ${dir} is in use by another server (pid ${owner.pid}, see ${LOCK_FILE}); stop it or choose another --dbpath`,
  );
}
