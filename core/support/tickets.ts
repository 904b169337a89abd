// Support tickets (privacy promise P3: requests by email, message or call). Users open tickets on the site,
// visitors through the contact form, agents log phone calls and emails on a person's behalf; the channel is
// recorded. Requester functions are scoped by owner (another person's ticket is "not found"), and never return
// internal notes. Staff functions take an actor and leave an AuditEvent for every read or write of the
// requester's data, with the ticket id as its purpose. Authorization of staff (role, second factor,
// permission) is the back-office's job (admin/server); these functions assume it was done.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Role, TicketPriority, TicketStatus } from "../generated/prisma/enums.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError, parseInput } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { consumeMailLimits, type RateLimiter } from "../platform/rate-limit.ts";
import { emailSchema } from "../identity/users.ts";
import { firstName } from "../identity/names.ts";
import * as templates from "./mail.ts";

export const TICKET_STATUSES = ["NEW", "OPEN", "PENDING_USER", "ON_HOLD", "RESOLVED", "CLOSED"] as const;
export const TICKET_PRIORITIES = ["LOW", "NORMAL", "HIGH", "URGENT"] as const;
export const TICKET_CATEGORIES = ["ACCOUNT", "BOOKING", "PAYMENT", "PRIVACY", "TECHNICAL", "OTHER"] as const;
export const TICKET_CHANNELS = ["WEB", "CONTACT_FORM", "EMAIL", "PHONE"] as const;

export const categoryLabels: Record<(typeof TICKET_CATEGORIES)[number], string> = {
  ACCOUNT: "My account",
  BOOKING: "A booking or session",
  PAYMENT: "Payments",
  PRIVACY: "Privacy and my data",
  TECHNICAL: "Something is not working",
  OTHER: "Something else",
};

const HOUR = 3_600_000;
/**
 * Service levels per priority, the one place they are defined: hours from the ticket's creation to the first
 * staff reply and to resolution. Changing the priority recomputes both due times (setTicketPriority).
 */
export const SLA_HOURS: Record<TicketPriority, { firstResponse: number; resolution: number }> = {
  URGENT: { firstResponse: 1, resolution: 24 },
  HIGH: { firstResponse: 4, resolution: 72 },
  NORMAL: { firstResponse: 24, resolution: 120 },
  LOW: { firstResponse: 72, resolution: 240 },
};

/** Due times from the creation, moved on by the time the clock has stood still (waiting for the requester). */
export function dueTimes(createdAt: Date, priority: TicketPriority, pausedMs = 0) {
  const sla = SLA_HOURS[priority];
  return {
    firstResponseDueAt: new Date(createdAt.getTime() + sla.firstResponse * HOUR + pausedMs),
    resolutionDueAt: new Date(createdAt.getTime() + sla.resolution * HOUR + pausedMs),
  };
}

const DONE: TicketStatus[] = ["RESOLVED", "CLOSED"];
/**
 * Statuses in which the service-level clock stands still: the ticket waits for the requester, and an agent cannot
 * be late for an answer they are waiting for (as in Zammad's pending states). On hold (a third party, an internal
 * question) keeps running: the person is still waiting for us.
 */
export const SLA_PAUSED: TicketStatus[] = ["PENDING_USER"];

interface SlaFields {
  status: TicketStatus;
  firstResponseDueAt: Date;
  resolutionDueAt: Date;
  firstRespondedAt: Date | null;
  slaPausedAt?: Date | null;
}

/** The database condition of isOverdue: the queue's filter and the console's counts use it. */
export function overdueWhere(at: Date) {
  return {
    status: { notIn: [...DONE, ...SLA_PAUSED] },
    OR: [{ firstRespondedAt: null, firstResponseDueAt: { lte: at } }, { resolutionDueAt: { lte: at } }],
  } satisfies Prisma.SupportTicketWhereInput;
}

