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
/** Prisma's query compiler for PostgreSQL, as a binary file beside the bundle (see `prismaWasmFromFile`). */
export const QUERY_COMPILER_WASM = path.join(root, "build/node/server/query_compiler.wasm");
const PRISMA_WASM_MODULE = "@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.mjs";

/**
 * The generated Prisma client loads its query compiler from a module that exports the 3.3 MB WebAssembly binary as
 * one base64 string. Node never unloads a module, so that string (and the module's source, another copy) stayed in
 * the JavaScript heap for the life of the process: ~9 MB of live heap, which V8 then sized the whole heap from.
 * The bundle instead reads the binary, decoded once here, from a file beside it; the buffer is garbage once the
 * module is compiled. The build fails if the generated client no longer loads its compiler the way replaced here.
 */
function prismaWasmFromFile() {
  const loader = `const { wasm } = await import("${PRISMA_WASM_MODULE}")`;
  return {
    name: "prisma-wasm-from-file",
    setup(b) {
      b.onLoad({ filter: /core[\\/]generated[\\/]prisma[\\/]internal[\\/]class\.ts$/ }, async (args) => {
        const source = fs.readFileSync(args.path, "utf8");
        const at = source.indexOf(loader);
        const decode = source.indexOf("decodeBase64AsWasm(wasm)", at);
        if (at < 0 || decode < 0)
          throw new Error(`prisma-wasm-from-file: ${args.path} no longer loads its compiler with: ${loader}`);
        const { wasm } = await import(PRISMA_WASM_MODULE);
        fs.mkdirSync(path.dirname(QUERY_COMPILER_WASM), { recursive: true });
        fs.writeFileSync(QUERY_COMPILER_WASM, Buffer.from(wasm, "base64"));
        const replaced =
          source.slice(0, at) +
          `const { readFile } = await import("node:fs/promises");\n` +
          `    return new WebAssembly.Module(await readFile(new URL("./query_compiler.wasm", import.meta.url)))` +
          source.slice(source.indexOf("\n", decode));
        return { contents: replaced, loader: "ts" };
      });
    },
  };
}

/**
 * Writes `<file>.br` (brotli 11) and `<file>.gz` (gzip -9) beside every script, style sheet and source map of the
 * browser build, so the server sends them as they are (express-static-gzip in server/app.ts) instead of compressing
 * each request at a cheap level: ~15% fewer bytes for a first visit and no CPU per asset request. The names carry
 * content hashes, so a compressed copy always matches its file.
 */
async function precompressAssets(dir) {
  const { brotliCompress, gzip, constants } = await import("node:zlib");
  const { promisify } = await import("node:util");
  const br = promisify(brotliCompress);
  const gz = promisify(gzip);
  const files = fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(js|css|map|svg|json)$/.test(e.name))
    .map((e) => path.join(e.parentPath ?? e.path, e.name));
  await Promise.all(
    files.map(async (file) => {
      const data = fs.readFileSync(file);
      if (data.length < 1024) return; // not worth a second request's header bytes
      const [brotli, gzipped] = await Promise.all([
        br(data, {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: 11,
            [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
            [constants.BROTLI_PARAM_SIZE_HINT]: data.length,
          },
        }),
        gz(data, { level: 9 }),
      ]);
      fs.writeFileSync(`${file}.br`, brotli);
      fs.writeFileSync(`${file}.gz`, gzipped);
    }),
  );
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now();
  const fingerprint = sourceFingerprint(root);
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
    cwd: root,
    stdio: quiet ? "ignore" : "inherit",
  });
  await precompressAssets(path.join(root, "public/build"));
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
    plugins: [prismaWasmFromFile()],
  });
  fs.writeFileSync(STAMP, JSON.stringify({ fingerprint, builtAt: new Date().toISOString() }, null, 2));
  if (!quiet)
    console.log(`production build ready in ${Date.now() - started} ms → ${path.relative(root, SERVER_ENTRY)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await buildAll();
}
