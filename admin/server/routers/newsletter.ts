import {
  countNewsletterAudience,
  listNewsletters,
  newsletterInputSchema,
  queueNewsletter,
} from "../../../core/privacy/newsletter.ts";
import { deps, requirePermission, router } from "../trpc.ts";
import { z } from "zod";

// The newsletter (ADMIN, `newsletter:send`): how many people opted in (a count, never who), what was sent, and
// sending a new one through the job queue (core/privacy/newsletter.ts; audited there).
const newsletter = requirePermission("newsletter:send");
export const newsletterRouter = router({
  audience: newsletter
    .input(z.void())
    .query(async ({ ctx }) => ({ optedIn: await countNewsletterAudience(deps(ctx).db) })),
  list: newsletter.input(z.void()).query(({ ctx }) => listNewsletters(deps(ctx).db)),
  send: newsletter
    .input(newsletterInputSchema)
    .mutation(({ ctx, input }) => queueNewsletter(deps(ctx), ctx.actor, input)),
});