export function isOverdue(t: SlaFields, now = new Date()): boolean {
  if (DONE.includes(t.status) || SLA_PAUSED.includes(t.status)) return false;
  return (!t.firstRespondedAt && t.firstResponseDueAt <= now) || t.resolutionDueAt <= now;
}

/**
 * The clock a staff member watches on an open ticket: the first response until it is given, then the resolution.
 * Done tickets have none. `msLeft` is negative once overdue; while the ticket waits for the requester the clock is
 * paused and `msLeft` is what was left when it stopped.
 */
export function slaClock(
  t: SlaFields,
  now = new Date(),
): { target: "firstResponse" | "resolution"; dueAt: Date; msLeft: number; overdue: boolean; paused: boolean } | null {
  if (DONE.includes(t.status)) return null;
  // A missed first response stays the headline even if resolution is due later: it is the promise already broken.
  const target = t.firstRespondedAt ? "resolution" : "firstResponse";
  const dueAt = target === "firstResponse" ? t.firstResponseDueAt : t.resolutionDueAt;
  const paused = SLA_PAUSED.includes(t.status);
  const stoppedAt = paused ? (t.slaPausedAt ?? now) : now;
  const msLeft = dueAt.getTime() - stoppedAt.getTime();
  return { target, dueAt, msLeft, overdue: isOverdue(t, now), paused };
}

/**
 * The clock's fields for a status change at `at`: entering a paused status stops it; leaving one moves both due
 * times on by the time it stood still (the first response only while not yet given) and adds that to the total,
 * so a priority change later keeps the credit (dueTimes + slaPausedMs).
 */
export function slaOnStatus(
  t: { status: TicketStatus; slaPausedAt: Date | null; slaPausedMs: number } & Omit<SlaFields, "status">,
  next: TicketStatus,
  at: Date,
) {
  const wasPaused = SLA_PAUSED.includes(t.status);
  const willPause = SLA_PAUSED.includes(next);
  if (!wasPaused && willPause) return { slaPausedAt: at };
  if (!wasPaused || willPause) return {};
  const stood = Math.max(0, at.getTime() - (t.slaPausedAt ?? at).getTime());
  return {
    slaPausedAt: null,
    slaPausedMs: t.slaPausedMs + stood,
    resolutionDueAt: new Date(t.resolutionDueAt.getTime() + stood),
    ...(t.firstRespondedAt ? {} : { firstResponseDueAt: new Date(t.firstResponseDueAt.getTime() + stood) }),
  };
}

export interface SupportDeps {
  db: PrismaClient;
  mail: MailQueue;
  limiter: RateLimiter;
  appUrl: string;
  now?: () => Date;
}
const now = (deps: { now?: () => Date }) => deps.now?.() ?? new Date();

const subjectSchema = z
  .string()
  .trim()
  .min(3, "Write a short subject (at least 3 characters).")
  .max(150, "Keep the subject under 150 characters.");
const bodySchema = z
  .string()
  .trim()
  .min(1, "Write a message.")
  .max(10_000, "Keep the message under 10,000 characters.");
/**
 * What people may choose on the help and contact forms. PAYMENT stays in the database for old tickets, but there
 * are no payments on Mind Namo, so nobody is offered it.
 */
export const REQUEST_CATEGORIES = ["ACCOUNT", "BOOKING", "PRIVACY", "TECHNICAL", "OTHER"] as const;
export const requestCategoryOptions = REQUEST_CATEGORIES.map((value) => ({ value, label: categoryLabels[value] }));

const categorySchema = z.enum(REQUEST_CATEGORIES, { error: "Choose what your request is about." });

