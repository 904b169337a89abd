// Starting and stopping the whole process: take the port, open the database (refusing a PGlite directory another
// process holds), apply migrations, seed an empty database with the seed the entry point passes, build the
// services, wire the job registry (server/jobs.ts) and start serving. A start that fails closes what it opened.
import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import type { Logger } from "pino";
import { ADVISORY_LOCKS } from "../core/platform/db/advisory-locks.ts";
import { openDatabase, type Database, type PrismaClient } from "../core/platform/db/client.ts";
import type { Config } from "../core/platform/env/index.ts";
import { BOOKING_PAGES_CHANNEL, createBookingPageCache } from "../core/catalog/booking-page.ts";
import { PUBLIC_PAGES_CHANNEL } from "../core/catalog/public-pages.ts";
import { createMailer } from "../core/platform/mail/index.ts";
import { MailQueue, type DurableMail } from "../core/platform/mail/queue.ts";
import { sealMail } from "../core/platform/mail/sealed.ts";
import { jobQueueWhenReady, startJobQueue } from "../core/platform/jobs/queue.ts";
import { announcePolicyVersion } from "../core/privacy/policy-notice.ts";
import { createRateLimiter } from "../core/platform/rate-limit.ts";
import { allowListFor, guardOutbound } from "../core/platform/outbound.ts";
import { createHttpApp } from "./app.ts";
import type { Services } from "../core/platform/services.ts";
import { wireJobs } from "./jobs.ts";
import { deriveKey, serverSecret } from "./secrets.ts";

/**
 * Fills an empty database with starting data (the demo data, prisma/seed.ts `seedEmptyDatabase`). The entry point
 * passes it in, so the server itself holds no data and production code never imports the demo seed's accounts.
 */
export type DatabaseSeed = (db: PrismaClient, log: (msg: string) => void) => Promise<void>;

/**
 * A send attempt of account mail that has not finished after this long is given up and the job retried; it is also
 * how soon (plus pg-boss's 10 s maintenance and a poll) the mail a crashed instance was sending goes out from
 * another. Resend answers in about a second; a longer wait is a stuck connection. Delivery is at least once.
 */
export const MAIL_JOB_EXPIRE_SECONDS = 15;

export interface Running {
  services: Services;
  server: http.Server;
  url: string;
  shutdown(): Promise<void>;
}

/** The address the server was told to listen on is taken (or not ours to take): nothing else was started. */
export class PortUnavailableError extends Error {
  constructor(
    public readonly host: string,
    public readonly port: number,
    code: string,
  ) {
    super(
      code === "EADDRINUSE"
        ? `Port ${port} on ${host} is already in use: stop what is using it, or set PORT to another port.`
        : `Port ${port} on ${host} cannot be used (${code}): set PORT or HOST to an address this process may take.`,
    );
    this.name = "PortUnavailableError";
  }
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const refused = (error: NodeJS.ErrnoException) => {
      const code = error.code ?? "";
      reject(
        ["EADDRINUSE", "EACCES", "EADDRNOTAVAIL"].includes(code) ? new PortUnavailableError(host, port, code) : error,
      );
    };
    server.once("error", refused);
    server.listen(port, host, () => {
      server.off("error", refused);
      resolve();
    });
  });
}

