// Production's process settings (scripts/production-runtime.mjs) are the same wherever the server is started for
// real: the Docker image, `npm start`, `npm run serve`. The bench and the production tests import them.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createServerDatabase, serverTestUrl } from "../core/platform/testing/db.ts";
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS, runtimeV8Flags } from "../scripts/production-runtime.mjs";
import { firstOk, startProduction, stopProduction } from "./helpers/production.ts";

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
const dockerfile = fs.readFileSync("Dockerfile", "utf8");
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

describe("production process settings", () => {
  it("cap the old generation and the malloc arenas", () => {
    expect(PRODUCTION_NODE_FLAGS.some((f) => /^--max-old-space-size=\d+$/.test(f))).toBe(true);
    expect(PRODUCTION_NODE_FLAGS.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
    expect(Number(PRODUCTION_ENV.MALLOC_ARENA_MAX)).toBeGreaterThan(0);
  });

  it.each(["start", "serve"])(
    "`npm %s` runs node with the flags (and no shell syntax, so it runs anywhere)",
    (name) => {
      const script = pkg.scripts[name] ?? "";
      const args = script.split(/\s+/);
      expect(args[0]).toBe("node");
      expect(args.slice(1, 1 + PRODUCTION_NODE_FLAGS.length)).toEqual(PRODUCTION_NODE_FLAGS);
    },
  );

  it("the Docker image runs node with them", () => {
    for (const [key, value] of Object.entries(PRODUCTION_ENV))
      expect(runtimeStage).toMatch(new RegExp(`^ENV ${key}=${value}$`, "m"));
    const cmd = /^CMD (\[.*\])$/m.exec(runtimeStage)?.[1];
    expect(JSON.parse(cmd ?? "[]")).toEqual(["node", ...PRODUCTION_NODE_FLAGS, "build/node/server/index.js"]);
  });
});

describe("WebAssembly compilation", () => {
  it("is baseline-only on a PostgreSQL server, where Prisma's compiler is the only module, and not on PGlite", () => {
    expect(runtimeV8Flags({ databaseServer: true })).toEqual(["--liftoff-only"]);
    // PostgreSQL itself runs as WebAssembly in PGlite: its hot loops keep V8's optimising compiler.
    expect(runtimeV8Flags({ databaseServer: false })).toEqual([]);
  });

  // What the flag is for, on the real build and the real binary: V8's optimising compiler mallocs 50–90 MB of
  // compiler memory for Prisma's query compiler as its functions get hot (a migrated, seeded start is enough), which
  // glibc keeps resident. With Liftoff alone the process's peak malloc stays near 20 MB (Node 20 and 22 alike).
  it.skipIf(!serverTestUrl())(
    "the compiled server on a PostgreSQL server never mallocs the optimising compiler's memory",
    async () => {
      const database = await createServerDatabase(serverTestUrl()!);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-wasm-"));
      // Loaded before the server: on SIGUSR2 it prints V8's own count of the most it ever malloced.
      const probe = path.join(dir, "probe.cjs");
      fs.writeFileSync(
        probe,
        `process.on("SIGUSR2", () => process.stderr.write("PEAK_MALLOC " + ` +
          `require("node:v8").getHeapStatistics().peak_malloced_memory + "\\n"));`,
      );
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const server = startProduction(["build/node/server/index.js"], {
        port,
        dataDir: dir,
        databaseUrl: database.url,
        env: { NODE_OPTIONS: `--require ${probe}` },
      });
      try {
        const base = `http://127.0.0.1:${port}`;
        await firstOk(`${base}/healthz`, 120_000);
        // A few pages that plan different queries, a few times each, so hot functions would have tiered up.
        for (let i = 0; i < 20; i++)
          for (const p of ["/", "/experts", "/experts?category=anxiety", "/experts/amara-okafor", "/book/amara-okafor"])
            expect((await fetch(`${base}${p}`, { redirect: "manual" })).status).toBeLessThan(500);
        server.child.kill("SIGUSR2");
        const until = Date.now() + 10_000;
        while (!/PEAK_MALLOC \d+/.test(server.output()) && Date.now() < until)
          await new Promise((r) => setTimeout(r, 50));
        const peakMb = Number(/PEAK_MALLOC (\d+)/.exec(server.output())?.[1]) / 1_048_576;
        console.log(`peak malloc of the server on PostgreSQL: ${peakMb.toFixed(1)} MB`);
        expect(peakMb).toBeGreaterThan(0);
        expect(peakMb).toBeLessThan(40);
      } finally {
        await stopProduction(server);
        await database.drop();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