/** Checks every field of a form and reports all problems at once (people fix a form in one pass, not one by one). */
function parseAll<S extends Record<string, z.ZodType>>(
  schemas: S,
  values: Record<keyof S, unknown>,
): { [K in keyof S]: z.output<S[K]> } {
  const out: Record<string, unknown> = {};
  const fields: Record<string, string> = {};
  for (const key of Object.keys(schemas)) {
    const r = schemas[key]!.safeParse(values[key]);
    if (r.success) out[key] = r.data;
    else fields[key] = r.error.issues[0]?.message ?? "Check this field.";
  }
  const first = Object.keys(fields)[0];
  if (first) throw new DomainError("VALIDATION", fields[first]!, { field: first, fields });
  return out as { [K in keyof S]: z.output<S[K]> };
}

// ---------------------------------------------------------------- requester side (site)

export async function openTicket(
  deps: SupportDeps,
  userId: string,
  input: { subject: unknown; category: unknown; message: unknown },
) {
  const {
    subject,
    category,
    message: body,
  } = parseAll({ subject: subjectSchema, category: categorySchema, message: bodySchema }, input);
  const createdAt = now(deps);
  return deps.db.supportTicket.create({
    data: {
      requesterId: userId,
      subject,
      category,
      channel: "WEB",
      createdAt,
      ...dueTimes(createdAt, "NORMAL"),
      messages: { create: { authorId: userId, body, createdAt } },
    },
    select: { id: true },
  });
}

/** The logged-out contact form: email required, limited per IP and per address, confirmation email. */
export async function submitContactForm(
  deps: SupportDeps,
  input: { email: unknown; name: unknown; subject: unknown; category: unknown; message: unknown },
  ip: string,
) {
  const {
    email,
    name,
    subject,
    category,
    message: body,
  } = parseAll(
    {
      email: emailSchema,
      name: z.string().trim().max(100, "Keep your name under 100 characters."),
      subject: subjectSchema,
      category: categorySchema,
      message: bodySchema,
    },
    { ...input, name: input.name ?? "" },
  );
  await consumeMailLimits(deps.limiter, { ip, recipient: email });
  const createdAt = now(deps);
  const ticket = await deps.db.supportTicket.create({
    data: {
      contactEmail: email,
      contactName: name || null,
      subject,
      category,
      channel: "CONTACT_FORM",
      createdAt,
      ...dueTimes(createdAt, "NORMAL"),
      messages: { create: { authorId: null, body, createdAt } },
    },
    select: { id: true },
  });
  deps.mail.enqueue(templates.contactReceived(email, subject));
  return ticket;
}

/**
 * The tickets that are a person's: the ones they opened signed in, and the ones from their address through the
 * contact form, email or phone (no account attached) once that address is verified on their account. An
 * unverified address matches nothing, so nobody reads another person's tickets by signing up with their address;
 * a ticket attached to another account never matches. An account that moves to another address takes the old
 * address's tickets with it (support/ownership.ts), so they never pass to the address's next holder.
 */
async function mine(db: PrismaClient, who: string | TicketOwner): Promise<Prisma.SupportTicketWhereInput> {
  const userId = typeof who === "string" ? who : who.id;
  const owner =
    typeof who === "string"
      ? await db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } })
      : who;
  if (!owner?.emailVerifiedAt) return { requesterId: userId };
  return {
    OR: [{ requesterId: userId }, { requesterId: null, contactEmail: { equals: owner.email, mode: "insensitive" } }],
  };
}

/** The account as a signed-in page already knows it (the session's user): saves looking its address up again. */
export interface TicketOwner {
  id: string;
  email: string;
  emailVerifiedAt: Date | null;
}

export async function listMyTickets(db: PrismaClient, who: string | TicketOwner) {
  return db.supportTicket.findMany({
    where: await mine(db, who),
    orderBy: { updatedAt: "desc" },
    take: 200,
    select: { id: true, subject: true, category: true, status: true, createdAt: true, updatedAt: true },
  });
}

