// What a production build is made from: every source file's path, size and modification time, hashed. Cheap
// (a stat per file, ~1,000 files), so `npm start` can tell a current build from a stale one at every start.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";

const SOURCES = ["app", "server", "core", "admin", "prisma", "server.ts", "remix.config.js", "package-lock.json"];
const SKIP = new Set(["node_modules", "build", ".cache"]);

function walk(dir, out) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (!/\.test\.tsx?$/.test(entry.name)) out.push(full);
  }
}

export function sourceFingerprint(root) {
  const files = [];
  for (const name of SOURCES) {
    const full = path.join(root, name);
    if (!fs.existsSync(full)) continue;
    if (fs.statSync(full).isDirectory()) walk(full, files);
    else files.push(full);
  }
  const hash = crypto.createHash("sha256");
  for (const file of files.sort()) {
    const st = fs.statSync(file);
    hash.update(`${path.relative(root, file)}\0${st.size}\0${Math.floor(st.mtimeMs)}\n`);
  }
  return hash.digest("hex");
}
