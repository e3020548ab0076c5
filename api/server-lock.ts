import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config/config.ts';

/** What `parley serve` writes to `<data folder>/parley.lock` while it runs. */
export interface ServerLock {
  readonly pid: number;
  readonly url: string;
  readonly startedAt: string;
}

/** The lock file of a warehouse's data folder. */
export function lockPath(config: Pick<Config, 'dataDir'>): string {
  return path.join(config.dataDir, 'parley.lock');
}

/** True when a process with this pid exists (a lock left by a killed server names a dead pid). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Writes the lock (atomically: a reader never sees half a file). */
export function writeServerLock(config: Pick<Config, 'dataDir'>, url: string): ServerLock {
  const lock: ServerLock = { pid: process.pid, url, startedAt: new Date().toISOString() };
  const file = lockPath(config);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.${process.pid}.tmp`, `${JSON.stringify(lock)}\n`);
  fs.renameSync(`${file}.${process.pid}.tmp`, file);
  return lock;
}

/** The lock file's content, or undefined when there is none or it is unreadable. */
export function readServerLock(config: Pick<Config, 'dataDir'>): ServerLock | undefined {
  try {
    const lock = JSON.parse(fs.readFileSync(lockPath(config), 'utf8')) as ServerLock;
    return Number.isInteger(lock.pid) && typeof lock.url === 'string' && /^https?:\/\//.test(lock.url) ? lock : undefined;
  } catch {
    return undefined;
  }
}

/** The running server of this data folder; a stale lock (dead pid) is ignored. */
export function liveServer(config: Pick<Config, 'dataDir'>): ServerLock | undefined {
  const lock = readServerLock(config);
  return lock && isProcessAlive(lock.pid) ? lock : undefined;
}

/** Removes the lock if it is this process's. */
export function removeServerLock(config: Pick<Config, 'dataDir'>): void {
  if (readServerLock(config)?.pid === process.pid) fs.rmSync(lockPath(config), { force: true });
}
