// Starts the real HTTP server (the production Remix build, the real edges) on a free port, against a fresh test
// database. `npm test` builds the app first.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pino from "pino";
import { parseConfig, type Config } from "../../core/platform/env/index.ts";
import { createTestDatabase, type TestDatabase } from "../../core/platform/testing/db.ts";
import { seedEmptyDatabase } from "../../prisma/seed.ts";
import { boot, type Running } from "../../server/boot.ts";

export interface TestServer {
  url: string;
  running: Running;
  config: Config;
  database: TestDatabase;
  logs: Record<string, unknown>[];
  stop(): Promise<void>;
}

let buildPromise: Promise<ServerBuild> | undefined;
function loadBuild(): Promise<ServerBuild> {
  const file = path.resolve("build/server/index.js");
  if (!fs.existsSync(file))
    throw new Error("No Remix build: run `npx remix build` (npm test does it) before these tests.");
  buildPromise ??= import(pathToFileURL(file).href) as Promise<ServerBuild>;
  return buildPromise;
}

export async function startTestServer(
  env: Record<string, string> = {},
  opts: { seed?: boolean } = {},
): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-http-"));
  const config = parseConfig({
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: opts.seed ? "auto" : "never",
    LOG_LEVEL: "info",
    APP_URL: "http://localhost:3999",
    ...env,
  });
  const logs: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "info", base: undefined },
    { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) },
  );
  const database = await createTestDatabase();
  const running = await boot({
    config,
    logger,
    build: await loadBuild(),
    port: 0,
    host: "127.0.0.1",
    database: database.db,
    seed: seedEmptyDatabase,
  });
  return {
    url: running.url.replace("localhost", "127.0.0.1"),
    running,
    config,
    database,
    logs,
    stop: async () => {
      await running.shutdown();
      await database.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The settings of the production server the HTTP tests run next to the development one. */
export const PRODUCTION_ENV = {
  NODE_ENV: "production",
  APP_URL: "https://mindnamo.example",
  SESSION_SECRET: "s".repeat(40),
  MAIL_TRANSPORT: "outbox",
} as const;

/**
 * Two servers started together: `dev`, development behind one trusted proxy (X-Forwarded-For gives each test its
 * own client IP), and `prod`, production settings (secure cookie names, HSTS, no development routes).
 */
export async function startDevAndProdServers(): Promise<{
  dev: TestServer;
  prod: TestServer;
  stop: () => Promise<void>;
}> {
  const [dev, prod] = await Promise.all([startTestServer({ TRUST_PROXY: "1" }), startTestServer(PRODUCTION_ENV)]);
  return { dev, prod, stop: async () => void (await Promise.all([dev.stop(), prod.stop()])) };
}
