// The job registry: every background job in one place, as name → payload schema → handler → schedule. boot()
// only wires it (wireJobs); a queue name without an entry, or an entry without a queue, fails the type check
// (QUEUES in core/platform/jobs/queue.ts is the list of names). A payload is checked against its schema before
// its handler runs, so a handler gets exactly the type it declares: a job queued by older code with another
// shape is logged and dropped, never run on a guess. Payloads carry ids (the handlers load what they need when
// they run); account mail is sealed (mail.account).
import { z } from "zod";
import { purgeUsage } from "../core/analytics/usage.ts";
import { runBookingNotice, runReminder, REMINDERS } from "../core/notifications/bookings.ts";
import type { BookingNoticeJob, ReminderJob } from "../core/notifications/bookings.ts";
import { QUEUES, type JobQueue, type QueueName } from "../core/platform/jobs/queue.ts";
import { openMail, sealedMailSchema, type SealedMail } from "../core/platform/mail/sealed.ts";
import type { Services } from "../core/platform/services.ts";
import { erasureKeysFrom, runDueErasures, runErasure } from "../core/privacy/erase.ts";
import { escalateUntouchedRequests } from "../core/privacy/intake.ts";
import {
  deliverNewsletter,
  fanOutNewsletter,
  type NewsletterDeliveryJob,
  type NewsletterFanOutJob,
} from "../core/privacy/newsletter.ts";
import {
  deliverPolicyNotice,
  fanOutPolicyNotice,
  type PolicyNoticeDeliveryJob,
  type PolicyNoticeFanOutJob,
} from "../core/privacy/policy-notice.ts";
import { purgeExpiredData } from "../core/privacy/retention.ts";
import { settleEndedBookings } from "../core/rooms/service.ts";

export interface JobDefinition<T> {
  /** What a queued job must carry; checked before `run`. */
  payload: z.ZodType<T>;
  run(data: T, services: Services): Promise<void>;
  /** A cron expression (UTC): pg-boss queues one job per tick for the whole cluster. */
  schedule?: string;
  /** How this process works the queue: several jobs at once, and straight on to the next after one. */
  worker?: { keepGoing?: boolean; concurrency?: number };
  /** Worked only on the PostgreSQL server, where processes share jobs (embedded PGlite sends mail in-process). */
  serverOnly?: true;
}

/** Ties the handler's parameter to the schema's output (the registry's values lose it otherwise). */
const job = <T>(definition: JobDefinition<T>): JobDefinition<T> => definition;

const id = z.string().min(1).max(64);
/** Recurring jobs carry nothing: whatever a cron tick holds is ignored. */
const nothing = z.unknown();

const bookingNotice = z.object({
  bookingId: id,
  notice: z.enum(["confirmed", "cancelled", "rescheduled"]),
  to: z.enum(["client", "expert"]),
  previousStart: z.string().optional(),
}) satisfies z.ZodType<BookingNoticeJob>;

const reminder = z.object({
  bookingId: id,
  kind: z.literal(REMINDERS.map((r) => r.kind)),
  startsAt: z.string(),
}) satisfies z.ZodType<ReminderJob>;

