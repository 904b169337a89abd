// The DPO's desk (privacy:read, privacy:decide): the queue of privacy requests with their legal deadlines, each
// request with its requester, extensions, identity checks, decisions and legal holds; privacy-category support
// tickets. Every read of a requester's data and every action is audited in core/privacy/requests.ts; a DPO never
// decides their own request (checked there too).
import { z } from "zod";
import { applyNameCorrection } from "../../../core/privacy/corrections.ts";
import {
  decideRequest,
  extendDeadline,
  getRequest,
  listPrivacyTickets,
  listQueue,
  placeLegalHold,
  recordIdentityCheck,
  releaseLegalHold,
} from "../../../core/privacy/requests.ts";
import { deps, requirePermission, router } from "../trpc.ts";

const id = z.string().trim().min(1).max(64);
const text = z.string().max(2000);
const read = requirePermission("privacy:read");
const decide = requirePermission("privacy:decide");

const STATUSES = ["OPEN", "DUE_SOON", "PENDING", "APPROVED", "REJECTED", "CANCELLED", "COMPLETED"] as const;
const TYPES = ["ACCESS", "CORRECTION", "DELETION", "OPT_OUT"] as const;

export const privacyRouter = router({
  queue: read
    .input(z.object({ status: z.enum(STATUSES).optional(), type: z.enum(TYPES).optional() }))
    .query(({ ctx, input }) => listQueue(deps(ctx), ctx.actor, input)),
  get: read
    .input(z.object({ requestId: id }))
    .query(({ ctx, input }) => getRequest(deps(ctx), ctx.actor, input.requestId)),
  identityCheck: decide
    .input(z.object({ requestId: id, note: text }))
    .mutation(({ ctx, input }) => recordIdentityCheck(deps(ctx), ctx.actor, input.requestId, input)),
  extend: decide
    .input(z.object({ requestId: id, until: z.string().max(40), reason: text }))
    .mutation(({ ctx, input }) => extendDeadline(deps(ctx), ctx.actor, input.requestId, input)),
  decide: decide
    .input(z.object({ requestId: id, decision: z.enum(["APPROVED", "REJECTED"]), reason: text }))
    .mutation(({ ctx, input }) => decideRequest(deps(ctx), ctx.actor, input.requestId, input)),
  /** Applies the name a CORRECTION request asks for; the domain validates the name and completes the request. */
  correctName: decide
    .input(
      z.object({
        requestId: id,
        firstName: z.string().max(200),
        lastName: z.string().max(200),
        reason: text,
      }),
    )
    .mutation(({ ctx, input }) => applyNameCorrection(deps(ctx), ctx.actor, input.requestId, input)),
  placeHold: decide
    .input(
      z.object({
        requestId: id,
        recordType: z.enum(["SUPPORT_TICKET"]),
        recordId: id,
        basis: text,
        until: z.string().max(40),
      }),
    )
    .mutation(({ ctx, input }) => placeLegalHold(deps(ctx), ctx.actor, input.requestId, input)),
  releaseHold: decide
    .input(z.object({ holdId: id }))
    .mutation(({ ctx, input }) => releaseLegalHold(deps(ctx), ctx.actor, input.holdId)),
  /** Support tickets filed under "Privacy and my data": subject and status only (contents stay with support). */
  tickets: read.input(z.void()).query(({ ctx }) => listPrivacyTickets({ db: deps(ctx).db, actor: ctx.actor })),
});
