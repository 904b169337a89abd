// Retention (GDPR Art. 5(1)(e), docs/records-of-processing.md): time-bound data is deleted when its period ends, by
// the "privacy.retention" job (pg-boss cron, hourly, server/boot.ts). Each rule names its model, its period in
// words (the same words as the records of processing) and the delete it runs. `now` is injected, so tests run the
// rules with a clock of their choosing.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { purgeErrorReports } from "../observability/errors.ts";
import { purgeAccountLocks, purgeDeviceAlerts, purgeKnownDevices, purgeSecurityEventRows } from "../security/events.ts";

const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

export interface RetentionRule {
  model: string;
  /** The period, as written in docs/records-of-processing.md. */
  period: string;
  purge(db: PrismaClient, now: Date): Promise<number>;
}

export const RETENTION = {
  /** One-time codes are kept one day past their expiry or use (the sign-in throttles look back less than that). */
  emailCodeGraceMs: DAY,
  /** LiveKit retries a webhook for minutes; ids of processed events are kept 30 days to ignore late repeats. */
  liveKitEventMs: 30 * DAY,
  /** Proof of a consent choice: 3 years after it was superseded (or, for a visitor's anonymous choice, made). */
  consentMs: 3 * 365 * DAY,
  /** Which newsletter went to whom: 2 years. */
  newsletterDeliveryMs: 2 * 365 * DAY,
} as const;

export const retentionRules: RetentionRule[] = [
  {
    model: "Session",
    period:
      "Until it expires (people: 7 days idle, 30 days at most; staff: 30 minutes idle, 12 hours at most), then deleted.",
    purge: async (db, now) =>
      (await db.session.deleteMany({ where: { OR: [{ expiresAt: { lt: now } }, { absoluteExpiresAt: { lt: now } }] } }))
        .count,
  },
  {
    model: "EmailCode",
    period: "One day after the code was used or expired (codes are valid 10 minutes to 1 hour).",
    purge: async (db, now) => {
      const cutoff = new Date(now.getTime() - RETENTION.emailCodeGraceMs);
      return (
        await db.emailCode.deleteMany({
          where: { OR: [{ expiresAt: { lt: cutoff } }, { consumedAt: { lt: cutoff } }] },
        })
      ).count;
    },
  },
  {
    model: "LiveKitWebhookEvent",
    period: "30 days after it was received.",
    purge: async (db, now) =>
      (
        await db.liveKitWebhookEvent.deleteMany({
          where: { receivedAt: { lt: new Date(now.getTime() - RETENTION.liveKitEventMs) } },
        })
      ).count,
  },
  {
    model: "RateLimiterFlexible",
    period: "Until the counter's window ends (minutes to an hour).",
    purge: async (db, now) => (await db.rateLimiterFlexible.deleteMany({ where: { expire: { lt: now } } })).count,
  },
  {
    model: "Consent",
    period:
      "A visitor's anonymous choice: 3 years. A signed-in person's choice: while it is their current " +
      "choice, then 3 years after they changed it; deleted with the account.",
    purge: async (db, now) => {
      const cutoff = new Date(now.getTime() - RETENTION.consentMs);
      const anonymous = await db.consent.deleteMany({ where: { userId: null, at: { lt: cutoff } } });
      // A person's choice is superseded by a later one of the same kind; the current one stays as long as it holds.
      const superseded = await db.$executeRaw`
        DELETE FROM "Consent" AS c
        WHERE c."userId" IS NOT NULL
          AND EXISTS (SELECT 1 FROM "Consent" AS n
                      WHERE n."userId" = c."userId" AND n."kind" = c."kind" AND n."at" > c."at" AND n."at" < ${cutoff})`;
      return anonymous.count + superseded;
    },
  },
  {
    model: "NewsletterDelivery",
    period: "2 years after sending.",
    purge: async (db, now) =>
      (
        await db.newsletterDelivery.deleteMany({
          where: { sentAt: { lt: new Date(now.getTime() - RETENTION.newsletterDeliveryMs) } },
        })
      ).count,
  },
];

// Error reports (P7) and security data (P14): core/observability/errors.ts, core/security/events.ts.
retentionRules.push(
  { model: "ErrorReport", period: "30 days after it was recorded.", purge: purgeErrorReports },
  {
    model: "SecurityEvent",
    period: "Failed sign-ins and code requests: 7 days. Security events (bursts, locks, alerts, reports): 90 days.",
    purge: purgeSecurityEventRows,
  },
  { model: "AccountLock", period: "One day after the last lock ended.", purge: purgeAccountLocks },
  { model: "DeviceAlert", period: "One day after the link expired (links work 7 days).", purge: purgeDeviceAlerts },
  {
    model: "KnownDevice",
    period: "One year after the last sign-in from that kind of device; deleted with the account.",
    purge: purgeKnownDevices,
  },
);

/** Runs every rule; returns how many rows each deleted. */
export async function purgeExpiredData(db: PrismaClient, now: Date = new Date()): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const rule of retentionRules) counts[rule.model] = await rule.purge(db, now);
  return counts;
}
