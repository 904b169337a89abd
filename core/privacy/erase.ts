// The erasure (privacy promise P23), driven by the deletion inventory (core/privacy/inventory.ts). Design in
// docs/privacy.md, "Deletion design":
//   - records under an active legal hold are kept (and keep the name and email they need), listed on the receipt;
//   - support tickets (also contact-form tickets from the user's email), sign-in codes to the email, and every
//     row tied to the account by ON DELETE CASCADE are deleted with the account;
//   - bookings are anonymized: upcoming ones are cancelled, all of them move to one shared "Former client" account
//     (no email, no password, status DELETED), so experts keep their history but never the person's name;
//   - the audit trail (append-only), the privacy requests (without the account link and free text) and legal holds
//     are kept with their legal basis;
//   - queued and finished jobs that mention the person (or their bookings) are removed from the job queue's tables;
//   - security events and password locks under the keyed hash of their email, rate-limit counters under the keyed
//     hash of their email or id, the IP of audit rows about them, and outbox files to or about them are removed.
// `runErasure` is the job: it only acts on an APPROVED deletion whose grace period is over, then completes the
// request with a receipt and emails the receipt (with the DPO's contact).
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { auditMaintenanceIn, recordAudit } from "../audit/index.ts";
import { rateLimitKeyOf, ratePolicies, type RatePolicyName } from "../platform/rate-limit.ts";
import { accountKeyOf } from "../security/events.ts";
import { DomainError, isDomainError } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { mailRecipientKeyOf } from "../platform/mail/sealed.ts";
import { deletionInventory, type InventoryEntry } from "./inventory.ts";
import { DPO_CONTACT, erasureReceiptEmail, type ErasureReceipt } from "./mail.ts";

export const FORMER_CLIENT_EMAIL = "former-client@erased.invalid";
export const FORMER_CLIENT_NAME = "Former client";
export const FORMER_EXPERT_NAME = "Former expert";

type Tx = Parameters<Parameters<PrismaClient["$transaction"]>[0]>[0];

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What identifies the person in a free text: the email (and its local part), the account id, the full name and
 * every part of it ("Zelda", "Quinn" of "Zelda Quinn"), so a first name alone in a DPO's note is found too.
 */