/** The requester's own ticket, without internal notes; another person's id is NOT_FOUND. */
export async function getMyTicket(db: PrismaClient, { userId, ticketId }: { userId: string; ticketId: string }) {
  const ticket = await db.supportTicket.findFirst({
    where: { AND: [{ id: ticketId }, await mine(db, userId)] },
    select: {
      id: true,
      subject: true,
      category: true,
      status: true,
      createdAt: true,
      resolvedAt: true,
      satisfaction: true,
      messages: {
        where: { internal: false },
        orderBy: { createdAt: "asc" },
        select: { id: true, body: true, createdAt: true, fromStaff: true, author: { select: { name: true } } },
      },
    },
  });
  if (!ticket) throw new DomainError("NOT_FOUND", "We could not find that request.");
  return {
    ...ticket,
    messages: ticket.messages.map((m) => ({
      id: m.id,
      body: m.body,
      createdAt: m.createdAt,
      fromStaff: m.fromStaff,
      // Staff are shown by first name only.
      authorName: m.fromStaff ? `${firstName(m.author?.name ?? "Support")} (Mind Namo support)` : "You",
    })),
  };
}

async function ownTicket(db: PrismaClient, userId: string, ticketId: string) {
  const t = await db.supportTicket.findFirst({
    where: { AND: [{ id: ticketId }, await mine(db, userId)] },
    select: {
      id: true,
      status: true,
      resolvedAt: true,
      satisfaction: true,
      firstResponseDueAt: true,
      resolutionDueAt: true,
      firstRespondedAt: true,
      slaPausedAt: true,
      slaPausedMs: true,
    },
  });
  if (!t) throw new DomainError("NOT_FOUND", "We could not find that request.");
  return t;
}

export async function replyAsRequester(
  deps: SupportDeps,
  input: { userId: string; ticketId: string; message: unknown },
) {
  const { userId, ticketId } = input;
  const body = parseInput(bodySchema, input.message, "message");
  const t = await ownTicket(deps.db, userId, ticketId);
  if (t.status === "CLOSED")
    throw new DomainError("PRECONDITION", "This request is closed. Open a new one if you need more help.");
  const at = now(deps);
  const next = t.status === "NEW" ? "NEW" : "OPEN";
  await deps.db.$transaction([
    deps.db.ticketMessage.create({ data: { ticketId, authorId: userId, body, createdAt: at }, select: { id: true } }),
    deps.db.supportTicket.update({
      where: { id: ticketId },
      // A reply from the person puts the ticket back in the agents' hands (and reopens a resolved one); a clock
      // that stood still while we waited for it runs again.
      data: { status: next, resolvedAt: null, ...slaOnStatus(t, next, at) },
      select: { id: true },
    }),
  ]);
}

export async function closeAsRequester(deps: SupportDeps, { userId, ticketId }: { userId: string; ticketId: string }) {
  const t = await ownTicket(deps.db, userId, ticketId);
  if (t.status === "CLOSED") return;
  const at = now(deps);
  await deps.db.supportTicket.update({
    where: { id: ticketId },
    data: { status: "CLOSED", closedAt: at, resolvedAt: t.resolvedAt ?? at, ...slaOnStatus(t, "CLOSED", at) },
    select: { id: true },
  });
}

export async function rateTicket(
  deps: SupportDeps,
  input: { userId: string; ticketId: string; rating: unknown; comment?: unknown },
) {
  const { userId, ticketId } = input;
  const rating = parseInput(
    z.coerce.number().int().min(1, "Choose 1 to 5.").max(5, "Choose 1 to 5."),
    input.rating,
    "rating",
  );
  const comment = parseInput(z.string().trim().max(1000).optional(), input.comment || undefined, "comment");
  const t = await ownTicket(deps.db, userId, ticketId);
  if (!DONE.includes(t.status))
    throw new DomainError("PRECONDITION", "You can rate the help once your request is resolved.");
  if (t.satisfaction !== null) throw new DomainError("CONFLICT", "You have already rated this request. Thank you!");
  await deps.db.supportTicket.update({
    where: { id: ticketId },
    data: { satisfaction: rating, satisfactionComment: comment ?? null },
    select: { id: true },
  });
}

// ---------------------------------------------------------------- staff side (back-office)

