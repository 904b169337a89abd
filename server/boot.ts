// Starting and stopping the whole process: open the database (refusing a PGlite directory another process
// holds), apply migrations, seed an empty database with demo data, build the services and the HTTP server.
import http from "node:http";
import type { ServerBuild } from "@remix-run/node";
import type { Logger } from "pino";
import { openDatabase, type Database } from "../core/platform/db/client.ts";
import type { Config } from "../core/platform/env/index.ts";
import { createMailer } from "../core/platform/mail/index.ts";
import { MailQueue } from "../core/platform/mail/queue.ts";
import { startJobQueue, type QueueName } from "../core/platform/jobs/queue.ts";
import { settleEndedBookings } from "../core/rooms/service.ts";
import { purgeUsage } from "../core/analytics/usage.ts";
import type { MailMessage } from "../core/platform/mail/index.ts";
import {
  runBookingNotice,
  runReminder,
  type BookingNoticeJob,
  type ReminderJob,
} from "../core/notifications/bookings.ts";
import {
  deliverNewsletter,
  fanOutNewsletter,
  type NewsletterDeliveryJob,
  type NewsletterFanOutJob,
} from "../core/privacy/newsletter.ts";
import { purgeExpiredData } from "../core/privacy/retention.ts";
import { erasureKeysFrom, runDueErasures, runErasure } from "../core/privacy/erase.ts";
import { createRateLimiter } from "../core/platform/rate-limit.ts";
import { isEmpty, printDemoLogins, seedDemoData } from "../prisma/seed.ts";
import { createHttpApp, PUBLIC_PAGES_CHANNEL } from "./app.ts";
import type { Services } from "../core/platform/services.ts";
import { deriveKey, serverSecret } from "./secrets.ts";
import {
  announcePolicyVersion,
  deliverPolicyNotice,
  fanOutPolicyNotice,
  type PolicyNoticeDeliveryJob,
  type PolicyNoticeFanOutJob,
} from "../core/privacy/policy-notice.ts";
import { escalateUntouchedRequests } from "../core/privacy/intake.ts";

/**
 * Every recurring job and its cron (UTC), scheduled through pg-boss at every start (tests/boot-schedule.test.ts):
 * settling ended sessions every 5 minutes, retention hourly, the erasure sweep every 15 minutes, the escalation of
 * untouched privacy requests hourly, the usage purge daily.
 */
