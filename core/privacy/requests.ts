// Data-subject requests (privacy promises P21-P23) and the DPO's desk. Deadlines follow GDPR Art. 12(3): an answer
// within one month of receipt; the DPO may extend by up to two further months, with a reason the user is told by
// email, as long as the extension is decided within the first month. A deletion has a 7-day grace period in which
// the user may cancel; the erasure (core/privacy/erase.ts) runs only once it is APPROVED and the grace is over.
//
// User functions take the user's id and scope every query by it (another user's request is "not found").
// Staff functions take an actor and write an AuditEvent for every read or write of a requester's data, with the
// request id as purpose. Role, second factor and permission are checked by the back-office (admin/server); these
// functions check what only the domain knows: a DPO never decides a request they filed themselves.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { PrivacyRequestStatus, PrivacyRequestType } from "../generated/prisma/enums.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError, parseInput } from "../errors/index.ts";
import type { JobQueue } from "../platform/jobs/queue.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { consumeMailLimits, type RateLimiter } from "../platform/rate-limit.ts";
import * as mail from "./mail.ts";

export const GRACE_DAYS = 7;
export const MAX_EXTENSION_MONTHS = 2;
const DAY = 86_400_000;

export interface PrivacyDeps {
  db: PrismaClient;
  mail: MailQueue;
  appUrl: string;
  /** Rate limits for mail-sending user actions (optional in core tests). */
  limiter?: RateLimiter;
  /** The erasure job is queued at the end of the grace period when approved (optional: a periodic sweep also runs). */
  jobs?: Pick<JobQueue, "send">;
  /** The clock (tests move it). */
  now?: () => Date;
}
export const clock = (deps: { now?: () => Date }) => deps.now?.() ?? new Date();

/** Adds calendar months in UTC; the 31st plus one month is the last day of the next month (Art. 12: "one month"). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

export const dueDateFor = (receivedAt: Date) => addMonths(receivedAt, 1);
export const latestExtensionFor = (dueAt: Date) => addMonths(dueAt, MAX_EXTENSION_MONTHS);

const OPEN: PrivacyRequestStatus[] = ["PENDING", "APPROVED"];
export const isOpen = (status: PrivacyRequestStatus) => OPEN.includes(status);

export function effectiveDue(r: { dueAt: Date; extendedUntil: Date | null }): Date {
  return r.extendedUntil ?? r.dueAt;
}

/**
 * Escalated for the current deadline: an escalation of the first deadline that the DPO answered by extending no
 * longer shows (the extended deadline is escalated on its own when it is left alone; core/privacy/intake.ts).
 */
export function isEscalated(r: { escalatedAt: Date | null; extendedAt: Date | null }): boolean {
  return r.escalatedAt !== null && (r.extendedAt === null || r.escalatedAt >= r.extendedAt);
}

/**
 * Open requests whose (possibly extended) deadline falls within the next 7 days, or has passed: the console's
 * "due soon" count and the queue filter its link opens, so the two always agree.
 */
export function dueSoonWhere(now: Date) {
  const limit = new Date(now.getTime() + 7 * 86_400_000);
  return {
    status: { in: OPEN },
    OR: [{ extendedUntil: null, dueAt: { lte: limit } }, { extendedUntil: { lte: limit } }],
  } satisfies Prisma.PrivacyRequestWhereInput;
}

/** Whole days left until the (extended) deadline; negative when overdue. */
export function daysLeft(r: { dueAt: Date; extendedUntil: Date | null }, now: Date): number {
  return Math.floor((effectiveDue(r).getTime() - now.getTime()) / DAY);
}

export function isOverdue(
  r: { status: PrivacyRequestStatus; dueAt: Date; extendedUntil: Date | null },
  now: Date,
): boolean {
  return isOpen(r.status) && effectiveDue(r).getTime() < now.getTime();
}

