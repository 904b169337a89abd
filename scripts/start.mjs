// `npm start`: runs the compiled production server with plain node, building it first only when the build is
// missing or older than the sources (scripts/build-fingerprint.mjs). Several instances started from one folder
// build once: the first takes a lock (an exclusive mkdir), the others wait for it and then find the build current.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { sourceFingerprint } from "./build-fingerprint.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const entry = path.join(root, "build/node/server/index.js");
const stampFile = path.join(root, "build/node/stamp.json");
const lockDir = path.join(root, "build/.building");

function isCurrent() {
  if (!fs.existsSync(entry) || !fs.existsSync(path.join(root, "build/server/index.js"))) return false;
  try {
    return JSON.parse(fs.readFileSync(stampFile, "utf8")).fingerprint === sourceFingerprint(root);
  } catch {
    return false;
  }
}

async function ensureBuild() {
  if (isCurrent()) return;
  fs.mkdirSync(path.join(root, "build"), { recursive: true });
  const until = Date.now() + 5 * 60_000;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (error) {
      if (error.code !== "EEXIST") throw error;
      // A lock left by a build that died (over 5 minutes old) is taken over.
      const age = Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs;
      if (age > 5 * 60_000) fs.rmSync(lockDir, { recursive: true, force: true });
      else if (Date.now() > until) throw new Error("another build did not finish within 5 minutes");
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    if (isCurrent()) return; // another instance built it while we waited
    console.log("The production build is missing or older than the sources: building…");
    const { buildAll } = await import("./build.mjs"); // esbuild is a dev dependency: loaded only to build
    await buildAll();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

await ensureBuild();
await import(pathToFileURL(entry).href);
