// Starting the product as a process: configuration, logger, the production Remix build, boot, and a clean stop on
// SIGTERM/SIGINT. `server.ts` (npm start, Docker) and the e2e server (e2e/server.ts) both start through here.
import path from "node:path";
import { pathToFileURL } from "node:url";
import v8 from "node:v8";
import type { ServerBuild } from "@remix-run/node";
import { EmbeddedOpenError } from "../core/platform/db/client.ts";
import { DataDirLockedError } from "../core/platform/db/lock.ts";
import { ConfigError, config } from "../core/platform/env/index.ts";
import { boot, PortUnavailableError, type DatabaseSeed, type Running } from "./boot.ts";
import type { Services } from "../core/platform/services.ts";
import { createLogger } from "./logging.ts";
import { runtimeV8Flags } from "../scripts/production-runtime.mjs";

export async function startServer(
  opts: { seed?: DatabaseSeed; beforeListen?: (services: Services) => Promise<void> } = {},
): Promise<Running> {
  let cfg;
  try {
    cfg = config();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`Mind Namo cannot start. ${error.message}`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  // Before the Remix build or Prisma loads anything: these flags apply to what V8 compiles from here on.
  for (const flag of runtimeV8Flags({ databaseServer: cfg.database.kind === "server" })) v8.setFlagsFromString(flag);
  const logger = createLogger(cfg.LOG_LEVEL);
  const buildPath = pathToFileURL(path.resolve("build/server/index.js")).href;
  // Loaded while the database opens and migrations are checked (docs/performance.md, cold start); boot awaits it.
  const build = import(buildPath) as Promise<ServerBuild>;
  build.catch(() => undefined); // a failure surfaces where boot awaits it

  // Signals are taken from the start: the server answers (/healthz, pages) while its job queue is still starting,
  // so a SIGTERM then must wait for the start to finish and shut down cleanly, not kill the process mid-start.
  let running: Running | undefined;
  let requested: string | undefined;
  const stop = (signal: string) => {
    if (!running) {
      requested = signal;
      return;
    }
    logger.info({ msg: "shutting down", signal });
    running
      .shutdown()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ msg: "shutdown failed", err: String(error) });
        process.exit(1);
      });
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));

  try {
    running = await boot({ config: cfg, logger, build, seed: opts.seed, beforeListen: opts.beforeListen });
  } catch (error) {
    if (error instanceof DataDirLockedError || error instanceof PortUnavailableError) {
      console.error(`Mind Namo cannot start. ${error.message}`);
      process.exit(75); // EX_TEMPFAIL
    }
    if (error instanceof EmbeddedOpenError) {
      console.error(`Mind Namo cannot start. ${error.message}`);
      process.exit(74); // EX_IOERR
    }
    throw error;
  }
  const where = cfg.database.kind === "server" ? "PostgreSQL server" : `embedded PGlite in ${cfg.database.dir}`;
  console.log(`Mind Namo is running at ${running.url} (database: ${where}; mail: ${cfg.mailTransport}).`);
  if (cfg.mailTransport === "outbox" && !cfg.isProduction) console.log(`Outbox: ${running.url}/dev/outbox`);
  if (requested) stop(requested);
  return running;
}
