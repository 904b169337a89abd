// Feedback and usage metrics in the back-office. Support moderates reviews (`reviews:moderate`): the text, rating
// and expert, never the author; hiding needs a reason, is audited and tells the author by email. Admins read
// aggregates only (`analytics:read`): survey answers per question without names, anonymous usage (top pages, time
// on page, flows); none of it is linked to a person, so no audit event is needed for reading it.
import { usageReport, usageReportSchema } from "../../../core/analytics/usage.ts";
import {
  hideReview,
  hideReviewSchema,
  listReviewsForModeration,
  moderationListSchema,
} from "../../../core/feedback/reviews.ts";
import { surveyReport, surveyReportSchema } from "../../../core/feedback/surveys.ts";
import { deps, requirePermission, router } from "../trpc.ts";

const moderate = requirePermission("reviews:moderate");
const analytics = requirePermission("analytics:read");

export const reviewsRouter = router({
  list: moderate.input(moderationListSchema).query(({ ctx, input }) => listReviewsForModeration(deps(ctx).db, input)),
  hide: moderate.input(hideReviewSchema).mutation(async ({ ctx, input }) => {
    await hideReview(deps(ctx), ctx.actor, input);
    return { ok: true as const };
  }),
});

export const analyticsRouter = router({
  surveys: analytics.input(surveyReportSchema).query(({ ctx, input }) => surveyReport(deps(ctx).db, input)),
  usage: analytics.input(usageReportSchema).query(({ ctx, input }) => usageReport(deps(ctx).db, input)),
});