export const JOBS = {
  // Account mail on the PostgreSQL server: one sealed message per job, sent by whichever instance fetches it,
  // retried on failure, handed to another instance if this one dies mid-send (docs/scaling.md).
  "mail.account": job({
    payload: sealedMailSchema satisfies z.ZodType<SealedMail>,
    serverOnly: true,
    // Several sends at once: one stuck connection does not hold up every code behind it.
    worker: { keepGoing: true, concurrency: 4 },
    run: async (sealed, s) => {
      try {
        await s.mailer.send(openMail(s.secrets.mailJobKey, sealed));
      } catch (error) {
        s.logger.error({
          msg: "mail not sent",
          template: sealed.template,
          err: error instanceof Error ? error.message : String(error),
        });
        throw error; // pg-boss retries it (5 times, backing off)
      }
    },
  }),
  "booking.notice": job({
    payload: bookingNotice,
    run: async (data, s) => {
      const outcome = await runBookingNotice({ db: s.db.prisma, appUrl: s.config.appUrl }, s.mailer, data);
      s.logger.info({ msg: "booking notice", outcome, notice: data.notice });
    },
  }),
  "booking.reminder": job({
    payload: reminder,
    run: async (data, s) => {
      const deps = { db: s.db.prisma, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey };
      const outcome = await runReminder(deps, s.mailer, data);
      s.logger.info({ msg: "reminder", outcome, kind: data.kind });
    },
  }),
  // Sessions whose room never reported "finished" (nobody came, or a lost webhook) are settled COMPLETED or
  // NO_SHOW from the presences on record.
  "rooms.settle": job({
    payload: nothing,
    schedule: "*/5 * * * *",
    run: async (_data, s) => {
      const settled = await settleEndedBookings(s.db.prisma, new Date());
      if (settled > 0) s.logger.info({ msg: "sessions settled", settled });
    },
  }),
  // The newsletter: one fan-out job lists the opted-in audience, one delivery job per person
  // (core/privacy/newsletter.ts).
  "newsletter.fanout": job({
    payload: z.object({ newsletterId: id }) satisfies z.ZodType<NewsletterFanOutJob>,
    run: async (data, s) => {
      const deps = { db: s.db.prisma, jobs: s.jobs, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey };
      const recipients = await fanOutNewsletter(deps, data);
      s.logger.info({ msg: "newsletter fanned out", recipients });
    },
  }),
  "newsletter.deliver": job({
    payload: z.object({ newsletterId: id, userId: id }) satisfies z.ZodType<NewsletterDeliveryJob>,
    run: async (data, s) => {
      const deps = { db: s.db.prisma, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey };
      const outcome = await deliverNewsletter(deps, s.mailer, data);
      s.logger.info({ msg: "newsletter", outcome });
    },
  }),
  // Retention: time-bound data past its period is deleted every hour (core/privacy/retention.ts).
  "privacy.retention": job({
    payload: nothing,
    schedule: "23 * * * *",
    run: async (_data, s) => {
      const purged = await purgeExpiredData(s.db.prisma, new Date());
      s.logger.info({ msg: "retention purge", ...purged });
    },
  }),
  // Erasure (P23): queued for the end of an approved deletion's grace period (with its request id), plus a sweep
  // every 15 minutes (no id) that catches any missed job. Both only act on APPROVED deletions whose grace period
  // is over (core/privacy/erase.ts).
  "privacy.erase": job({
    payload: z.object({ requestId: id.optional() }),
    schedule: "*/15 * * * *",
    run: async (data, s) => {
      const deps = {
        db: s.db.prisma,
        mail: s.mailQueue,
        keys: erasureKeysFrom(s),
        onPublicChange: () => s.publicPages?.invalidate(),
      };
      if (data.requestId) s.logger.info({ msg: "erasure", outcome: await runErasure(deps, data.requestId) });
      else s.logger.info({ msg: "erasure sweep", ...(await runDueErasures(deps)) });
    },
  }),
  // A tracked privacy request nobody has acted on 7 days before its deadline is escalated, once: mail to the DPOs
  // and admins and a flag in the console (core/privacy/intake.ts).
  "privacy.escalate": job({
    payload: nothing,
    schedule: "37 * * * *",
    run: async (_data, s) => {
      const outcome = await escalateUntouchedRequests({ db: s.db.prisma, mail: s.mailQueue, appUrl: s.config.appUrl });
      if (outcome.escalated > 0) s.logger.info({ msg: "privacy requests escalated", escalated: outcome.escalated });
    },
  }),
  // A new privacy-policy version is announced to every active account, once per version
  // (core/privacy/policy-notice.ts): one fan-out job, then one delivery job per account (ids only).
  "privacy.policy-notice": job({
    payload: z.object({ version: z.string().min(1).max(40) }) satisfies z.ZodType<PolicyNoticeFanOutJob>,
    run: async (data, s) => {
      const recipients = await fanOutPolicyNotice({ db: s.db.prisma, jobs: s.jobs }, data);
      s.logger.info({ msg: "policy notice fanned out", version: data.version, recipients });
    },
  }),
  "privacy.policy-notice.deliver": job({
    payload: z.object({ version: z.string().min(1).max(40), userId: id }) satisfies z.ZodType<PolicyNoticeDeliveryJob>,
    run: async (data, s) => {
      const outcome = await deliverPolicyNotice({ db: s.db.prisma, appUrl: s.config.appUrl }, s.mailer, data);
      s.logger.info({ msg: "policy notice", outcome });
    },
  }),
  // Anonymous usage metrics are kept 90 days (core/analytics/usage.ts).
  "usage.purge": job({
    payload: nothing,
    schedule: "41 3 * * *",
    run: async (_data, s) => {
      const purged = await purgeUsage(s.db.prisma, new Date());
      s.logger.info({ msg: "usage events purged", purged });
    },
  }),
} satisfies { [N in QueueName]: JobDefinition<unknown> };

/**
 * Every recurring job and its cron (UTC), from the registry, scheduled through pg-boss at every start
 * (tests/boot-schedule.test.ts).
 */
export const RECURRING_JOBS: Partial<Record<QueueName, string>> = Object.fromEntries(
  QUEUES.flatMap((name) => {
    const { schedule } = JOBS[name];
    return schedule ? [[name, schedule]] : [];
  }),
);

async function wire<T>(queue: JobQueue, services: Services, name: QueueName, definition: JobDefinition<T>) {
  if (definition.serverOnly && services.db.kind !== "server") return;
  await queue.work(
    name,
    async (data) => {
      const parsed = definition.payload.safeParse(data);
      if (!parsed.success) {
        // Paths only: a payload may be a whole mail message.
        const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "(payload)"}: ${i.code}`);
        services.logger.error({ msg: "job payload refused", job: name, issues });
        return;
      }
      await definition.run(parsed.data, services);
    },
    definition.worker,
  );
  if (definition.schedule) await queue.schedule(name, definition.schedule);
}

/** Registers every job's handler with the queue and schedules the recurring ones. */
export async function wireJobs(queue: JobQueue, services: Services): Promise<void> {
  for (const name of QUEUES) await wire<unknown>(queue, services, name, JOBS[name]);
}
