// The agents' desk around the ticket queue: saved views (a staff member's named filter sets, with live counts),
// bulk assignment and status changes (each ticket audited as if changed by hand, with the previous state returned
// so the console can undo), the requester panel (read through a ticket, audited with the ticket as its purpose)
// and editing canned replies. Authorization is the back-office's job; these functions assume it was done.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { TicketStatus } from "../generated/prisma/enums.ts";
import { recordAudit } from "../audit/index.ts";
import { DomainError, parseInput } from "../errors/index.ts";
import {
  isPrivacyTicket,
  assignTicket,
  queueFilterSchema,
  queueWhere,
  setTicketStatus,
  TICKET_STATUSES,
  type StaffActor,
} from "./tickets.ts";

// ---------------------------------------------------------------- saved views

/** What a saved view keeps: the queue filter without its page size. */
export const viewFiltersSchema = queueFilterSchema.omit({ limit: true });
export type ViewFilters = z.infer<typeof viewFiltersSchema>;
const viewNameSchema = z.string().trim().min(1, "Give the view a name.").max(60, "Keep the name under 60 characters.");
const MAX_VIEWS = 30;

/** The staff member's own views, each with the number of tickets it matches now. */
export async function listSavedViews({
  db,
  actor,
  at = new Date(),
}: {
  db: PrismaClient;
  actor: StaffActor;
  at?: Date;
}) {
  const rows = await db.savedTicketView.findMany({
    where: { userId: actor.id },
    orderBy: { name: "asc" },
    take: MAX_VIEWS,
    select: { id: true, name: true, filters: true },
  });
  return Promise.all(
    rows.map(async (r) => {
      // A view saved by an older console may not parse any more: it then shows everything not closed.
      const parsed = viewFiltersSchema.safeParse(r.filters);
      const filters = parsed.success ? parsed.data : viewFiltersSchema.parse({});
      const count = await db.supportTicket.count({ where: queueWhere(actor, filters, at) });
      return { id: r.id, name: r.name, filters, count };
    }),
  );
}

export async function saveView({
  db,
  actor,
  name,
  filters,
}: {
  db: PrismaClient;
  actor: StaffActor;
  name: string;
  filters: unknown;
}) {
  const n = parseInput(viewNameSchema, name, "name");
  const f = parseInput(viewFiltersSchema, filters, "filters");
  const existing = await db.savedTicketView.count({ where: { userId: actor.id } });
  const same = await db.savedTicketView.findUnique({
    where: { userId_name: { userId: actor.id, name: n } },
    select: { id: true },
  });
  if (!same && existing >= MAX_VIEWS)
    throw new DomainError("PRECONDITION", `You can keep up to ${MAX_VIEWS} views. Delete one first.`);
  // Saving under an existing name replaces that view's filters: the name is how people find it again.
  return db.savedTicketView.upsert({
    where: { userId_name: { userId: actor.id, name: n } },
    create: { userId: actor.id, name: n, filters: f },
    update: { filters: f },
    select: { id: true, name: true },
  });
}

/** Deletes one of the caller's own views; another person's view is "not found". */
export async function deleteView({ db, actor, id }: { db: PrismaClient; actor: StaffActor; id: string }) {
  const { count } = await db.savedTicketView.deleteMany({ where: { id, userId: actor.id } });
  if (count === 0) throw new DomainError("NOT_FOUND", "No saved view with that id.");
}

// ---------------------------------------------------------------- bulk changes

export const MAX_BULK = 100;
const idsSchema = z.array(z.string().min(1).max(64)).min(1, "Select at least one ticket.").max(MAX_BULK);

/** What a ticket was before a bulk change, so the change can be undone. */
export interface TicketState {
  ticketId: string;
  status: TicketStatus;
  assigneeId: string | null;
}

async function statesOf(db: PrismaClient, ids: string[]): Promise<TicketState[]> {
  const rows = await db.supportTicket.findMany({
    where: { id: { in: ids } },
    select: { id: true, status: true, assigneeId: true },
  });
  if (rows.length !== new Set(ids).size) throw new DomainError("NOT_FOUND", "Some of those tickets do not exist.");
  return rows.map((r) => ({ ticketId: r.id, status: r.status, assigneeId: r.assigneeId }));
}

/**
 * Assigns (or unassigns, with null) and/or sets the status of several tickets. Each ticket goes through the same
 * function as a change by hand, so each is audited on its own. Returns the states before the change.
 */
export async function bulkUpdateTickets({
  db,
  actor,
  ticketIds,
  assigneeId,
  status,
  at = new Date(),
}: {
  db: PrismaClient;
  actor: StaffActor;
  ticketIds: string[];
  assigneeId?: string | null;
  status?: TicketStatus;
  at?: Date;
}): Promise<{ before: TicketState[] }> {
  const ids = parseInput(idsSchema, ticketIds, "ticketIds");
  if (assigneeId === undefined && status === undefined)
    throw new DomainError("VALIDATION", "Choose an assignee or a status.", { field: "form" });
  const before = await statesOf(db, ids);
  for (const t of before) {
    if (assigneeId !== undefined && t.assigneeId !== assigneeId)
      await assignTicket(db, actor, { ticketId: t.ticketId, assigneeId });
    if (status !== undefined && t.status !== status)
      await setTicketStatus(db, actor, { ticketId: t.ticketId, status }, at);
  }
  return { before };
}

