// The console's shell and dashboards: live counts for the sidebar and one aggregate dashboard per role. Counts a
// role may not see are not computed at all (null), so the sidebar cannot leak them.
import { z } from "zod";
import {
  adminDashboard,
  dpoDashboard,
  privacyDueSoon,
  supportDashboard,
  ticketCounts,
} from "../../../core/console/stats.ts";
import { can } from "../../shared/permissions.ts";
import { deps, requirePermission, router, staffProcedure } from "../trpc.ts";

export const consoleRouter = router({
  counts: staffProcedure.input(z.void()).query(async ({ ctx }) => {
    const { db } = deps(ctx);
    const role = ctx.session.user.role;
    const [tickets, privacy] = await Promise.all([
      can(role, "tickets:read") ? ticketCounts(db, ctx.session.userId) : null,
      can(role, "privacy:read") ? privacyDueSoon(db) : null,
    ]);
    return { tickets, privacyDueSoon: privacy };
  }),
});

export const dashboardRouter = router({
  support: requirePermission("tickets:read")
    .input(z.void())
    .query(({ ctx }) => supportDashboard(deps(ctx).db)),
  privacy: requirePermission("privacy:read")
    .input(z.void())
    .query(({ ctx }) => dpoDashboard(deps(ctx).db)),
  operations: requirePermission("analytics:read")
    .input(z.void())
    .query(({ ctx }) => adminDashboard(deps(ctx).db)),
});
