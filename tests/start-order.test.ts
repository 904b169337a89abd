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
import { boot } from "../server/boot.ts";
import { firstOk, startProduction, stopProduction } from "./helpers/production.ts";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-startorder-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const quiet = pino({ level: "silent" });
const config = () =>
  parseConfig({ DATA_DIR: dataDir, SEED_DEMO_DATA: "never", LOG_LEVEL: "warn", APP_URL: "http://localhost:3999" });
const build = () => import(pathToFileURL(path.resolve("build/server/index.js")).href) as Promise<ServerBuild>;

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

  it("holds a request that arrives while it starts, and answers it once ready", async () => {
    const port = await freePort();
    const database = await createTestDatabase();
    let release!: () => void;
    let reached!: () => void;
    const inStart = new Promise<void>((resolve) => (reached = resolve));
    const booting = boot({
      config: config(),
      logger: quiet,
      build: build(),
      port,
      host: "127.0.0.1",
      database: database.db,
      beforeListen: async () => {
        reached();
        await new Promise<void>((resolve) => (release = resolve));
      },
    });
    await inStart;
    let answered = false;
    const early = fetch(`http://127.0.0.1:${port}/healthz`).then((res) => {
      answered = true;
      return res.status;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(answered).toBe(false); // accepted, not answered: the start has not finished
    release();
    expect(await early).toBe(200);
    const running = await booting;
    await running.shutdown();
    await database.cleanup();
  });

  it("gives the port back when the start fails half-way, and answers held requests 503", async () => {
    const port = await freePort();
    const database = await createTestDatabase();
    let reached!: () => void;
    const inStart = new Promise<void>((resolve) => (reached = resolve));
    let fail!: () => void;
    const failing = boot({
      config: config(),
      logger: quiet,
      build: build(),
      port,
      host: "127.0.0.1",
      database: database.db,
      beforeListen: async () => {
        reached();
        await new Promise<void>((_, reject) => (fail = () => reject(new Error("fixture failed"))));
      },
    });
    failing.catch(() => undefined);
    await inStart;
    const held = fetch(`http://127.0.0.1:${port}/healthz`);
    await new Promise((r) => setTimeout(r, 200));
    fail();
    await expect(failing).rejects.toThrow("fixture failed");
    const res = await held;
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    await database.cleanup();

    // The port is free again: a second start takes it.
    const again = await createTestDatabase();
    const running = await boot({
      config: config(),
      logger: quiet,
      build: build(),
      port,
      host: "127.0.0.1",
      database: again.db,
    });
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
    await running.shutdown();
    await again.cleanup();
  });
});