export const RECURRING_JOBS = {
  "rooms.settle": "*/5 * * * *",
  "privacy.retention": "23 * * * *",
  "privacy.erase": "*/15 * * * *",
  "privacy.escalate": "37 * * * *",
  "usage.purge": "41 3 * * *",
} as const satisfies Partial<Record<QueueName, string>>;

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
  /** Runs once everything is up, before the server accepts requests (the e2e server adds its fixtures here). */
  beforeListen?: (services: Services) => Promise<void>;
}): Promise<Running> {
  const { config, logger } = opts;
  const db = opts.database ?? (await openDatabase(config.database));
  try {
    const { applied } = await db.migrate((msg) => logger.info({ msg }));
    if (applied.length > 0) logger.info({ msg: "migrations applied", applied });
    if (config.SEED_DEMO_DATA === "auto" && (await isEmpty(db.prisma))) {
      await seedDemoData(db.prisma, (msg) => logger.info({ msg }));
      printDemoLogins((msg) => console.log(msg));
    }
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
  // Jobs queued by an earlier version carried the whole message; new ones are booking.notice (ids only).
  await jobs.work<MailMessage>("mail.send", async (message) => {
    await mailer.send(message);
  });
  await jobs.work<BookingNoticeJob>("booking.notice", async (job) => {
    const outcome = await runBookingNotice({ db: db.prisma, appUrl: config.appUrl }, mailer, job);
    logger.info({ msg: "booking notice", outcome, notice: job.notice });
  });
  await jobs.work<ReminderJob>("booking.reminder", async (job) => {
    const outcome = await runReminder({ db: db.prisma, appUrl: config.appUrl, unsubscribeKey }, mailer, job);
    logger.info({ msg: "reminder", outcome, kind: job.kind });
  });
  // Sessions whose room never reported "finished" (nobody came, or a lost webhook) are settled COMPLETED or
  // NO_SHOW from the presences on record, every five minutes.
  await jobs.work("rooms.settle", async () => {
    const settled = await settleEndedBookings(db.prisma, new Date());
    if (settled > 0) logger.info({ msg: "sessions settled", settled });
  });
  const queue = jobs;
  // The newsletter: one fan-out job lists the opted-in audience, one delivery job per person (core/privacy/newsletter.ts).
  await jobs.work<NewsletterFanOutJob>("newsletter.fanout", async (job) => {
    const recipients = await fanOutNewsletter(
      { db: db.prisma, jobs: queue, appUrl: config.appUrl, unsubscribeKey },
      job,
    );
    logger.info({ msg: "newsletter fanned out", recipients });
  });
  await jobs.work<NewsletterDeliveryJob>("newsletter.deliver", async (job) => {
    const outcome = await deliverNewsletter({ db: db.prisma, appUrl: config.appUrl, unsubscribeKey }, mailer, job);
    logger.info({ msg: "newsletter", outcome });
  });
  // Retention: time-bound data past its period is deleted every hour (core/privacy/retention.ts).
  await jobs.work("privacy.retention", async () => {
    const purged = await purgeExpiredData(db.prisma, new Date());
    logger.info({ msg: "retention purge", ...purged });
  });
  // Erasure (P23): queued for the end of an approved deletion's grace period, plus a sweep every 15 minutes that
  // catches any missed job. Both only act on APPROVED deletions whose grace period is over (core/privacy/erase.ts).
  await jobs.work<{ requestId?: string }>("privacy.erase", async (job) => {
    const deps = { db: db.prisma, mail: services.mailQueue, keys: erasureKeysFrom(services) };
    if (job.requestId) logger.info({ msg: "erasure", outcome: await runErasure(deps, job.requestId) });
    else logger.info({ msg: "erasure sweep", ...(await runDueErasures(deps)) });
  });
  // A tracked privacy request nobody acted on, 7 days before its deadline, is flagged and mailed to the DPO and the
  // admins, once (core/privacy/intake.ts).
  await jobs.work("privacy.escalate", async () => {
    const outcome = await escalateUntouchedRequests({ db: db.prisma, mail: services.mailQueue, appUrl: config.appUrl });
    if (outcome.escalated > 0) logger.info({ msg: "privacy requests escalated", escalated: outcome.escalated });
  });
  // A new privacy-policy version is announced to every active account, once per version
  // (core/privacy/policy-notice.ts): one fan-out job, then one delivery job per account (ids only).
  await jobs.work<PolicyNoticeFanOutJob>("privacy.policy-notice", async (job) => {
    const recipients = await fanOutPolicyNotice({ db: db.prisma, jobs: queue }, job);
    logger.info({ msg: "policy notice fanned out", version: job.version, recipients });
  });
  await jobs.work<PolicyNoticeDeliveryJob>("privacy.policy-notice.deliver", async (job) => {
    const outcome = await deliverPolicyNotice({ db: db.prisma, appUrl: config.appUrl }, mailer, job);
    logger.info({ msg: "policy notice", outcome });
  });
  if (await announcePolicyVersion(db.prisma, jobs)) logger.info({ msg: "policy version announced" });
  // Anonymous usage metrics are kept 90 days (core/analytics/usage.ts): purged daily.
  await jobs.work("usage.purge", async () => {
    const purged = await purgeUsage(db.prisma, new Date());
    logger.info({ msg: "usage events purged", purged });
  });
  for (const [name, cron] of Object.entries(RECURRING_JOBS)) await jobs.schedule(name, cron);
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