export interface StaffActor {
  id: string;
  role: Role;
  ip: string;
}
const auditActor = (a: StaffActor): AuditActor => ({ id: a.id, role: a.role, ip: a.ip });

export const queueFilterSchema = z.object({
  /** Words in the subject or any message, or the requester's name (not for privacy tickets: those are the DPO's). */
  q: z.string().trim().max(100).optional(),
  status: z.enum(TICKET_STATUSES).optional(),
  priority: z.enum(TICKET_PRIORITIES).optional(),
  channel: z.enum(TICKET_CHANNELS).optional(),
  category: z.enum(TICKET_CATEGORIES).optional(),
  /** a staff user id, "me", or "none" */
  assignee: z.string().max(64).optional(),
  overdue: z.boolean().optional(),
  /** default: everything not closed */
  includeClosed: z.boolean().default(false),
  limit: z.number().int().min(1).max(200).default(100),
});
export type QueueFilter = z.infer<typeof queueFilterSchema>;

/** The database condition for a queue filter; shared by the queue and the saved views' counts. */
export function queueWhere(actor: StaffActor, f: Omit<QueueFilter, "limit">, at = new Date()) {
  const assigneeId = f.assignee === "me" ? actor.id : f.assignee === "none" ? null : f.assignee;
  const q = f.q?.trim();
  const contains = (v: string) => ({ contains: v, mode: "insensitive" as const });
  return {
    AND: [
      f.status ? { status: f.status } : f.includeClosed ? {} : { status: { not: "CLOSED" as const } },
      f.priority ? { priority: f.priority } : {},
      f.channel ? { channel: f.channel } : {},
      f.category ? { category: f.category } : {},
      f.assignee !== undefined ? { assigneeId } : {},
      f.overdue ? overdueWhere(at) : {},
      q
        ? {
            OR: [
              // A privacy ticket's subject is the DPO's to read (and so to search): support would otherwise learn
              // it by searching word by word.
              actor.role === "DPO" ? { subject: contains(q) } : { subject: contains(q), ...NOT_PRIVACY },
              {
                ...NOT_PRIVACY,
                OR: [
                  { messages: { some: { body: contains(q) } } },
                  { requester: { name: contains(q) } },
                  { contactName: contains(q) },
                ],
              },
            ],
          }
        : {},
    ],
  } satisfies Prisma.SupportTicketWhereInput;
}

/**
 * The queue shows no personal data (no names or emails): opening a ticket does, and is audited. A privacy ticket's
 * subject is written by the person about their own data: support sees that the ticket is with the DPO, not what it
 * says.
 */
export async function ticketQueue(db: PrismaClient, actor: StaffActor, f: QueueFilter, at = new Date()) {
  const rows = await db.supportTicket.findMany({
    where: queueWhere(actor, f, at),
    // Live tickets first, soonest due first; resolved and closed ones (resolvedAt set) after them, where nothing is
    // due any more: a queue led by finished work hides what needs an answer.
    orderBy: [{ resolvedAt: { sort: "asc", nulls: "first" } }, { firstResponseDueAt: "asc" }],
    take: f.limit,
    select: {
      id: true,
      _count: { select: { privacyRequests: true } },
      subject: true,
      category: true,
      channel: true,
      status: true,
      priority: true,
      createdAt: true,
      updatedAt: true,
      firstResponseDueAt: true,
      slaPausedAt: true,
      resolutionDueAt: true,
      firstRespondedAt: true,
      assignee: { select: { id: true, name: true } },
    },
  });
  return rows.map(({ _count, ...r }) => {
    const withDpo = isPrivacyTicket({ category: r.category, _count }) && sealedFor(actor);
    return {
      ...r,
      subject: withDpo ? PRIVACY_SUBJECT : r.subject,
      withDpo,
      overdue: isOverdue(r, at),
      sla: slaClock(r, at),
    };
  });
}

