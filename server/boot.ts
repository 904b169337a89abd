// Starting and stopping the whole process: open the database (refusing a PGlite directory another process
// holds), apply migrations, seed an empty database with the seed the entry point passes, build the services,
// wire the job registry (server/jobs.ts) and start the HTTP server.
import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import type { Logger } from "pino";
import { openDatabase, type Database, type PrismaClient } from "../core/platform/db/client.ts";
import type { Config } from "../core/platform/env/index.ts";
import { createMailer } from "../core/platform/mail/index.ts";
import { MailQueue } from "../core/platform/mail/queue.ts";
import { startJobQueue } from "../core/platform/jobs/queue.ts";
import { announcePolicyVersion } from "../core/privacy/policy-notice.ts";
import { createRateLimiter } from "../core/platform/rate-limit.ts";
import { createHttpApp, PUBLIC_PAGES_CHANNEL } from "./app.ts";
import type { Services } from "../core/platform/services.ts";
import { wireJobs } from "./jobs.ts";
import { deriveKey, serverSecret } from "./secrets.ts";

/**
 * Fills an empty database with starting data (the demo data, prisma/seed.ts `seedEmptyDatabase`). The entry point
 * passes it in, so the server itself holds no data and production code never imports the demo seed's accounts.
 */
export type DatabaseSeed = (db: PrismaClient, log: (msg: string) => void) => Promise<void>;

export interface Running {
  services: Services;
  server: http.Server;
  url: string;
  shutdown(): Promise<void>;
}

export async function boot(opts: {
  config: Config;
  logger: Logger;
  build: ServerBuild | (() => Promise<ServerBuild>);
  port?: number;
  host?: string;
  /** An already open database (tests); by default the one the configuration names. */
  database?: Database;
  /** Run after the migrations when SEED_DEMO_DATA is `auto`; it decides itself whether the database is empty. */
  seed?: DatabaseSeed;
  /** Runs once everything is up, before the server accepts requests (the e2e server adds its fixtures here). */
  beforeListen?: (services: Services) => Promise<void>;
}): Promise<Running> {
  const { config, logger } = opts;
  const db = opts.database ?? (await openDatabase(config.database));
  try {
    const { applied } = await db.migrate((msg) => logger.info({ msg }));
    if (applied.length > 0) logger.info({ msg: "migrations applied", applied });
    if (config.SEED_DEMO_DATA === "auto" && opts.seed) await opts.seed(db.prisma, (msg) => logger.info({ msg }));
  } catch (error) {
    await db.close();
    throw error;
  }

  const mailer = createMailer(config);
  const secret = serverSecret(config);
  const unsubscribeKey = deriveKey(secret, "unsubscribe");
  const rateLimitKey = deriveKey(secret, "rate-limit");
  const codePepper = deriveKey(secret, "email-codes");
  let jobs;
  try {
    jobs = await startJobQueue(db, {
      schedule: true,
      onError: (error) =>
        logger.error({ msg: "job queue error", err: error instanceof Error ? error.message : String(error) }),
    });
  } catch (error) {
    await db.close();
    throw error;
  }
  const services: Services = {
    config,
    db,
    logger,
    mailer,
    mailQueue: new MailQueue(mailer, (error, message) =>
      logger.error({
        msg: "mail not sent",
        template: message.template,
        err: error instanceof Error ? error.message : String(error),
      }),
    ),
    rateLimiter: createRateLimiter(db.prisma, {}, rateLimitKey),
    jobs,
    secrets: { codePepper, unsubscribeKey, rateLimitKey },
  };
  // The handlers close over the services (the erasure's mail queue and keys): wired once they exist.
  await wireJobs(jobs, services);
  if (await announcePolicyVersion(db.prisma, jobs)) logger.info({ msg: "policy version announced" });
  await opts.beforeListen?.(services);
  const app = createHttpApp({ services, build: opts.build });
  // Another instance changed public content: drop this one's cached public pages too (docs/scaling.md).
  const stopListening = await db.listen(PUBLIC_PAGES_CHANNEL, () => app.clearPageCache());
  const server = http.createServer((req, res) => {
    if (!app.fastPath(req, res)) app(req, res);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? config.PORT, opts.host ?? config.HOST, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;

  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      // Stop accepting, let in-flight requests finish (up to 10 s), then close the database.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => {
          server.closeAllConnections();
          resolve();
        }, 10_000);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
      await stopListening();
      await services.mailQueue.drain();
      await jobs.stop();
      await db.close();
    })();
    return closing;
  };
  return { services, server, url: `http://localhost:${port}`, shutdown };
}
