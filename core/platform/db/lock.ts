// PGlite has no lock between processes: two processes opening one data directory silently lose writes.
// So the process that opens it first writes a lock file (created atomically with O_EXCL) holding its pid
// and host; any other process refuses to start with a clear message. A lock left by a process that no longer
// runs (a crash, a killed container) is taken over. See docs/decisions/0003-pglite-embedded-default.md.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

/** The lock's file name inside the data directory. */
export const LOCK_FILE = "mindnamo.lock";

export class DataDirLockedError extends Error {
  constructor(
    public readonly dir: string,
    public readonly holderPid: number,
  ) {
    super(
      `The embedded database in ${dir} is already open in another process (pid ${holderPid}). ` +
        `Only one process may open it: stop that process first, or set DATABASE_URL to use a PostgreSQL server.`,
    );
    this.name = "DataDirLockedError";
  }
}

interface LockInfo {
  pid: number;
  host: string;
  startedAt: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function readLock(file: string): LockInfo | undefined {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, "utf8")) as Partial<LockInfo>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return { pid: parsed.pid, host: parsed.host, startedAt: String(parsed.startedAt) };
    }
  } catch {
    // unreadable or half-written: treated as stale below
  }
  return undefined;
}

export interface DirLock {
  release(): void;
}

/** Takes the lock of a data directory or throws DataDirLockedError. */
export function lockDataDir(dir: string): DirLock {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, LOCK_FILE);
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), startedAt: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, "wx", 0o600);
      fs.writeSync(fd, JSON.stringify(mine));
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        const current = readLock(file);
        if (current?.pid === mine.pid && current.host === mine.host) fs.rmSync(file, { force: true });
      };
      process.once("exit", release);
      return { release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const holder = readLock(file);
      const stale = !holder || (holder.host === mine.host && (holder.pid === process.pid || !isAlive(holder.pid)));
      if (!stale) throw new DataDirLockedError(dir, holder.pid);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`Could not take the lock of ${dir}`);
}
