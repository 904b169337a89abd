// Two instances of the server on one PostgreSQL database behave as one product: a session made through one is
// good on the other, and clearing the public page cache on one clears it on the other (LISTEN/NOTIFY), within a
// second. Needs the PostgreSQL server (CI sets TEST_DATABASE_URL); the embedded database is one process only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../core/platform/db/client.ts";
import { parseConfig } from "../core/platform/env/index.ts";
import { createTestDatabase, serverTestUrl, type TestDatabase } from "../core/platform/testing/db.ts";
import { seedEmptyDatabase } from "../prisma/seed.ts";
import { boot, type Running } from "../server/boot.ts";

const onServer = Boolean(serverTestUrl());
let database: TestDatabase;
let secondDb: Database;
const instances: Running[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-two-"));

beforeAll(async () => {
  if (!onServer) return;
  database = await createTestDatabase();
  secondDb = await openDatabase({ kind: "server", url: database.url! });
  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  const config = parseConfig({
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: "auto",
    LOG_LEVEL: "warn",
    APP_URL: "http://localhost:3999",
  });
  const logger = pino({ level: "silent" });
  for (const db of [database.db, secondDb])
    instances.push(
      await boot({ config, logger, build, port: 0, host: "127.0.0.1", database: db, seed: seedEmptyDatabase }),
    );
}, 180_000);

afterAll(async () => {
  for (const i of instances) await i.shutdown();
  await database?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const url = (i: number, p: string) => `${instances[i]!.url.replace("localhost", "127.0.0.1")}${p}`;

describe.skipIf(!onServer)("two instances on one PostgreSQL database", () => {
  it("sign in through one, continue on the other", async () => {
    const res = await fetch(url(0, "/login"), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url(0, "/")).origin },
      body: new URLSearchParams({ email: "demo@mindnamo.test", password: "calm-harbour-morning-42", next: "/account" }),
    });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const other = await fetch(url(1, "/account"), { headers: { cookie }, redirect: "manual" });
    expect(other.status).toBe(200);
    // React separates text pieces with <!-- --> in server HTML.
    expect((await other.text()).replaceAll("<!-- -->", "")).toContain("Account of </span>Dana");
    // Without the cookie the other instance sends the visitor to sign in.
    expect((await fetch(url(1, "/account"), { redirect: "manual" })).status).toBe(302);
  });

  it("public content changed through one is gone from the other's page cache within a second", async () => {
    await fetch(url(1, "/experts/amara-okafor")).then((r) => r.text());
    expect((await fetch(url(1, "/experts/amara-okafor"))).headers.get("x-cache")).toBe("HIT");
    // What a review hidden through instance 0 does (core/feedback calls onPublicChange → publicPages.invalidate).
    instances[0]!.services.publicPages!.invalidate();
    const started = Date.now();
    let cache: string | null = "HIT";
    while (Date.now() - started < 1_000) {
      await new Promise((r) => setTimeout(r, 50));
      const res = await fetch(url(1, "/experts/amara-okafor"));
      await res.text();
      cache = res.headers.get("x-cache");
      if (cache === "MISS") break;
    }
    expect(cache).toBe("MISS");
  });
});