/**
 * A privacy ticket (filed under "Privacy and my data", or the ticket a privacy request came with) is the DPO's:
 * its messages are the request's content, so support sees that it is with the DPO but not what it says.
 */
export function isPrivacyTicket(t: { category: string; _count?: { privacyRequests: number } }) {
  return t.category === "PRIVACY" || (t._count?.privacyRequests ?? 0) > 0;
}
const sealedFor = (actor: StaffActor) => actor.role !== "DPO";
/** What anyone but the DPO reads in place of a privacy ticket's subject. */
export const PRIVACY_SUBJECT = "Privacy request (with the Data Protection Officer)";
/** Neither filed under privacy nor carrying a privacy request. */
const NOT_PRIVACY = { category: { not: "PRIVACY" as const }, privacyRequests: { none: {} } };
const WITH_DPO = "This ticket is a privacy request: it is with the Data Protection Officer, who answers it.";

/**
 * A ticket with its whole thread and the requester's name, email and account status. Audited. For a privacy ticket
 * a support agent gets the ticket without its messages (withDpo: true).
 */
export async function getTicketForStaff(db: PrismaClient, actor: StaffActor, ticketId: string, at = new Date()) {
  const t = await db.supportTicket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      _count: { select: { privacyRequests: true } },
      subject: true,
      category: true,
      channel: true,
      status: true,
      priority: true,
      createdAt: true,
      firstResponseDueAt: true,
      slaPausedAt: true,
      resolutionDueAt: true,
      firstRespondedAt: true,
      resolvedAt: true,
      closedAt: true,
      satisfaction: true,
      satisfactionComment: true,
      contactEmail: true,
      contactName: true,
      requesterId: true,
      requester: { select: { id: true, name: true, email: true, status: true, emailVerifiedAt: true } },
      assignee: { select: { id: true, name: true } },
      messages: {
        orderBy: { createdAt: "asc" },
        select: {
          id: true,
          body: true,
          internal: true,
          fromStaff: true,
          createdAt: true,
          author: { select: { id: true, name: true } },
        },
      },
    },
  });
  if (!t) throw new DomainError("NOT_FOUND", "No ticket with that id.");
  await recordAudit(
    db,
    auditActor(actor),
    { action: "ticket.view", target: `ticket:${t.id}`, subjectUserId: t.requesterId, purpose: t.id },
    at,
  );
  const { requester, contactEmail, contactName, _count, messages, ...rest } = t;
  const withDpo = isPrivacyTicket(t) && sealedFor(actor);
  return {
    ...rest,
    subject: withDpo ? PRIVACY_SUBJECT : rest.subject,
    satisfactionComment: withDpo ? null : rest.satisfactionComment,
    messages: withDpo ? [] : messages,
    withDpo,
    overdue: isOverdue(t, at),
    sla: slaClock(t, at),
    requester: requester
      ? {
          kind: "account" as const,
          id: requester.id,
          name: requester.name,
          email: requester.email,
          accountStatus: requester.status,
          emailVerified: Boolean(requester.emailVerifiedAt),
        }
      : {
          kind: "visitor" as const,
          id: null,
          name: contactName,
          email: contactEmail,
          accountStatus: null,
          emailVerified: false,
        },
  };
}

async function ticketForWrite(db: PrismaClient, ticketId: string) {
  const t = await db.supportTicket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      category: true,
      _count: { select: { privacyRequests: true } },
      status: true,
      priority: true,
      createdAt: true,
      subject: true,
      requesterId: true,
      contactEmail: true,
      firstRespondedAt: true,
      firstResponseDueAt: true,
      resolutionDueAt: true,
      slaPausedAt: true,
      slaPausedMs: true,
      resolvedAt: true,
      requester: { select: { email: true, status: true } },
    },
  });
  if (!t) throw new DomainError("NOT_FOUND", "No ticket with that id.");
  return t;
}

