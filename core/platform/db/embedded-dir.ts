// Creating the embedded database's directory so that a start cut short cannot leave it half made. PostgreSQL's
// initdb (which PGlite runs on a directory without a database) writes for a few seconds; a process killed then — a
// second Ctrl-C during the first `npm start`, a crash, a power cut — used to leave a directory that every later
// start failed to open with an opaque file-system error. Now the database is created in a staging directory beside
// it and moved in only once it is complete, and a marker file says so; a directory without a complete database
// (nothing in it can be data: no database was ever complete there) is made again.
import fs from "node:fs";
import path from "node:path";
import { LOCK_FILE } from "./lock.ts";

/** Written last: the directory holds a complete database. */
export const READY_FILE = "mindnamo.ready";

export const stagingDir = (dir: string) => `${dir}.creating`;

/** Does `dir` hold a complete database? */
export function isComplete(dir: string): boolean {
  if (fs.existsSync(path.join(dir, READY_FILE))) return true;
  // Made before the marker existed: a database PostgreSQL finished creating has its control file, and no creation
  // of ours is under way (a staging directory means the move below was cut short).
  return fs.existsSync(path.join(dir, "global", "pg_control")) && !fs.existsSync(stagingDir(dir));
}

function syncDir(dir: string): void {
  const fd = fs.openSync(dir, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Makes sure `dir` (already created and locked by this process) holds a complete database: creates one with
 * `create` (which makes a database in the directory it is given and closes it) when it does not. Returns whether it
 * created one, and whether it replaced an incomplete directory.
 */
export async function ensureComplete(
  dir: string,
  create: (dir: string) => Promise<void>,
): Promise<{ created: boolean; replacedIncomplete: boolean }> {
  const staging = stagingDir(dir);
  if (isComplete(dir)) {
    fs.rmSync(staging, { recursive: true, force: true }); // left by a start cut short after the marker
    return { created: false, replacedIncomplete: false };
  }
  const leftovers = fs.readdirSync(dir).filter((entry) => entry !== LOCK_FILE);
  fs.rmSync(staging, { recursive: true, force: true });
  fs.mkdirSync(staging, { recursive: true });
  await create(staging);
  for (const entry of leftovers) fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
  for (const entry of fs.readdirSync(staging)) fs.renameSync(path.join(staging, entry), path.join(dir, entry));
  syncDir(dir);
  fs.writeFileSync(path.join(dir, READY_FILE), "");
  syncDir(dir);
  fs.rmSync(staging, { recursive: true, force: true });
  return { created: true, replacedIncomplete: leftovers.length > 0 };
}
