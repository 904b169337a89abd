// Production runs the compiled build with plain node (scripts/build.mjs, scripts/start.mjs): no tsx, no
// TypeScript at run time. `npm test` builds first. On an embedded database that is already migrated and seeded,
// `npm start` must answer without rebuilding a build that is current, and its cold start — from spawning the
// process to the first 200 of the home page — is within 5 s (docs/performance.md). How that is asserted without
// being flaky: the time is measured twice and the faster start counts (one start can be unlucky); on a quiet
// machine (1-minute load average at most one per core) the bound is the target itself, 5 s; on a loaded one the
// process gets only its share of the cores, so the bound grows with the load per core, capped at 20 s — past that
// something is wrong whatever the load. Both starts, the load and the bound used are printed.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firstOk, freePort, startProduction, stopProduction } from "./helpers/production.ts";

const COLD_START_TARGET_MS = 5_000;

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-prodstart-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const start = (args: string[], port: number) => startProduction(args, { port, dataDir });
const stop = stopProduction;

describe("the production build", () => {
  it("is plain JavaScript with every npm package left external", () => {
    const entry = fs.readFileSync("build/node/server/index.js", "utf8");
    expect(entry).toMatch(/from "@prisma\/adapter-pg"/);
    expect(entry).toMatch(/from "@electric-sql\/pglite"/);
    expect(entry).not.toContain("tsx");
  });

  it("loads Prisma's query compiler from the binary beside it, not from a base64 module kept in the heap", async () => {
    const entry = fs.readFileSync("build/node/server/index.js", "utf8");
    expect(entry).not.toContain("wasm-base64");
    expect(entry).toContain('new URL("./query_compiler.wasm", import.meta.url)');
    const binary = fs.readFileSync("build/node/server/query_compiler.wasm");
    expect(WebAssembly.validate(binary)).toBe(true);
    // The very compiler the generated client would have decoded (a stale file from another Prisma would differ).
    const { wasm } = (await import(
      // @ts-expect-error: Prisma publishes this module without type declarations
      "@prisma/client/runtime/query_compiler_fast_bg.postgresql.wasm-base64.mjs"
    )) as { wasm: string };
    expect(binary.equals(Buffer.from(wasm, "base64"))).toBe(true);
  });

  it("npm start on a seeded embedded database serves its first 200 without rebuilding a current build", async () => {
    const port = await freePort();
    // First start: creates, migrates and seeds the database (slow on purpose, not what is timed).
    const first = start(["build/node/server/index.js"], port);
    try {
      await firstOk(`http://127.0.0.1:${port}/healthz`, 150_000);
    } finally {
      expect(await stop(first)).toBe(0);
    }
    const times: number[] = [];
    for (let i = 0; i < 2; i++) {
      const spawnedAt = Date.now();
      const cold = start(["scripts/start.mjs"], port);
      try {
        times.push(await firstOk(`http://127.0.0.1:${port}/`, 30_000, spawnedAt));
        expect(cold.output()).not.toContain("building");
      } finally {
        expect(await stop(cold)).toBe(0);
      }
    }
    const loadPerCore = os.loadavg()[0]! / os.availableParallelism();
    const bound = Math.min(20_000, COLD_START_TARGET_MS * Math.max(1, loadPerCore));
    const best = Math.min(...times);
    console.log(
      `cold start, spawn to the first 200 of /: ${times.join(" ms, ")} ms (best ${best} ms; target ` +
        `${COLD_START_TARGET_MS} ms; load ${loadPerCore.toFixed(1)} per core, so asserted ≤ ${Math.round(bound)} ms)`,
    );
    expect(best).toBeLessThanOrEqual(bound);
  }, 240_000);
});