export async function boot(opts: {
  config: Config;
  logger: Logger;
  /** The Remix build; a promise lets the caller load it while the database opens. */
  build: ServerBuild | Promise<ServerBuild> | (() => Promise<ServerBuild>);
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
  // Before anything connects: only the database and the configured processors may be reached (ADR 0016).
  const outbound = guardOutbound(
    allowListFor({
      ...config,
      databaseUrl: opts.database
        ? opts.database.url
        : config.database.kind === "server"
          ? config.database.url
          : undefined,
    }),
    (refused) => logger.warn({ msg: "outbound connection refused", host: refused.host, port: refused.port }),
  );
  // The port is taken before the database is opened: a start that cannot listen fails at once, before it migrates,
  // seeds or starts jobs in a database it would then leave half-way. Requests that arrive while the rest starts wait
  // for it, so none is served before `beforeListen` has run.
  let handle: http.RequestListener | undefined;
  const held: Array<http.ServerResponse> = [];
  const server = http.createServer((req, res) => {
    if (handle) return handle(req, res);
    held.push(res);
    logger.debug({ msg: "request held until the start completes", held: held.length });
  });
  server.keepAliveTimeout = 5_000;
  try {
    await listen(server, opts.port ?? config.PORT, opts.host ?? config.HOST);
  } catch (error) {
    outbound.release();
    throw error;
  }
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : config.PORT;
  // The server may reach itself (and a test in the same process may reach it) on its own port.
  const listening = opts.host ?? config.HOST;
  outbound.allow({
    host: listening === "0.0.0.0" || listening === "::" ? "localhost" : listening,
    port,
    why: "this server",
  });
  // A failed start stops taking requests first, then closes whatever it opened, newest first, so the process can
  // exit (or retry) cleanly.
  const undo: Array<() => unknown> = [() => outbound.release()];
  const failed = async (error: unknown): Promise<never> => {
    for (const res of held.splice(0)) res.writeHead(503, { "Retry-After": "5", Connection: "close" }).end();
    server.close();
    server.closeAllConnections();
    for (const step of undo.reverse()) await Promise.resolve(step()).catch(() => undefined);
    throw error;
  };

  const prepare = async (db: Database) => {
    const { applied } = await db.migrate((msg) => logger.info({ msg }));
    if (applied.length > 0) logger.info({ msg: "migrations applied", applied });
    if (config.SEED_DEMO_DATA !== "auto" || !opts.seed) return;
    const seed = opts.seed;
    // Instances started together on one empty server database would each find it empty and seed it, colliding
    // half-way: one seeds, whoever waited finds it seeded and leaves it alone.
    await db.exclusive(ADVISORY_LOCKS.seed, () => seed(db.prisma, (msg) => logger.info({ msg })));
  };
  let db: Database;
  try {
    // A new embedded database is migrated and seeded before it counts as created: a first start cut short leaves
    // no half-seeded demo behind (core/platform/db/embedded-dir.ts). Every start then checks both again.
    db = opts.database ?? (await openDatabase(config.database, { prepareNew: prepare }));
  } catch (error) {
    return failed(error);
  }
  undo.push(() => db.close());
  try {
    await prepare(db);
  } catch (error) {
    return failed(error);
  }

  const mailer = createMailer(config);
  const secret = serverSecret(config);
  const unsubscribeKey = deriveKey(secret, "unsubscribe");
  const rateLimitKey = deriveKey(secret, "rate-limit");
  const codePepper = deriveKey(secret, "email-codes");
  const mailJobKey = deriveKey(secret, "mail-jobs");
  // The job queue starts while the HTTP server comes up: no page needs it, and on the embedded database its start
  // (schema check, queues, schedules) is a good part of a cold start. boot() returns once both are ready; until
  // then whatever is handed to `jobs` waits for it.
  // One instance at a time: pg-boss creates its schema under a lock of its own, but a second instance that waited
  // on it goes on in the same transaction with a catalogue cache from before the wait, tries to create the schema
  // again and fails. Taking turns, the second starts after the first committed, and finds it all in place.
  const jobsStarted = db.exclusive(ADVISORY_LOCKS.jobQueue, () =>
    startJobQueue(db, {
      schedule: true,
      onError: (error) =>
        logger.error({ msg: "job queue error", err: error instanceof Error ? error.message : String(error) }),
    }),
  );
  const jobs = jobQueueWhenReady(jobsStarted);
  // A queue that started but whose workers did not is stopped too.
  undo.push(() => jobs.stop());
  // Account mail on the PostgreSQL server: a sealed job per message (core/platform/mail/sealed.ts), sent by
  // whichever instance fetches it (workers below), retried on failure, handed to another instance if this one dies
  // mid-send. On embedded PGlite (one process) the MailQueue sends from this process, as it always has
  // (docs/scaling.md).
  const durableMail: DurableMail | undefined =
    db.kind !== "server"
      ? undefined
      : {
          async enqueue(message) {
            const id = await jobs.send("mail.account", sealMail(mailJobKey, codePepper, message), {
              expireInSeconds: MAIL_JOB_EXPIRE_SECONDS,
            });
            if (!id) throw new Error("the job queue did not take the message");
            jobs.wake("mail.account");
            return id;
          },
          async settled(ids) {
            const until = Date.now() + 60_000;
            while ((await jobs.unfinished("mail.account", ids)) > 0) {
              if (Date.now() > until) throw new Error(`mail jobs not finished after 60 s: ${ids.join(", ")}`);
              await new Promise((r) => setTimeout(r, 20));
            }
          },
        };
  const services: Services = {
    config,
    db,
    logger,
    mailer,
    mailQueue: new MailQueue(
      mailer,
      (error, message) =>
        logger.error({
          msg: "mail not sent",
          template: message.template,
          err: error instanceof Error ? error.message : String(error),
        }),
      durableMail,
    ),
    rateLimiter: createRateLimiter(db.prisma, {}, rateLimitKey),
    bookingPages: createBookingPageCache(),
    jobs,
    secrets: { codePepper, unsubscribeKey, rateLimitKey, mailJobKey },
  };
  // The handlers close over the services (the erasure's mail queue and keys): wired once they exist, and once the
  // queue has started (awaited after listen).
  const jobsReady = (async () => {
    await jobsStarted;
    await wireJobs(jobs, services);
    if (await announcePolicyVersion(db.prisma, jobs)) logger.info({ msg: "policy version announced" });
  })();
  jobsReady.catch(() => undefined);
  let stopListening = async () => {};
  try {
    await opts.beforeListen?.(services);
    const app = createHttpApp({ services, build: opts.build instanceof Promise ? await opts.build : opts.build });
    // A trigger says a row the public pages show changed, whoever wrote it: drop the cached ones (docs/scaling.md).
    const stopPages = await db.listen(PUBLIC_PAGES_CHANNEL, () => app.clearPageCache());
    // A trigger in the database names the expert whose booking page changed, whoever changed it (ADR 0019).
    const stopBookingPages = await db.listen(BOOKING_PAGES_CHANNEL, (expertId) =>
      services.bookingPages.invalidate(expertId),
    );
    stopListening = async () => {
      await stopPages();
      await stopBookingPages();
    };
    undo.push(stopListening);
    handle = (req, res) => {
      if (!app.fastPath(req, res)) app(req, res);
    };
    for (const res of held.splice(0)) handle(res.req, res);
    // No queue, no product: reminders, mail and erasures depend on it. Stop as a failed start always did.
    await jobsReady;
  } catch (error) {
    return failed(error);
  }
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
      // Mail is queued (durable) or sent (embedded) before the job queue and the database close.
      await services.mailQueue.flush();
      await jobs.stop();
      await db.close();
      outbound.release();
    })();
    return closing;
  };
  return { services, server, url: `http://localhost:${port}`, shutdown };
}
