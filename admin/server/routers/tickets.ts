import { z } from "zod";
import {
  addInternalNote,
  assignTicket,
  createCannedReply,
  deleteCannedReply,
  getTicketForStaff,
  listCannedReplies,
  listSupportAgents,
  logTicketOnBehalf,
  queueFilterSchema,
  replyAsStaff,
  setTicketPriority,
  setTicketStatus,
  ticketQueue,
  TICKET_CATEGORIES,
  TICKET_PRIORITIES,
  TICKET_STATUSES,
} from "../../../core/support/tickets.ts";
import { privacyRequestForTicket } from "../../../core/privacy/intake.ts";
import {
  bulkUpdateTickets,
  deleteView,
  listSavedViews,
  MAX_BULK,
  requesterPanel,
  restoreTickets,
  saveView,
  ticketStateSchema,
  updateCannedReply,
  viewFiltersSchema,
} from "../../../core/support/desk.ts";
import { deps, requirePermission, router } from "../trpc.ts";

const id = z.string().trim().min(1).max(64);
const ticketId = z.object({ ticketId: id });
const read = requirePermission("tickets:read");
const write = requirePermission("tickets:write");

export const ticketsRouter = router({
  queue: read.input(queueFilterSchema).query(({ ctx, input }) => ticketQueue(deps(ctx).db, ctx.actor, input)),
  get: read.input(ticketId).query(({ ctx, input }) => getTicketForStaff(deps(ctx).db, ctx.actor, input.ticketId)),
  /** Active support agents a ticket can be assigned to. */
  agents: read.input(z.void()).query(({ ctx }) => listSupportAgents({ db: deps(ctx).db })),
  assign: write.input(z.object({ ticketId: id, assigneeId: id.nullable() })).mutation(async ({ ctx, input }) => {
    await assignTicket(deps(ctx).db, ctx.actor, input);
    return { ok: true as const };
  }),
  setStatus: write
    .input(z.object({ ticketId: id, status: z.enum(TICKET_STATUSES) }))
    .mutation(async ({ ctx, input }) => {
      await setTicketStatus(deps(ctx).db, ctx.actor, input);
      return { ok: true as const };
    }),
  setPriority: write
    .input(z.object({ ticketId: id, priority: z.enum(TICKET_PRIORITIES) }))
    .mutation(async ({ ctx, input }) => {
      await setTicketPriority(deps(ctx).db, ctx.actor, input);
      return { ok: true as const };
    }),
  reply: write
    .input(z.object({ ticketId: id, body: z.string().max(10_000), status: z.enum(TICKET_STATUSES).optional() }))
    .mutation(async ({ ctx, input }) => {
      await replyAsStaff(deps(ctx), ctx.actor, input);
      return { ok: true as const };
    }),
  addNote: write.input(z.object({ ticketId: id, body: z.string().max(10_000) })).mutation(async ({ ctx, input }) => {
    await addInternalNote(deps(ctx).db, ctx.actor, input);
    return { ok: true as const };
  }),
  logOnBehalf: write
    .input(
      z.object({
        channel: z.enum(["EMAIL", "PHONE"]),
        email: z.string().max(254),
        subject: z.string().max(150),
        category: z.enum(TICKET_CATEGORIES),
        message: z.string().max(10_000),
        priority: z.enum(TICKET_PRIORITIES).default("NORMAL"),
        /** What the caller asks for, when the category is privacy (the DPO may read it otherwise from the message). */
        privacyType: z.enum(["ACCESS", "CORRECTION", "DELETION", "OPT_OUT", "OTHER"]).default("OTHER"),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { privacyType, ...ticketInput } = input;
      const d = deps(ctx);
      const ticket = await logTicketOnBehalf(d, ctx.actor, ticketInput);
      // A privacy email or call is also a privacy request: the caller confirms it with a code sent to the address.
      const request = await privacyRequestForTicket({ ...d, codeKey: d.pepper }, ticket.id, {
        ip: ctx.clientIp,
        type: privacyType,
      });
      return { id: ticket.id, privacyRequest: request !== null };
    }),
  /** Who asked: name, account state, other tickets; read through the ticket and audited. */
  requester: read
    .input(ticketId)
    .query(({ ctx, input }) => requesterPanel({ db: deps(ctx).db, actor: ctx.actor, ticketId: input.ticketId })),
  savedViews: read.input(z.void()).query(({ ctx }) => listSavedViews({ db: deps(ctx).db, actor: ctx.actor })),
  saveView: read
    .input(z.object({ name: z.string().max(60), filters: viewFiltersSchema }))
    .mutation(({ ctx, input }) => saveView({ db: deps(ctx).db, actor: ctx.actor, ...input })),
  deleteView: read.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await deleteView({ db: deps(ctx).db, actor: ctx.actor, id: input.id });
    return { ok: true as const };
  }),
  bulkUpdate: write
    .input(
      z.object({
        ticketIds: z.array(id).min(1).max(MAX_BULK),
        assigneeId: id.nullable().optional(),
        status: z.enum(TICKET_STATUSES).optional(),
      }),
    )
    .mutation(({ ctx, input }) => bulkUpdateTickets({ db: deps(ctx).db, actor: ctx.actor, ...input })),
  /** The undo of a bulk change: the states it returned. */
  restore: write
    .input(z.object({ states: z.array(ticketStateSchema).min(1).max(MAX_BULK) }))
    .mutation(async ({ ctx, input }) => {
      await restoreTickets({ db: deps(ctx).db, actor: ctx.actor, states: input.states });
      return { ok: true as const };
    }),
  updateCannedReply: write
    .input(z.object({ id, title: z.string().max(100), body: z.string().max(10_000) }))
    .mutation(({ ctx, input }) => updateCannedReply({ db: deps(ctx).db, actor: ctx.actor, ...input })),
  cannedReplies: read.input(z.void()).query(({ ctx }) => listCannedReplies(deps(ctx).db)),
  saveCannedReply: write
    .input(z.object({ title: z.string().max(100), body: z.string().max(10_000) }))
    .mutation(({ ctx, input }) => createCannedReply(deps(ctx).db, ctx.actor, input)),
  deleteCannedReply: write.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await deleteCannedReply(deps(ctx).db, ctx.actor, input.id);
    return { ok: true as const };
  }),
});
