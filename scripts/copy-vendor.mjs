// Copies livekit-client's end-to-end-encryption worker to public/vendor/ (served from our own origin, so the CSP
// needs no other origin). Runs at `npm install` / `npm ci` (postinstall): the file always matches the installed
// livekit-client. Only the live-room page ever starts this worker.
import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(import.meta.url);
// The package's own export for its worker (import condition), resolved as Node would.
const source = require.resolve("livekit-client/e2ee-worker").replace(/\.js$/, ".mjs");
const target = path.resolve("public", "vendor", "livekit-e2ee-worker.js");
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
console.log(`livekit-client E2EE worker → ${path.relative(process.cwd(), target)}`);

// The site's typeface, self-hosted (no font from another origin): the Latin and Latin Extended subsets of Inter's
// variable weight axis from @fontsource-variable/inter; app/styles/app.css declares them.
const fontDir = path.dirname(require.resolve("@fontsource-variable/inter/package.json"));
const fontTarget = path.resolve("public", "vendor", "fonts");
fs.mkdirSync(fontTarget, { recursive: true });
for (const file of ["inter-latin-wght-normal.woff2", "inter-latin-ext-wght-normal.woff2"]) {
  fs.copyFileSync(path.join(fontDir, "files", file), path.join(fontTarget, file));
}
console.log(`Inter Variable (latin, latin-ext) → ${path.relative(process.cwd(), fontTarget)}`);