const reasonSchema = z
  .string()
  .trim()
  .min(10, "Give a reason of at least 10 characters: the user will read it.")
  .max(2000, "Keep it under 2,000 characters.");
const detailsSchema = z
  .string()
  .trim()
  .min(10, "Describe what is wrong and what it should say (at least 10 characters).")
  .max(4000, "Keep it under 4,000 characters.");

const ownSelect = {
  id: true,
  type: true,
  status: true,
  details: true,
  receivedAt: true,
  dueAt: true,
  extendedUntil: true,
  extensionReason: true,
  graceEndsAt: true,
  decision: true,
  decisionReason: true,
  decidedAt: true,
  cancelledAt: true,
  completedAt: true,
  receipt: true,
} as const;

// ---------------------------------------------------------------- user side

/** The user's own requests, newest first. */
export function listOwnRequests(db: PrismaClient, userId: string) {
  return db.privacyRequest.findMany({
    where: { userId },
    orderBy: { receivedAt: "desc" },
    take: 100,
    select: ownSelect,
  });
}

/** How the requester proved it was them: the fresh re-authentication of this session. */
export const reauthIdentityCheck = (reauthenticatedAt: Date) =>
  `Fresh re-authentication (password or emailed code) at ${reauthenticatedAt.toISOString()} in the requester's own signed-in session.`;