export async function assignTicket(
  db: PrismaClient,
  actor: StaffActor,
  input: { ticketId: string; assigneeId: string | null },
) {
  const t = await ticketForWrite(db, input.ticketId);
  if (input.assigneeId) {
    const agent = await db.user.findUnique({ where: { id: input.assigneeId }, select: { role: true, status: true } });
    if (!agent || agent.role !== "SUPPORT" || agent.status !== "ACTIVE")
      throw new DomainError("VALIDATION", "Tickets can be assigned to active support agents only.", {
        field: "assigneeId",
      });
  }
  await db.supportTicket.update({
    where: { id: t.id },
    data: { assigneeId: input.assigneeId, ...(t.status === "NEW" && input.assigneeId ? { status: "OPEN" } : {}) },
    select: { id: true },
  });
  await recordAudit(db, auditActor(actor), {
    action: "ticket.assign",
    target: `ticket:${t.id}`,
    subjectUserId: t.requesterId,
    purpose: t.id,
  });
}

export async function setTicketStatus(
  db: PrismaClient,
  actor: StaffActor,
  input: { ticketId: string; status: TicketStatus },
  at = new Date(),
) {
  const t = await ticketForWrite(db, input.ticketId);
  await db.supportTicket.update({
    where: { id: t.id },
    data: {
      status: input.status,
      resolvedAt: DONE.includes(input.status) ? (t.resolvedAt ?? at) : null,
      closedAt: input.status === "CLOSED" ? at : null,
      ...slaOnStatus(t, input.status, at),
    },
    select: { id: true },
  });
  await recordAudit(
    db,
    auditActor(actor),
    { action: `ticket.status.${input.status}`, target: `ticket:${t.id}`, subjectUserId: t.requesterId, purpose: t.id },
    at,
  );
}

export async function setTicketPriority(
  db: PrismaClient,
  actor: StaffActor,
  input: { ticketId: string; priority: TicketPriority },
) {
  const t = await ticketForWrite(db, input.ticketId);
  await db.supportTicket.update({
    where: { id: t.id },
    data: { priority: input.priority, ...dueTimes(t.createdAt, input.priority, t.slaPausedMs) },
    select: { id: true },
  });
  await recordAudit(db, auditActor(actor), {
    action: `ticket.priority.${input.priority}`,
    target: `ticket:${t.id}`,
    subjectUserId: t.requesterId,
    purpose: t.id,
  });
}

/** A reply the requester sees (and is emailed about). Sets the first response; by default waits for the user. */
export async function replyAsStaff(
  deps: SupportDeps,
  actor: StaffActor,
  input: { ticketId: string; body: string; status?: TicketStatus },
) {
  const body = parseInput(bodySchema, input.body, "body");
  const t = await ticketForWrite(deps.db, input.ticketId);
  if (isPrivacyTicket(t) && sealedFor(actor)) throw new DomainError("FORBIDDEN", WITH_DPO);
  if (t.status === "CLOSED") throw new DomainError("PRECONDITION", "This ticket is closed.");
  const at = now(deps);
  const status = input.status ?? "PENDING_USER";
  await deps.db.$transaction([
    deps.db.ticketMessage.create({
      data: { ticketId: t.id, authorId: actor.id, fromStaff: true, body, createdAt: at },
      select: { id: true },
    }),
    deps.db.supportTicket.update({
      where: { id: t.id },
      data: {
        status,
        firstRespondedAt: t.firstRespondedAt ?? at,
        resolvedAt: DONE.includes(status) ? (t.resolvedAt ?? at) : null,
        closedAt: status === "CLOSED" ? at : null,
        // The reply is the first response: only the resolution's due time can move when the clock runs again.
        ...slaOnStatus({ ...t, firstRespondedAt: t.firstRespondedAt ?? at }, status, at),
      },
      select: { id: true },
    }),
  ]);
  await recordAudit(
    deps.db,
    auditActor(actor),
    { action: "ticket.reply", target: `ticket:${t.id}`, subjectUserId: t.requesterId, purpose: t.id },
    at,
  );
  if (t.requester) {
    // Account holders read the reply on the site; the email carries no content, only a link.
    if (t.requester.status === "ACTIVE")
      deps.mail.enqueue(
        templates.replyNotice(t.requester.email, t.subject, `${deps.appUrl}/help/${t.id}`, status === "RESOLVED"),
      );
  } else if (t.contactEmail) {
    // Visitors have no account: the reply travels by email.
    deps.mail.enqueue(templates.replyToVisitor(t.contactEmail, t.subject, body));
  }
}

