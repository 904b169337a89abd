// The order a start takes things in: the port first, then the database. A start whose port is taken must fail
// before it opens (creates, migrates, seeds) the embedded database; requests that reach a server still starting
// wait until it is ready; a start that fails half-way gives the port and the database back.
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pino from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../core/platform/env/index.ts";
import { createTestDatabase } from "../core/platform/testing/db.ts";
import { boot, type Running } from "../server/boot.ts";
import { firstOk, freePort, startProduction, stopProduction } from "./helpers/production.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-startorder-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

/** boot() on a fresh test database and a free port (or `port`), with `beforeListen` paused until the test ends it. */
async function pausedStart(opts: { pause: boolean; port?: number }) {
  const port = opts.port ?? (await freePort());
  const logs: string[] = [];
  const database = await createTestDatabase();
  let reached = () => {};
  const inStart = new Promise<void>((resolve) => (reached = resolve));
  let finish: (error?: Error) => void = () => {};
  const booting: Promise<Running> = boot({
    config: parseConfig({ DATA_DIR: dataDir, SEED_DEMO_DATA: "never", APP_URL: "http://localhost:3999" }),
    logger: pino({ level: "debug" }, { write: (line: string) => void logs.push(line) }),
    build: import(pathToFileURL(path.resolve("build/server/index.js")).href) as Promise<ServerBuild>,
    port,
    host: "127.0.0.1",
    database: database.db,
    beforeListen: opts.pause
      ? () => {
          reached();
          return new Promise<void>((resolve, reject) => (finish = (error) => (error ? reject(error) : resolve())));
        }
      : undefined,
  });
  booting.catch(() => undefined); // awaited by the test
  if (opts.pause) await inStart;
  /** Resolves once the server has taken a request and holds it (on a busy machine that can take a while). */
  const held = async () => {
    while (!logs.some((line) => line.includes("request held until the start completes")))
      await new Promise((r) => setTimeout(r, 10));
  };
  return { port, database, booting, held, finish: (error?: Error) => finish(error) };
}

describe("starting the server", { timeout: 180_000 }, () => {
  it("on a taken port stops with a clear message before it touches the embedded database", async () => {
    const port = await freePort();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(port, "127.0.0.1", resolve));
    try {
      const refused = startProduction(["build/node/server/index.js"], { port, dataDir });
      expect(await refused.exited).toBe(75);
      expect(refused.output()).toContain(
        `Mind Namo cannot start. Port ${port} on 127.0.0.1 is already in use: stop what is using it, or set PORT`,
      );
      expect(refused.output()).not.toMatch(/\n\s+at /); // no stack trace
      expect(fs.existsSync(path.join(dataDir, "pglite"))).toBe(false);
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }

    // The same folder then starts normally on that port.
    const started = startProduction(["build/node/server/index.js"], { port, dataDir });
    try {
      await firstOk(`http://127.0.0.1:${port}/healthz`, 150_000);
    } finally {
      expect(await stopProduction(started)).toBe(0);
    }
  });

  it("killed while it seeds a new embedded database, it starts whole the next time", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-seedkill-"));
    const port = await freePort();
    try {
      const first = startProduction(["build/node/server/index.js"], { port, dataDir: dir, env: { LOG_LEVEL: "info" } });
      const until = Date.now() + 120_000;
      while (!first.output().includes('"migrations applied"') && Date.now() < until)
        await new Promise((r) => setTimeout(r, 5));
      first.child.kill("SIGKILL");
      await first.exited;
      expect(first.output()).not.toContain("Seeded the demo story"); // killed during the seed
      expect(fs.existsSync(path.join(dir, "pglite", "mindnamo.ready"))).toBe(false);

      const second = startProduction(["build/node/server/index.js"], { port, dataDir: dir });
      try {
        await firstOk(`http://127.0.0.1:${port}/healthz`, 150_000);
        const signIn = await fetch(`http://127.0.0.1:${port}/login`, {
          method: "POST",
          redirect: "manual",
          headers: { "content-type": "application/x-www-form-urlencoded", origin: `http://localhost:${port}` },
          body: new URLSearchParams({ email: "demo@mindnamo.test", password: "calm-harbour-morning-42" }),
        });
        expect(signIn.status).toBe(302); // the demo person exists: the seed ran whole
        expect(signIn.headers.get("location")).not.toContain("/login");
      } finally {
        expect(await stopProduction(second)).toBe(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("holds a request that arrives while it starts, and answers it once ready", async () => {
    const start = await pausedStart({ pause: true });
    let answered = false;
    const early = fetch(`http://127.0.0.1:${start.port}/healthz`).then((res) => {
      answered = true;
      return res.status;
    });
    await start.held();
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false); // accepted, not answered: the start has not finished
    start.finish();
    expect(await early).toBe(200);
    await (await start.booting).shutdown();
    await start.database.cleanup();
  });

  it("gives the port back when the start fails half-way, and answers held requests 503", async () => {
    const failing = await pausedStart({ pause: true });
    const held = fetch(`http://127.0.0.1:${failing.port}/healthz`);
    await failing.held();
    failing.finish(new Error("fixture failed"));
    await expect(failing.booting).rejects.toThrow("fixture failed");
    const res = await held;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    await failing.database.cleanup();

    // The port is free again: a start on it succeeds.
    const again = await pausedStart({ pause: false, port: failing.port });
    const running = await again.booting;
    expect((await fetch(`http://127.0.0.1:${failing.port}/healthz`)).status).toBe(200);
    await running.shutdown();
    await again.database.cleanup();
  });
});
