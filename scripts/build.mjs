// The production build, run with plain `node` (no tsx, no TypeScript at run time):
//   1. `remix build`: the site (app/, and the back-office's tRPC server and UI it imports) → build/server, public/build;
//   2. esbuild: the process entry (server.ts → server/, core/, prisma/seed.ts, the generated Prisma client) →
//      build/node/server/index.js, one ESM file. Every npm package stays external: bundling @prisma/* or PGlite
//      breaks them at start (docs/decisions/0014-production-build.md).
// The output sits three folders deep, as core/platform/db/migrate.ts does, so the path it computes from its own
// location (../../../prisma/migrations) is right in the bundle too. A stamp records what the build was made from;
// scripts/start.mjs compares it with the sources.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { sourceFingerprint } from "./build-fingerprint.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const SERVER_ENTRY = path.join(root, "build/node/server/index.js");
export const STAMP = path.join(root, "build/node/stamp.json");

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  const fingerprint = sourceFingerprint(root);
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: quiet ? "ignore" : "inherit",
  });
  await build({
    entryPoints: [path.join(root, "server.ts")],
    outfile: SERVER_ENTRY,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    packages: "external",
    sourcemap: true,
    legalComments: "none",
    logLevel: "warning",
  });
  fs.writeFileSync(STAMP, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, 2));
  if (!quiet)
    console.log(`production build ready in ${Date.now() - started} ms → ${path.relative(root, SERVER_ENTRY)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