export const ticketStateSchema = z.object({
  ticketId: z.string().min(1).max(64),
  status: z.enum(TICKET_STATUSES),
  assigneeId: z.string().min(1).max(64).nullable(),
});

/** Puts tickets back as a bulk change found them (the console's undo). Audited like any change. */
export async function restoreTickets({
  db,
  actor,
  states,
  at = new Date(),
}: {
  db: PrismaClient;
  actor: StaffActor;
  states: TicketState[];
  at?: Date;
}) {
  const list = parseInput(z.array(ticketStateSchema).min(1).max(MAX_BULK), states, "states");
  const now = await statesOf(
    db,
    list.map((s) => s.ticketId),
  );
  for (const want of list) {
    const cur = now.find((c) => c.ticketId === want.ticketId)!;
    // Assigning first: assigning a NEW ticket opens it, and the status step then restores the exact status.
    if (cur.assigneeId !== want.assigneeId)
      await assignTicket(db, actor, { ticketId: want.ticketId, assigneeId: want.assigneeId });
    await setTicketStatus(db, actor, { ticketId: want.ticketId, status: want.status }, at);
  }
}

// ---------------------------------------------------------------- requester panel

/**
 * Who asked, read through one ticket: name, account state, and their other tickets. Privacy tickets belong to the
 * DPO: a privacy ticket's panel reads nothing, and the requester's other privacy tickets are listed without
 * subject or link. Audited as a staff read of personal data with the ticket as its purpose.
 */
export async function requesterPanel({
  db,
  actor,
  ticketId,
  at = new Date(),
}: {
  db: PrismaClient;
  actor: StaffActor;
  ticketId: string;
  at?: Date;
}) {
  const t = await db.supportTicket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      category: true,
      requesterId: true,
      contactEmail: true,
      _count: { select: { privacyRequests: true } },
    },
  });
  if (!t) throw new DomainError("NOT_FOUND", "No ticket with that id.");
  if (isPrivacyTicket(t) && actor.role !== "DPO") return { kind: "privacy" as const };
  const owner = t.requesterId
    ? { requesterId: t.requesterId }
    : t.contactEmail
      ? { requesterId: null, contactEmail: t.contactEmail }
      : null;
  const [person, others] = await Promise.all([
    t.requesterId
      ? db.user.findUnique({
          where: { id: t.requesterId },
          select: { name: true, status: true, emailVerifiedAt: true, createdAt: true },
        })
      : db.supportTicket.findUnique({ where: { id: t.id }, select: { contactName: true } }),
    owner
      ? db.supportTicket.findMany({
          where: { ...owner, id: { not: t.id } },
          orderBy: { createdAt: "desc" },
          take: 20,
          select: {
            id: true,
            subject: true,
            category: true,
            status: true,
            createdAt: true,
            _count: { select: { privacyRequests: true } },
          },
        })
      : Promise.resolve([]),
  ]);
  await recordAudit(
    db,
    { id: actor.id, role: actor.role, ip: actor.ip },
    { action: "ticket.requester.view", target: `ticket:${t.id}`, subjectUserId: t.requesterId, purpose: t.id },
    at,
  );
  const otherTickets = others.map(({ _count, ...o }) =>
    isPrivacyTicket({ category: o.category, _count }) && actor.role !== "DPO"
      ? { id: null, subject: null, category: o.category, status: o.status, createdAt: o.createdAt }
      : o,
  );
  if (t.requesterId && person && "status" in person)
    return {
      kind: "account" as const,
      name: person.name,
      accountStatus: person.status,
      emailVerified: Boolean(person.emailVerifiedAt),
      memberSince: person.createdAt,
      otherTickets,
    };
  return {
    kind: "visitor" as const,
    name: person && "contactName" in person ? person.contactName : null,
    otherTickets,
  };
}

// ---------------------------------------------------------------- canned replies

export async function updateCannedReply({
  db,
  actor,
  id,
  title,
  body,
}: {
  db: PrismaClient;
  actor: StaffActor;
  id: string;
  title: string;
  body: string;
}) {
  const t = parseInput(
    z
      .string()
      .trim()
      .min(2, "Give it a title (2 characters or more).")
      .max(100, "Keep the title under 100 characters."),
    title,
    "title",
  );
  const b = parseInput(
    z.string().trim().min(1, "Write the reply.").max(10_000, "Keep it under 10,000 characters."),
    body,
    "body",
  );
  const clash = await db.cannedReply.findFirst({ where: { title: t, id: { not: id } }, select: { id: true } });
  if (clash) throw new DomainError("CONFLICT", "Another canned reply has that title.", { field: "title" });
  const { count } = await db.cannedReply.updateMany({ where: { id }, data: { title: t, body: b } });
  if (count === 0) throw new DomainError("NOT_FOUND", "No canned reply with that id.");
  await recordAudit(
    db,
    { id: actor.id, role: actor.role, ip: actor.ip },
    { action: "canned_reply.save", target: `canned:${id}` },
  );
  return { id };
}
