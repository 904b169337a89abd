// Retention (GDPR Art. 5(1)(e), docs/records-of-processing.md): time-bound data is deleted when its period ends, by
// the "privacy.retention" job (pg-boss cron, hourly, server/boot.ts). Each rule names its model, its period in
// words (the same words as the records of processing) and the delete it runs. `now` is injected, so tests run the
// rules with a clock of their choosing.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { purgeUsage } from "../analytics/usage.ts";
import { purgeErrorReports } from "../observability/errors.ts";
import { withAuditMaintenance } from "../audit/index.ts";
import { FORMER_CLIENT_EMAIL } from "./erase.ts";
import { retentionPeriod } from "./datamap.ts";
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
  /** The audit trail: 6 years from the event (the database refuses to delete a younger row). */
  auditMs: 6 * 365 * DAY,
  /** The IP address on an audit row: 30 days. */
  auditIpMs: 30 * DAY,
  /** An erased client's anonymized session stays in the expert's history for 3 years after it ended. */
  formerClientBookingMs: 3 * 365 * DAY,
  /** A ticket without an account (contact form, email, phone): 2 years after it was closed or last changed. */
  visitorTicketMs: 2 * 365 * DAY,
  /** A closed privacy request is proof for 3 years. */
  privacyRequestMs: 3 * 365 * DAY,
  unconfirmedPrivacyRequestMs: 30 * DAY,
} as const;

const before = (now: Date, ms: number) => new Date(now.getTime() - ms);

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
    period: "Until the counter's window ends: a minute to an hour, and a day for the count of data downloads.",
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

// Accountability records, former clients' sessions and tickets without an account. Their periods are in the data
// map (core/privacy/datamap.ts, RETENTION_PERIODS); the words below are taken from there.
retentionRules.push(
  { model: "UsageEvent", period: retentionPeriod("usage").words, purge: purgeUsage },
  {
    model: "Booking",
    period: retentionPeriod("booking").words,
    // Only the anonymized sessions of erased clients: a living client's sessions are their history.
    purge: async (db, now) =>
      (
        await db.booking.deleteMany({
          where: { user: { email: FORMER_CLIENT_EMAIL }, endsAt: { lt: before(now, RETENTION.formerClientBookingMs) } },
        })
      ).count,
  },
  {
    model: "SupportTicket",
    period: retentionPeriod("ticket").words,
    purge: async (db, now) => {
      const activeHold = { recordType: "SUPPORT_TICKET" as const, releasedAt: null, until: { gt: now } };
      const active = new Set(
        (await db.legalHold.findMany({ where: activeHold, select: { recordId: true } })).map((h) => h.recordId),
      );
      // A hold has ended on the ticket of an erased person (no requester any more): the ticket goes now.
      const ended = await db.legalHold.findMany({
        where: { recordType: "SUPPORT_TICKET", OR: [{ releasedAt: { not: null } }, { until: { lte: now } }] },
        select: { recordId: true },
      });
      const released = ended.map((h) => h.recordId).filter((id) => !active.has(id));
      const heldEnded = await db.supportTicket.deleteMany({ where: { id: { in: released }, requesterId: null } });
      // Tickets without an account, closed (or untouched) for two years, unless a hold is in force.
      const cutoff = before(now, RETENTION.visitorTicketMs);
      const visitors = await db.supportTicket.deleteMany({
        where: {
          requesterId: null,
          id: { notIn: [...active] },
          OR: [{ closedAt: { lt: cutoff } }, { closedAt: null, updatedAt: { lt: cutoff } }],
        },
      });
      return heldEnded.count + visitors.count;
    },
  },
  {
    model: "LegalHold",
    period: retentionPeriod("legal-hold").words,
    // Runs after SupportTicket (rules run in order): the held records of an erased person are gone by now.
    purge: async (db, now) =>
      (await db.legalHold.deleteMany({ where: { OR: [{ releasedAt: { lte: now } }, { until: { lte: now } }] } })).count,
  },
  {
    model: "PrivacyRequest",
    period: retentionPeriod("privacy-request").words,
    purge: async (db, now) =>
      (
        await db.privacyRequest.deleteMany({
          where: {
            OR: [
              {
                status: { in: ["COMPLETED", "REJECTED", "CANCELLED"] },
                updatedAt: { lt: before(now, RETENTION.privacyRequestMs) },
              },
              // Never confirmed by the requester: not a tracked request; the address goes after 30 days.
              { status: "AWAITING_IDENTITY", receivedAt: { lt: before(now, RETENTION.unconfirmedPrivacyRequestMs) } },
            ],
          },
        })
      ).count,
  },
  {
    model: "AuditEvent",
    period: retentionPeriod("audit").words,
    purge: (db, now) =>
      withAuditMaintenance(
        db,
        (tx) => tx.$executeRaw`DELETE FROM "AuditEvent" WHERE "at" < ${before(now, RETENTION.auditMs)}`,
      ),
  },
  {
    model: "AuditEvent.ip",
    period: retentionPeriod("audit-ip").words,
    purge: (db, now) =>
      withAuditMaintenance(
        db,
        (tx) =>
          tx.$executeRaw`UPDATE "AuditEvent" SET "ip" = NULL WHERE "ip" IS NOT NULL AND "at" < ${before(now, RETENTION.auditIpMs)}`,
      ),
  },
);

/** Runs every rule; returns how many rows each deleted. */
export async function purgeExpiredData(db: PrismaClient, now: Date = new Date()): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const rule of retentionRules) counts[rule.model] = await rule.purge(db, now);
  return counts;
}