export async function addInternalNote(db: PrismaClient, actor: StaffActor, input: { ticketId: string; body: string }) {
  const body = parseInput(bodySchema, input.body, "body");
  const t = await ticketForWrite(db, input.ticketId);
  if (isPrivacyTicket(t) && sealedFor(actor)) throw new DomainError("FORBIDDEN", WITH_DPO);
  await db.ticketMessage.create({
    data: { ticketId: t.id, authorId: actor.id, fromStaff: true, internal: true, body },
    select: { id: true },
  });
  await recordAudit(db, auditActor(actor), {
    action: "ticket.note",
    target: `ticket:${t.id}`,
    subjectUserId: t.requesterId,
    purpose: t.id,
  });
}

/** A ticket an agent logs for a phone call or an email, on behalf of an account holder (found by email). */
export async function logTicketOnBehalf(
  deps: SupportDeps,
  actor: StaffActor,
  input: {
    channel: "EMAIL" | "PHONE";
    email: string;
    subject: string;
    category: (typeof TICKET_CATEGORIES)[number];
    message: string;
    priority: TicketPriority;
  },
) {
  const email = parseInput(emailSchema, input.email, "email");
  const subject = parseInput(subjectSchema, input.subject, "subject");
  const body = parseInput(bodySchema, input.message, "message");
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true } });
  const createdAt = now(deps);
  const ticket = await deps.db.supportTicket.create({
    data: {
      requesterId: user?.id ?? null,
      contactEmail: user ? null : email,
      subject,
      category: input.category,
      channel: input.channel,
      priority: input.priority,
      createdAt,
      ...dueTimes(createdAt, input.priority),
      messages: { create: { authorId: user?.id ?? null, body, createdAt } },
    },
    select: { id: true },
  });
  await recordAudit(
    deps.db,
    auditActor(actor),
    {
      action: `ticket.log.${input.channel}`,
      target: `ticket:${ticket.id}`,
      subjectUserId: user?.id ?? null,
      purpose: ticket.id,
    },
    createdAt,
  );
  return ticket;
}

export function listCannedReplies(db: PrismaClient) {
  return db.cannedReply.findMany({
    orderBy: { title: "asc" },
    take: 200,
    select: { id: true, title: true, body: true },
  });
}

export async function createCannedReply(db: PrismaClient, actor: StaffActor, input: { title: string; body: string }) {
  const title = parseInput(z.string().trim().min(2).max(100), input.title, "title");
  const body = parseInput(bodySchema, input.body, "body");
  const row = await db.cannedReply.upsert({
    where: { title },
    create: { title, body },
    update: { body },
    select: { id: true },
  });
  await recordAudit(db, auditActor(actor), { action: "canned_reply.save", target: `canned:${row.id}` });
  return row;
}

export async function deleteCannedReply(db: PrismaClient, actor: StaffActor, id: string) {
  const { count } = await db.cannedReply.deleteMany({ where: { id } });
  if (count === 0) throw new DomainError("NOT_FOUND", "No canned reply with that id.");
  await recordAudit(db, auditActor(actor), { action: "canned_reply.delete", target: `canned:${id}` });
}

/** Active support agents a ticket can be assigned to. */
export function listSupportAgents({ db }: { db: PrismaClient }) {
  return db.user.findMany({
    where: { role: "SUPPORT", status: "ACTIVE" },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
}