/** An export was handed over: a completed ACCESS request (P21) for the record. */
export async function recordAccessRequest(deps: PrivacyDeps, userId: string, opts: { reauthenticatedAt: Date }) {
  const now = clock(deps);
  // Downloads repeated within a day are one request (and the download count per day is limited by the route). The
  // account's row is locked first, so parallel downloads wait for each other and find the first one's request
  // instead of each adding its own.
  return deps.db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT id FROM "User" WHERE id = ${userId} FOR UPDATE`;
    const recent = await tx.privacyRequest.findFirst({
      where: { userId, type: "ACCESS", receivedAt: { gt: new Date(now.getTime() - 24 * 60 * 60_000) } },
      orderBy: { receivedAt: "desc" },
      select: { id: true },
    });
    if (recent) return recent;
    return tx.privacyRequest.create({
      data: {
        userId,
        type: "ACCESS",
        status: "COMPLETED",
        receivedAt: now,
        dueAt: dueDateFor(now),
        identityCheck: reauthIdentityCheck(opts.reauthenticatedAt),
        identityCheckedAt: now,
        decision: "APPROVED",
        decisionReason: "Handed over immediately as a download.",
        decidedAt: now,
        completedAt: now,
      },
      select: { id: true },
    });
  });
}

async function userEmail(db: PrismaClient, userId: string) {
  const u = await db.user.findUnique({ where: { id: userId }, select: { email: true, status: true } });
  if (!u || u.status === "DELETED") throw new DomainError("NOT_FOUND", "No such account.");
  return u.email;
}

export async function requestCorrection(
  deps: PrivacyDeps,
  userId: string,
  input: { details: unknown },
  ctx: { ip: string | null; reauthenticatedAt: Date },
) {
  const details = parseInput(detailsSchema, input.details, "details");
  const email = await userEmail(deps.db, userId);
  const open = await deps.db.privacyRequest.count({ where: { userId, type: "CORRECTION", status: { in: OPEN } } });
  if (open >= 5)
    throw new DomainError(
      "CONFLICT",
      "You have 5 open correction requests. Please wait for an answer before sending more.",
    );
  if (deps.limiter) await consumeMailLimits(deps.limiter, { ip: ctx.ip ?? "unknown", recipient: email });
  const now = clock(deps);
  const created = await deps.db.privacyRequest.create({
    data: {
      userId,
      type: "CORRECTION",
      details,
      receivedAt: now,
      dueAt: dueDateFor(now),
      identityCheck: reauthIdentityCheck(ctx.reauthenticatedAt),
      identityCheckedAt: now,
    },
    select: { id: true, dueAt: true },
  });
  deps.mail.enqueue(mail.correctionReceivedEmail(email, { dueAt: created.dueAt, appUrl: deps.appUrl }));
  return created;
}

export async function requestDeletion(
  deps: PrivacyDeps,
  userId: string,
  ctx: { ip: string | null; reauthenticatedAt: Date },
) {
  const email = await userEmail(deps.db, userId);
  const existing = await deps.db.privacyRequest.findFirst({
    where: { userId, type: "DELETION", status: { in: OPEN } },
    select: { id: true },
  });
  if (existing)
    throw new DomainError(
      "CONFLICT",
      "You already asked for your account to be deleted. You can follow or cancel that request below.",
    );
  if (deps.limiter) await consumeMailLimits(deps.limiter, { ip: ctx.ip ?? "unknown", recipient: email });
  const now = clock(deps);
  const created = await deps.db.privacyRequest.create({
    data: {
      userId,
      type: "DELETION",
      receivedAt: now,
      dueAt: dueDateFor(now),
      graceEndsAt: new Date(now.getTime() + GRACE_DAYS * DAY),
      identityCheck: reauthIdentityCheck(ctx.reauthenticatedAt),
      identityCheckedAt: now,
    },
    select: { id: true, dueAt: true, graceEndsAt: true },
  });
  deps.mail.enqueue(mail.deletionRequestedEmail(email, { graceEndsAt: created.graceEndsAt!, appUrl: deps.appUrl }));
  return created;
}

/** The user cancels their own open request; a deletion only during its grace period. */
export async function cancelOwnRequest(
  deps: PrivacyDeps,
  { userId, requestId }: { userId: string; requestId: string },
) {
  const now = clock(deps);
  const r = await deps.db.privacyRequest.findFirst({
    where: { id: requestId, userId },
    select: { id: true, type: true, status: true, graceEndsAt: true },
  });
  if (!r) throw new DomainError("NOT_FOUND", "No such request.");
  if (!isOpen(r.status)) throw new DomainError("CONFLICT", "This request is already closed.");
  if (r.type === "DELETION" && r.graceEndsAt && r.graceEndsAt.getTime() <= now.getTime()) {
    throw new DomainError("CONFLICT", "The grace period of this deletion is over; it can no longer be cancelled.");
  }
  const updated = await deps.db.privacyRequest.updateMany({
    where: { id: r.id, userId, status: { in: OPEN } },
    data: { status: "CANCELLED", cancelledAt: now },
  });
  if (updated.count !== 1) throw new DomainError("CONFLICT", "This request is already closed.");
  return { id: r.id };
}

// ---------------------------------------------------------------- the DPO's desk

const requesterSelect = {
  select: { id: true, name: true, email: true, status: true, role: true, createdAt: true },
} as const;

/** The queue: every request (open first by deadline), with days left and overdue flags. */
export async function listQueue(
  deps: PrivacyDeps,
  actor: AuditActor,
  filter: { status?: "OPEN" | "DUE_SOON" | PrivacyRequestStatus; type?: PrivacyRequestType } = {},
) {
  const now = clock(deps);
  const byStatus =
    filter.status === "DUE_SOON"
      ? dueSoonWhere(now)
      : filter.status === "OPEN"
        ? { status: { in: OPEN } }
        : filter.status
          ? { status: filter.status }
          : {};
  const rows = await deps.db.privacyRequest.findMany({
    where: { ...byStatus, ...(filter.type ? { type: filter.type } : {}) },
    orderBy: [{ dueAt: "asc" }],
    take: 200,
    select: {
      id: true,
      type: true,
      status: true,
      receivedAt: true,
      dueAt: true,
      extendedUntil: true,
      graceEndsAt: true,
      identityCheckedAt: true,
      source: true,
      escalatedAt: true,
      extendedAt: true,
      // Only the requester's name in the list: their email and data are shown (and audited) on the request itself.
      user: { select: { id: true, name: true } },
      reviewer: { select: { name: true } },
    },
  });
  await recordAudit(deps.db, actor, { action: "privacy.queue.list", target: "privacy-requests" }, now);
  return rows
    .map((r) => ({
      id: r.id,
      type: r.type,
      status: r.status,
      receivedAt: r.receivedAt,
      dueAt: effectiveDue(r),
      originalDueAt: r.dueAt,
      extended: r.extendedUntil !== null,
      graceEndsAt: r.graceEndsAt,
      identityChecked: r.identityCheckedAt !== null,
      awaitingIdentity: r.status === "AWAITING_IDENTITY",
      source: r.source,
      escalated: isEscalated(r),
      requester: r.user ? { id: r.user.id, name: r.user.name } : null,
      reviewer: r.reviewer?.name ?? null,
      daysLeft: isOpen(r.status) ? daysLeft(r, now) : null,
      overdue: isOverdue(r, now),
      mine: r.user?.id === actor.id,
    }))
    .sort((a, b) => Number(isOpen(b.status)) - Number(isOpen(a.status)) || a.dueAt.getTime() - b.dueAt.getTime());
}

async function loadForStaff(db: PrismaClient, id: string) {
  const r = await db.privacyRequest.findUnique({
    where: { id },
    select: {
      id: true,
      userId: true,
      type: true,
      status: true,
      details: true,
      receivedAt: true,
      dueAt: true,
      extendedUntil: true,
      extensionReason: true,
      extendedAt: true,
      graceEndsAt: true,
      identityCheck: true,
      identityCheckedAt: true,
      decision: true,
      decisionReason: true,
      decidedAt: true,
      cancelledAt: true,
      completedAt: true,
      receipt: true,
      source: true,
      requesterEmail: true,
      ticketId: true,
      escalatedAt: true,
      user: requesterSelect,
      reviewer: { select: { name: true, role: true } },
    },
  });
  if (!r) throw new DomainError("NOT_FOUND", "No such request.");
  return r;
}

/** One request with its requester's account details and legal holds. Audited as a read of the requester's data. */
export async function getRequest(deps: PrivacyDeps, actor: AuditActor, id: string) {
  const now = clock(deps);
  const r = await loadForStaff(deps.db, id);
  const holds = r.userId
    ? await deps.db.legalHold.findMany({
        where: { userId: r.userId },
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          recordType: true,
          recordId: true,
          basis: true,
          until: true,
          createdAt: true,
          releasedAt: true,
        },
      })
    : [];
  const tickets = r.userId
    ? await deps.db.supportTicket.findMany({
        where: { requesterId: r.userId },
        orderBy: { createdAt: "desc" },
        take: 50,
        select: { id: true, subject: true, category: true, status: true, createdAt: true },
      })
    : [];
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.request.view",
      target: `privacy-request:${r.id}`,
      subjectUserId: r.userId,
      purpose: `privacy-request:${r.id}`,
    },
    now,
  );
  // The ticket the request came with: its whole thread is the request's content, for the DPO only (support sees
  // that such a ticket is with the DPO, not its messages). Reading it is a read of personal data: audited.
  const linked = r.ticketId ? await linkedTicket(deps.db, r.ticketId) : null;
  if (linked)
    await recordAudit(
      deps.db,
      actor,
      {
        action: "privacy.request.ticket.view",
        target: `ticket:${linked.id}`,
        subjectUserId: linked.requesterId ?? r.userId,
        purpose: `privacy-request:${r.id}`,
      },
      now,
    );
  return {
    ...r,
    linkedTicket: linked,
    escalated: isEscalated(r),
    effectiveDueAt: effectiveDue(r),
    daysLeft: isOpen(r.status) ? daysLeft(r, now) : null,
    overdue: isOverdue(r, now),
    latestExtension: latestExtensionFor(r.dueAt),
    holds,
    tickets,
    mine: r.userId === actor.id,
  };
}

async function linkedTicket(db: PrismaClient, ticketId: string) {
  const t = await db.supportTicket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      subject: true,
      category: true,
      channel: true,
      status: true,
      createdAt: true,
      requesterId: true,
      contactName: true,
      messages: {
        orderBy: { createdAt: "asc" },
        take: 200,
        select: { id: true, body: true, fromStaff: true, internal: true, createdAt: true },
      },
    },
  });
  return t;
}

/** Staff may act only on a tracked request: one whose requester confirmed the emailed code. */
function refuseUnconfirmed(r: { status: PrivacyRequestStatus }) {
  if (r.status === "AWAITING_IDENTITY")
    throw new DomainError(
      "PRECONDITION",
      "The requester has not confirmed the code we emailed them yet: this request is not tracked until then.",
    );
}

function refuseOwn(actor: AuditActor, r: { userId: string | null }) {
  if (r.userId !== null && r.userId === actor.id) {
    throw new DomainError("FORBIDDEN", "You cannot handle your own privacy request: another DPO must decide it.");
  }
}

export async function recordIdentityCheck(deps: PrivacyDeps, actor: AuditActor, id: string, input: { note: unknown }) {
  const note = parseInput(reasonSchema, input.note, "note");
  const now = clock(deps);
  const r = await loadForStaff(deps.db, id);
  refuseOwn(actor, r);
  refuseUnconfirmed(r);
  if (!isOpen(r.status)) throw new DomainError("CONFLICT", "This request is closed.");
  const identityCheck =
    `${r.identityCheck ? r.identityCheck + "\n" : ""}${now.toISOString()} (${actor.role ?? "staff"}): ${note}`.slice(
      -4000,
    );
  await deps.db.privacyRequest.update({
    where: { id },
    data: { identityCheck, identityCheckedAt: now },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.request.identity_check",
      target: `privacy-request:${id}`,
      subjectUserId: r.userId,
      purpose: `privacy-request:${id}`,
    },
    now,
  );
  return { identityCheck };
}

/** Art. 12(3): once, within the first month, by up to two further months, with a reason the user is emailed. */
export async function extendDeadline(
  deps: PrivacyDeps,
  actor: AuditActor,
  id: string,
  input: { until: unknown; reason: unknown },
) {
  const reason = parseInput(reasonSchema, input.reason, "reason");
  const until = parseInput(z.coerce.date({ error: "Choose the new deadline." }), input.until, "until");
  const now = clock(deps);
  const r = await loadForStaff(deps.db, id);
  refuseOwn(actor, r);
  refuseUnconfirmed(r);
  if (!isOpen(r.status)) throw new DomainError("CONFLICT", "This request is closed.");
  if (r.extendedUntil) throw new DomainError("CONFLICT", "The deadline was already extended once.");
  if (now.getTime() > r.dueAt.getTime()) {
    throw new DomainError(
      "PRECONDITION",
      "An extension must be decided and told to the user within one month of receipt; this request is already overdue.",
    );
  }
  if (until.getTime() <= r.dueAt.getTime())
    throw new DomainError("VALIDATION", "The new deadline must be after the current one.", { field: "until" });
  if (until.getTime() > latestExtensionFor(r.dueAt).getTime()) {
    throw new DomainError("VALIDATION", "The law allows at most two further months.", { field: "until" });
  }
  await deps.db.privacyRequest.update({
    where: { id },
    data: { extendedUntil: until, extensionReason: reason, extendedAt: now },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.request.extend",
      target: `privacy-request:${id}`,
      subjectUserId: r.userId,
      purpose: `privacy-request:${id}`,
    },
    now,
  );
  if (r.user && r.user.status !== "DELETED")
    deps.mail.enqueue(mail.requestExtendedEmail(r.user.email, { type: r.type, until, reason, appUrl: deps.appUrl }));
  return { extendedUntil: until };
}

export const ERASE_QUEUE = "privacy.erase";

/**
 * Approve or reject with a reason the user reads. A deletion, once approved, waits for its grace period and then
 * the erasure job; other requests are completed by the decision (the DPO made the correction by then).
 */
export async function decideRequest(
  deps: PrivacyDeps,
  actor: AuditActor,
  id: string,
  input: { decision: unknown; reason: unknown },
) {
  const decision = parseInput(
    z.enum(["APPROVED", "REJECTED"], { error: "Choose approve or reject." }),
    input.decision,
    "decision",
  );
  const reason = parseInput(reasonSchema, input.reason, "reason");
  const now = clock(deps);
  const r = await loadForStaff(deps.db, id);
  refuseOwn(actor, r);
  refuseUnconfirmed(r);
  if (r.status !== "PENDING")
    throw new DomainError("CONFLICT", "This request was already decided, cancelled or completed.");
  const to = r.user && r.user.status !== "DELETED" ? r.user.email : r.requesterEmail;
  if (!actor.id || !to) throw new DomainError("CONFLICT", "This request has no account or address to answer.");
  if (!r.user && r.type === "DELETION" && decision === "APPROVED")
    throw new DomainError(
      "CONFLICT",
      "No account holds this address, so there is no account to erase: answer the requester and close the request.",
    );
  const status: PrivacyRequestStatus =
    decision === "REJECTED" ? "REJECTED" : r.type === "DELETION" ? "APPROVED" : "COMPLETED";
  const updated = await deps.db.privacyRequest.updateMany({
    where: { id, status: "PENDING" },
    data: {
      status,
      decision,
      decisionReason: reason,
      decidedAt: now,
      reviewerId: actor.id,
      ...(status === "COMPLETED" ? { completedAt: now } : {}),
    },
  });
  if (updated.count !== 1)
    throw new DomainError("CONFLICT", "This request was already decided, cancelled or completed.");
  await recordAudit(
    deps.db,
    actor,
    {
      action: `privacy.request.${decision === "APPROVED" ? "approve" : "reject"}`,
      target: `privacy-request:${id}`,
      subjectUserId: r.userId,
      purpose: `privacy-request:${id}`,
    },
    now,
  );
  deps.mail.enqueue(
    mail.requestDecidedEmail(to, {
      type: r.type,
      approved: decision === "APPROVED",
      reason,
      graceEndsAt: r.graceEndsAt,
      appUrl: deps.appUrl,
      noAccount: !r.user,
    }),
  );
  if (status === "APPROVED" && deps.jobs) {
    const startAfter = r.graceEndsAt && r.graceEndsAt > now ? r.graceEndsAt : now;
    await deps.jobs.send(ERASE_QUEUE, { requestId: id }, { startAfter, singletonKey: `erase:${id}` });
  }
  return { status };
}

// ---------------------------------------------------------------- legal holds

const holdSchema = z.object({
  recordType: z.enum(["SUPPORT_TICKET"]),
  recordId: z.string().min(1).max(64),
  basis: reasonSchema,
  until: z.coerce.date(),
});

/** Defers the erasure of one record of a user (a support ticket under dispute), with its documented basis. */
export async function placeLegalHold(deps: PrivacyDeps, actor: AuditActor, requestId: string, input: unknown) {
  const parsed = holdSchema.safeParse(input);
  if (!parsed.success)
    throw new DomainError("VALIDATION", parsed.error.issues[0]?.message ?? "Check the hold.", {
      field: String(parsed.error.issues[0]?.path[0] ?? ""),
    });
  const h = parsed.data;
  const now = clock(deps);
  const r = await loadForStaff(deps.db, requestId);
  refuseOwn(actor, r);
  refuseUnconfirmed(r);
  if (!r.userId || !isOpen(r.status))
    throw new DomainError("CONFLICT", "Holds can only be placed while the request is open.");
  if (h.until.getTime() <= now.getTime() || h.until.getTime() > addMonths(now, 72).getTime()) {
    throw new DomainError("VALIDATION", "The hold must end in the future and within 6 years.", { field: "until" });
  }
  const ticket = await deps.db.supportTicket.findFirst({
    where: { id: h.recordId, requesterId: r.userId },
    select: { id: true },
  });
  if (!ticket) throw new DomainError("NOT_FOUND", "That ticket is not one of this requester's.", { field: "recordId" });
  const hold = await deps.db.legalHold.create({
    data: {
      userId: r.userId,
      recordType: h.recordType,
      recordId: h.recordId,
      basis: h.basis,
      until: h.until,
      createdById: actor.id,
      createdAt: now,
    },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.hold.place",
      target: `legal-hold:${hold.id}`,
      subjectUserId: r.userId,
      purpose: `privacy-request:${requestId}`,
    },
    now,
  );
  return hold;
}

export async function releaseLegalHold(deps: PrivacyDeps, actor: AuditActor, holdId: string) {
  const now = clock(deps);
  const hold = await deps.db.legalHold.findUnique({
    where: { id: holdId },
    select: { id: true, userId: true, releasedAt: true },
  });
  if (!hold) throw new DomainError("NOT_FOUND", "No such hold.");
  refuseOwn(actor, hold);
  if (hold.releasedAt) throw new DomainError("CONFLICT", "This hold was already released.");
  await deps.db.legalHold.update({
    where: { id: holdId },
    data: { releasedAt: now, releasedById: actor.id },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    actor,
    {
      action: "privacy.hold.release",
      target: `legal-hold:${holdId}`,
      subjectUserId: hold.userId,
      purpose: `legal-hold:${holdId}`,
    },
    now,
  );
  return { id: holdId };
}

// ---------------------------------------------------------------- privacy center

/** Staff access to the user's data, for the user's own ledger: by role, when, what, why. Never who by name or email. */
export async function staffAccessLedger(db: PrismaClient, userId: string, take = 100) {
  const rows = await db.auditEvent.findMany({
    where: { subjectUserId: userId, actorRole: { in: ["SUPPORT", "DPO", "ADMIN"] } },
    orderBy: { at: "desc" },
    take,
    select: { id: true, at: true, actorRole: true, action: true, purpose: true },
  });
  return rows.map((r) => ({ id: r.id, at: r.at, role: r.actorRole, action: r.action, purpose: r.purpose }));
}

/** Counts per category of what we hold, for the privacy center's summary. */
export async function holdingsSummary(db: PrismaClient, userId: string) {
  const [sessions, bookings, preferences, tickets, requests, staffAccess, avatar] = await Promise.all([
    db.session.count({ where: { userId } }),
    db.booking.count({ where: { userId } }),
    db.wellnessPreference.count({ where: { userId } }),
    db.supportTicket.count({ where: { requesterId: userId } }),
    db.privacyRequest.count({ where: { userId } }),
    db.auditEvent.count({ where: { subjectUserId: userId } }),
    db.userAvatar.count({ where: { userId } }),
  ]);
  return { sessions, bookings, preferences, tickets, requests, staffAccess, avatar: avatar > 0 };
}

/**
 * Support tickets filed under "Privacy and my data", for the DPO's desk: subject and status only (contents stay
 * with support). The listing is audited.
 */
export async function listPrivacyTickets({ db, actor }: { db: PrismaClient; actor: AuditActor }) {
  const rows = await db.supportTicket.findMany({
    where: { category: "PRIVACY" },
    orderBy: { createdAt: "desc" },
    take: 100,
    select: {
      id: true,
      subject: true,
      status: true,
      channel: true,
      createdAt: true,
      requester: { select: { id: true, name: true } },
      contactName: true,
    },
  });
  await recordAudit(db, actor, { action: "privacy.tickets.list", target: "tickets:PRIVACY" });
  return rows.map((r) => ({
    id: r.id,
    subject: r.subject,
    status: r.status,
    channel: r.channel,
    createdAt: r.createdAt,
    requester: r.requester?.name ?? r.contactName ?? "Visitor",
  }));
}