export function needlesFor(person: { email: string; name: string; id: string }): string[] {
  const parts = person.name.split(/[\s,.'"()-]+/u).filter((p) => p.length >= 2);
  const local = person.email.split("@")[0] ?? "";
  return [person.email, person.id, person.name, ...parts, ...(local.length >= 3 ? [local] : [])];
}

/** Replaces every occurrence of the person's name parts, email and id in a kept free text. */
export function scrub(text: string | null, needles: string[]): string | null {
  if (text === null) return null;
  let out = text;
  // Longest first: the full name before its parts, the email before its local part.
  for (const n of [...needles].sort((a, b) => b.length - a.length)) {
    if (n.length < 2) continue;
    // A name part only as a whole word ("Al" must not erase "Also"); the rest anywhere.
    const word = /^[\p{L}\p{M}'-]+$/u.test(n);
    const re = word
      ? new RegExp(`(?<![\\p{L}\\p{N}])${escapeRe(n)}(?![\\p{L}\\p{N}])`, "giu")
      : new RegExp(escapeRe(n), "giu");
    out = out.replace(re, "[erased]");
  }
  return out;
}

/** Keys the erasure needs to find what is stored under a keyed hash, and the outbox folder if mail goes there. */
export interface ErasureKeys {
  /** The key of SecurityEvent/AccountLock accountKey (the code pepper). */
  accountKeyPepper?: Uint8Array;
  /** The key of the rate limiter's subjects. */
  rateLimitKey?: Uint8Array;
  /** The mail outbox folder (development and MAIL_TRANSPORT=outbox). */
  outboxDir?: string;
}

async function formerClientId(tx: Tx, now: Date): Promise<string> {
  // A migration creates this row (its address is reserved, nobody can register it); the upsert keeps databases
  // older than that migration working and resets the fixed text. One atomic INSERT … ON CONFLICT in the database.
  const row = await tx.user.upsert({
    where: { email: FORMER_CLIENT_EMAIL },
    create: {
      email: FORMER_CLIENT_EMAIL,
      name: FORMER_CLIENT_NAME,
      status: "DELETED",
      role: "USER",
      passwordHash: null,
      deletedAt: now,
    },
    update: { name: FORMER_CLIENT_NAME, passwordHash: null, status: "DELETED" },
    select: { id: true },
  });
  return row.id;
}

export interface ErasureResult {
  receipt: Omit<ErasureReceipt, "requestId">;
  /** Counts per inventory model (where the erasure counted them). */
  counts: Record<string, number>;
}

/**
 * Erases one account per the inventory. Idempotent per account (a second call finds no account: NOT_FOUND).
 * `needlesOut` receives nothing: the caller keeps the email it needs for the receipt itself.
 */
export async function eraseUser(
  db: PrismaClient,
  userId: string,
  opts: { now?: Date; keys?: ErasureKeys } = {},
): Promise<ErasureResult> {
  const now = opts.now ?? new Date();
  const keys = opts.keys ?? {};
  const result = await db.$transaction(async (tx) => {
    // Lock the account's row first: a second erasure of the same account (the job and the sweep racing) waits
    // here, then finds no account and stops, instead of failing half-way.
    const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    if (locked.length === 0) throw new DomainError("NOT_FOUND", "No such account.");
    const user = await tx.user.findUnique({ where: { id: userId }, select: { id: true, email: true, name: true } });
    if (!user) throw new DomainError("NOT_FOUND", "No such account.");
    if (user.email === FORMER_CLIENT_EMAIL)
      throw new DomainError("FORBIDDEN", "The anonymous former-client account cannot be erased.");
    const needles = needlesFor(user);
    const emailMatch = { equals: user.email, mode: "insensitive" as const };

    // Legal holds in force: the held records stay, identifiable by the name and email the hold needs.
    const holds = await tx.legalHold.findMany({
      where: { userId, releasedAt: null, until: { gt: now } },
      select: { id: true, recordType: true, recordId: true, basis: true, until: true },
    });
    const heldTickets = holds.filter((h) => h.recordType === "SUPPORT_TICKET").map((h) => h.recordId);
    if (heldTickets.length > 0) {
      await tx.supportTicket.updateMany({
        where: { id: { in: heldTickets }, requesterId: userId },
        data: { contactEmail: user.email, contactName: user.name },
      });
    }

    const counts: Record<string, number> = {};
    const ticketWhere = { OR: [{ requesterId: userId }, { contactEmail: emailMatch }], id: { notIn: heldTickets } };
    [
      counts.Session,
      counts.WellnessPreference,
      counts.UserAvatar,
      counts.TicketMessage,
      counts.Booking,
      counts.AuditEvent,
      counts.ExpertProfile,
    ] = await Promise.all([
      tx.session.count({ where: { userId } }),
      tx.wellnessPreference.count({ where: { userId } }),
      tx.userAvatar.count({ where: { userId } }),
      tx.ticketMessage.count({ where: { ticket: ticketWhere } }),
      tx.booking.count({ where: { userId } }),
      tx.auditEvent.count({ where: { subjectUserId: userId } }),
      tx.expertProfile.count({ where: { userId } }),
    ]);
    counts.User = 1;

    // Support tickets (with their messages), and contact-form tickets sent from the same address.
    counts.SupportTicket = (await tx.supportTicket.deleteMany({ where: ticketWhere })).count;
    counts.EmailCode = (await tx.emailCode.deleteMany({ where: { OR: [{ userId }, { email: emailMatch }] } })).count;

    // Jobs about the person's bookings (reminders) are purged below, after the bookings lost their link.
    const bookingIds = (await tx.booking.findMany({ where: { userId }, select: { id: true } })).map((b) => b.id);

    // What is stored under a keyed hash of the email or id: security events (e.g. code requests without an
    // account link), password locks, rate-limit counters.
    const emails = [...new Set([user.email, user.email.toLowerCase(), user.email.trim().toLowerCase()])];
    const accountKeys = keys.accountKeyPepper ? emails.map((e) => accountKeyOf(keys.accountKeyPepper!, e)) : [];
    // The IP addresses the person used, as we recorded them: their sessions, security events about them, and
    // their own calls in the audit trail. Counters and IP-only security signals under them go too.
    const ipRows = await Promise.all([
      tx.session.findMany({ where: { userId, ip: { not: null } }, select: { ip: true } }),
      tx.securityEvent.findMany({
        where: { OR: [{ userId }, { accountKey: { in: accountKeys } }], ip: { not: null } },
        select: { ip: true },
      }),
      tx.auditEvent.findMany({ where: { actorId: userId, ip: { not: null } }, select: { ip: true } }),
    ]);
    const ips = [...new Set(ipRows.flat().flatMap((r) => (r.ip ? [r.ip] : [])))];
    if (accountKeys.length > 0) {
      counts.SecurityEvent = (await tx.securityEvent.deleteMany({ where: { accountKey: { in: accountKeys } } })).count;
      await tx.accountLock.deleteMany({ where: { accountKey: { in: accountKeys } } });
    }
    // Signals keyed by one of their IPs with no account link (e.g. a burst of failures from it).
    await tx.securityEvent.deleteMany({ where: { ip: { in: ips }, userId: null } });
    if (keys.rateLimitKey) {
      const rateKeys = (Object.keys(ratePolicies) as RatePolicyName[]).flatMap((policy) =>
        [...emails, user.id, ...ips].map((subject) => rateLimitKeyOf(keys.rateLimitKey!, policy, subject)),
      );
      await tx.rateLimiterFlexible.deleteMany({ where: { key: { in: rateKeys } } });
    }
    // The audit trail keeps its rows (append-only), but not the IP of the person's own calls or of rows about them.
    await auditMaintenanceIn(
      tx,
      (inner) =>
        inner.$executeRaw`UPDATE "AuditEvent" SET "ip" = NULL WHERE "ip" IS NOT NULL AND ("actorId" = ${userId} OR "subjectUserId" = ${userId})`,
    );

    // Bookings: upcoming ones cancelled, all moved to the anonymous former client, free texts removed.
    if (counts.Booking > 0) {
      await tx.booking.updateMany({
        where: { userId, status: "CONFIRMED", startsAt: { gt: now } },
        data: { status: "CANCELLED", cancelledBy: "USER", cancelledAt: now },
      });
      const formerId = await formerClientId(tx, now);
      await tx.booking.updateMany({
        where: { userId },
        data: { userId: formerId, cancelReason: null, idempotencyKey: null },
      });
    }

    // An expert's sessions are their clients' history too: they move to a fresh, unpublished "Former expert"
    // profile (random id and slug, no email that can receive mail, no password) with the reviews clients wrote;
    // upcoming ones are cancelled. Without this the profile's ON DELETE CASCADE would delete the clients' bookings.
    const profile = await tx.expertProfile.findUnique({
      where: { userId },
      select: { id: true, _count: { select: { bookings: true, reviews: true } } },
    });
    if (profile && profile._count.bookings + profile._count.reviews > 0) {
      await tx.booking.updateMany({
        where: { expertId: profile.id, status: "CONFIRMED", startsAt: { gt: now } },
        data: { status: "CANCELLED", cancelledBy: "EXPERT", cancelledAt: now },
      });
      const tag = crypto.randomUUID();
      const former = await tx.user.create({
        data: {
          email: `former-expert-${tag}@erased.invalid`,
          name: FORMER_EXPERT_NAME,
          status: "DELETED",
          role: "EXPERT",
          passwordHash: null,
          deletedAt: now,
        },
        select: { id: true },
      });
      const formerProfile = await tx.expertProfile.create({
        data: {
          userId: former.id,
          slug: `former-expert-${tag}`,
          headline: FORMER_EXPERT_NAME,
          bio: "",
          languages: [],
          timezone: "UTC",
          published: false,
        },
        select: { id: true },
      });
      await tx.booking.updateMany({ where: { expertId: profile.id }, data: { expertId: formerProfile.id } });
      await tx.review.updateMany({ where: { expertId: profile.id }, data: { expertId: formerProfile.id } });
      counts.ExpertBookingsKeptForClients = profile._count.bookings;
    }

    // Privacy requests are kept as proof, without free text that could name the person.
    // Requests made from their address outside the account (contact form, email, call) are theirs too.
    const requests = await tx.privacyRequest.findMany({
      where: { OR: [{ userId }, { requesterEmail: emailMatch }] },
      select: { id: true, identityCheck: true, decisionReason: true, extensionReason: true },
    });
    for (const r of requests) {
      await tx.privacyRequest.update({
        where: { id: r.id },
        data: {
          details: null,
          requesterEmail: null,
          verificationCodeHash: null,
          identityCheck: scrub(r.identityCheck, needles),
          decisionReason: scrub(r.decisionReason, needles),
          extensionReason: scrub(r.extensionReason, needles),
        },
        select: { id: true },
      });
    }
    counts.PrivacyRequest = requests.length;
    const userHolds = await tx.legalHold.findMany({ where: { userId }, select: { id: true, basis: true } });
    for (const h of userHolds)
      await tx.legalHold.update({
        where: { id: h.id },
        data: { basis: scrub(h.basis, needles) ?? "" },
        select: { id: true },
      });
    counts.LegalHold = userHolds.length;
    // A staff member's own traces as the person who placed or released a hold.
    await tx.legalHold.updateMany({ where: { createdById: userId }, data: { createdById: null } });
    await tx.legalHold.updateMany({ where: { releasedById: userId }, data: { releasedById: null } });

    // The account itself; ON DELETE CASCADE removes sessions, codes, avatar, preferences, keys, presences and every
    // other row the inventory marks "deleted with the account"; SET NULL unlinks requests, holds, ticket authorship.
    await tx.user.delete({ where: { id: userId }, select: { id: true } });
    return { counts, holds, email: user.email, needles, bookingIds };
  });

  // Payloads carry ids only (mail is rendered when it is sent), so the id, the email and the booking ids find every
  // job about the person; a name part would also match strangers' jobs. Account mail queued on the PostgreSQL
  // server is sealed (core/platform/mail/sealed.ts) and found by the keyed hash of the address it carries.
  const mailRecipients = keys.accountKeyPepper ? [mailRecipientKeyOf(keys.accountKeyPepper, result.email)] : [];
  await purgeQueuedJobs(db, [userId, result.email, ...result.bookingIds, ...mailRecipients]);
  // A mail about one of their sessions (an expert's notice) may name them by first name only: its calendar
  // attachment carries the booking's id, which finds it.
  if (keys.outboxDir) await purgeOutbox(keys.outboxDir, [...result.needles, ...result.bookingIds]);
  return { counts: result.counts, receipt: buildReceipt(result.counts, result.holds, now, result.needles) };
}

/** The erasure's keys as the running server has them. */
export function erasureKeysFrom(services: {
  secrets: { codePepper: Uint8Array; rateLimitKey: Uint8Array };
  config: { mailTransport: "resend" | "outbox" | "smtp"; mailOutboxDir: string };
}): ErasureKeys {
  return {
    accountKeyPepper: services.secrets.codePepper,
    rateLimitKey: services.secrets.rateLimitKey,
    ...(services.config.mailTransport === "outbox" ? { outboxDir: services.config.mailOutboxDir } : {}),
  };
}

/** Outbox files (one JSON file per email) sent to the person or naming them. */
/** The decoded text of an outbox message's attachments (calendar files are stored base64-encoded). */
function attachmentText(raw: string): string {
  try {
    const message = JSON.parse(raw) as { attachments?: Array<{ content?: unknown }> };
    return (message.attachments ?? [])
      .map((a) => (typeof a.content === "string" ? Buffer.from(a.content, "base64").toString("utf8") : ""))
      .join("\n");
  } catch {
    return "";
  }
}

async function purgeOutbox(dir: string, needles: string[]): Promise<void> {
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const strong = needles.filter((n) => n.includes("@") || n.length >= 20 || n.includes(" "));
  for (const name of names) {
    if (!name.endsWith(".json")) continue;
    const file = path.join(dir, name);
    const raw = await fs.readFile(file, "utf8").catch(() => "");
    const text = `${raw}\n${attachmentText(raw)}`.toLowerCase();
    if (strong.some((n) => text.includes(n.toLowerCase()))) await fs.rm(file, { force: true });
  }
}

/**
 * Jobs waiting in, finished in, or archived by pg-boss that point at the person or their bookings (payloads carry
 * ids only), including a job's output (a failure message). Finished jobs are purged too, not left for pg-boss's
 * seven days.
 */
async function purgeQueuedJobs(db: PrismaClient, needles: string[]) {
  const tables = await db.$queryRawUnsafe<Array<{ table_name: string }>>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'pgboss' AND table_name IN ('job', 'archive')`,
  );
  for (const { table_name } of tables) {
    for (const needle of needles) {
      if (needle.length < 3) continue;
      await db.$executeRawUnsafe(
        `DELETE FROM pgboss."${table_name}" WHERE data::text ILIKE $1 OR coalesce(output::text, '') ILIKE $1`,
        `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`,
      );
    }
  }
}

function buildReceipt(
  counts: Record<string, number>,
  holds: Array<{ recordType: string; recordId: string; basis: string; until: Date }>,
  now: Date,
  needles: string[],
): ErasureResult["receipt"] {
  const receipt: ErasureResult["receipt"] = {
    erasedAt: now.toISOString(),
    deleted: [],
    anonymized: [],
    kept: [],
    legalHolds: [],
    dpo: DPO_CONTACT,
  };
  for (const [model, e] of Object.entries<InventoryEntry>(deletionInventory)) {
    const count = counts[model];
    // Counted models only when this person had some; models the erasure does not count are listed without a count.
    if (count === 0 && e.erasure.action !== "keep") continue;
    const item = { category: e.category, what: e.holds, ...(count !== undefined ? { count } : {}) };
    if (e.erasure.action === "delete") receipt.deleted.push(item);
    else if (e.erasure.action === "anonymize") receipt.anonymized.push(item);
    else receipt.kept.push({ ...item, legalBasis: e.erasure.legalBasis, retention: e.erasure.retention });
  }
  receipt.legalHolds = holds.map((h) => ({
    record: `${h.recordType === "SUPPORT_TICKET" ? "Support request" : h.recordType} ${h.recordId}`,
    // The receipt is kept with the request: the DPO's reason may name the person.
    basis: scrub(h.basis, needles) ?? "",
    until: h.until.toISOString(),
  }));
  return receipt;
}

export interface ErasureDeps {
  db: PrismaClient;
  mail: MailQueue;
  now?: () => Date;
  keys?: ErasureKeys;
  /**
   * Told after an erasure: the public pages cached for visitors without a session may show the person (an expert's
   * profile, a review's words), and must not for the cache's remaining lifetime.
   */
  onPublicChange?: () => void;
}

export type ErasureOutcome = "erased" | "not-approved" | "grace-period" | "no-account";

/** The erasure job for one request: acts only on an APPROVED deletion whose grace period is over. */
export async function runErasure(deps: ErasureDeps, requestId: string): Promise<ErasureOutcome> {
  const now = deps.now?.() ?? new Date();
  const r = await deps.db.privacyRequest.findUnique({
    where: { id: requestId },
    select: { id: true, type: true, status: true, graceEndsAt: true, userId: true },
  });
  if (!r || r.type !== "DELETION" || r.status !== "APPROVED") return "not-approved";
  if (!r.graceEndsAt || r.graceEndsAt.getTime() > now.getTime()) return "grace-period";
  if (!r.userId) return "no-account";
  const user = await deps.db.user.findUnique({ where: { id: r.userId }, select: { email: true } });
  if (!user) return "no-account";
  const userId = r.userId;
  let receipt: ErasureResult["receipt"];
  try {
    ({ receipt } = await eraseUser(deps.db, userId, { now, keys: deps.keys ?? {} }));
  } catch (error) {
    // The job and the periodic sweep raced, and the other one erased the account first: nothing left to do.
    if (isDomainError(error) && error.code === "NOT_FOUND") return "no-account";
    throw error;
  }
  deps.onPublicChange?.();
  const full: ErasureReceipt = { requestId, ...receipt };
  await deps.db.privacyRequest.update({
    where: { id: requestId },
    data: { status: "COMPLETED", completedAt: now, receipt: JSON.parse(JSON.stringify(full)) as object },
    select: { id: true },
  });
  // The trail keeps the account id (a random identifier; documented basis in the inventory), never name or email.
  await recordAudit(
    deps.db,
    { id: null, role: null, ip: null },
    {
      action: "privacy.erasure.completed",
      target: `privacy-request:${requestId}`,
      subjectUserId: userId,
      purpose: `privacy-request:${requestId}`,
    },
    now,
  );
  deps.mail.enqueue(erasureReceiptEmail(user.email, full));
  return "erased";
}

/** Every approved deletion whose grace period is over (the periodic sweep; also the dev-only test clock). */
export async function runDueErasures(deps: ErasureDeps): Promise<{ erased: number }> {
  const now = deps.now?.() ?? new Date();
  const due = await deps.db.privacyRequest.findMany({
    where: { type: "DELETION", status: "APPROVED", graceEndsAt: { lte: now } },
    orderBy: { graceEndsAt: "asc" },
    take: 50,
    select: { id: true },
  });
  let erased = 0;
  for (const r of due) if ((await runErasure(deps, r.id)) === "erased") erased++;
  return { erased };
}
