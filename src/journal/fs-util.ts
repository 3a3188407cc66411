/**
 * @module journal/fs-util
 * Small file-system helpers with the durability rules spelled out once: a new or renamed file is
 * only durable after its directory is fsynced; atomic replacement is temp file + fsync + rename +
 * directory fsync; a data directory has one owner at a time (LOCK file holding the owner's pid).
 */
import { open, readFile, rename, unlink, writeFile, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { DataDirLockedError } from './errors.js';

/** fsync a directory so entries created, renamed or removed in it survive a power loss. */
export async function fsyncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Writes all of `chunks` at `position`, looping over short writes. */
export async function writeFully(handle: FileHandle, chunks: readonly Uint8Array[], position: number): Promise<number> {
  let at = position;
  for (const chunk of chunks) {
    let done = 0;
    while (done < chunk.length) {
      const { bytesWritten } = await handle.write(chunk, done, chunk.length - done, at);
      if (bytesWritten <= 0) throw new Error(`short write at byte ${at}`);
      done += bytesWritten;
      at += bytesWritten;
    }
  }
  return at - position;
}

/** Replaces `path` atomically with `bytes`: temp file, fsync, rename, directory fsync. */
export async function writeFileAtomic(dir: string, name: string, bytes: Uint8Array, fsync: boolean): Promise<void> {
  const temp = join(dir, `${name}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await writeFully(handle, [bytes], 0);
    if (fsync) await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temp, join(dir, name));
  if (fsync) await fsyncDir(dir);
}

/** Directories locked by this process (a pid alone cannot tell two venues in one process apart). */
const lockedHere = new Set<string>();

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the data directory's LOCK file. A lock left by a dead process (crash, SIGKILL) is taken
 * over; one held by a live process, or by another venue of this process, is refused. Returns the
 * release function.
 */
export async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const path = join(dir, 'LOCK');
  if (lockedHere.has(path)) throw new DataDirLockedError(dir, process.pid);
  try {
    await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
    // Our own pid on a lock we do not hold means a previous process with a recycled pid.
    if (Number.isSafeInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
      throw new DataDirLockedError(dir, holder);
    }
    await writeFile(path, `${process.pid}\n`);
  }
  lockedHere.add(path);
  return async () => {
    lockedHere.delete(path);
    await unlink(path).catch(() => undefined);
  };
}
