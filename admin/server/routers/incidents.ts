// Personal-data breach incidents (docs/breach-runbook.md): the DPO's record with the 72-hour clock. Only the DPO
// (incidents:manage): the DPO decides the assessment and the notifications; admins and engineers contain the
// breach and tell the DPO, but do not keep or change the record. Every transition is audited in
// core/privacy/incidents.ts, which also refuses transitions the law or the order of steps does not allow.
import { z } from "zod";
import {
  assessIncident,
  closeIncident,
  getIncident,
  listIncidents,
  openIncident,
  recordAuthorityNotified,
  recordPeopleNotified,
} from "../../../core/privacy/incidents.ts";
import { deps, requirePermission, router } from "../trpc.ts";

const id = z.string().trim().min(1).max(64);
const text = z.string().max(10_000);
const when = z.string().max(40);
const manage = requirePermission("incidents:manage");

export const incidentsRouter = router({
  list: manage.input(z.void()).query(({ ctx }) => listIncidents(deps(ctx))),
  get: manage.input(z.object({ incidentId: id })).query(({ ctx, input }) => getIncident(deps(ctx), input.incidentId)),
  open: manage
    .input(z.object({ title: text, description: text, awareAt: when }))
    .mutation(({ ctx, input }) => openIncident(deps(ctx), ctx.actor, input)),
  assess: manage
    .input(z.object({ incidentId: id, assessment: text, risk: z.string().max(20) }))
    .mutation(({ ctx, input }) => assessIncident(deps(ctx), ctx.actor, input.incidentId, input)),
  notifyAuthority: manage
    .input(z.object({ incidentId: id, notifiedAt: when.optional(), reference: text, lateReason: text.optional() }))
    .mutation(({ ctx, input }) => recordAuthorityNotified(deps(ctx), ctx.actor, input.incidentId, input)),
  notifyPeople: manage
    .input(z.object({ incidentId: id, notifiedAt: when.optional(), notice: text }))
    .mutation(({ ctx, input }) => recordPeopleNotified(deps(ctx), ctx.actor, input.incidentId, input)),
  close: manage
    .input(z.object({ incidentId: id, closingNote: text }))
    .mutation(({ ctx, input }) => closeIncident(deps(ctx), ctx.actor, input.incidentId, input)),
});
