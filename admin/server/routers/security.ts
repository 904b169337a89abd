// Error reports (P7) and security events (P14) for admins. Error reports hold no personal data (scrubbed, no user,
// no IP). The security feed shows account ids and IPs: every read is written to the audit trail with its purpose.
import { recordAudit } from "../../../core/audit/index.ts";
import { errorGroupsSchema, listErrorGroups } from "../../../core/observability/errors.ts";
import { namesByUserId } from "../../../core/identity/users.ts";
import { listSecurityFeed, securityFeedSchema } from "../../../core/security/events.ts";
import { deps, requirePermission, router } from "../trpc.ts";

export const errorsRouter = router({
  /** Groups of the last 30 days: kind, sample message and place, count, first and last seen. */
  groups: requirePermission("errors:read")
    .input(errorGroupsSchema)
    .query(({ ctx, input }) => listErrorGroups(deps(ctx).db, input)),
});

export const securityRouter = router({
  feed: requirePermission("security:read")
    .input(securityFeedSchema)
    .query(async ({ ctx, input }) => {
      await recordAudit(deps(ctx).db, ctx.actor, {
        action: "security.feed.view",
        target: input.ip ? `security-feed:ip:${input.ip}` : "security-feed",
        purpose: "fraud and unauthorized-access monitoring (P14)",
      });
      const feed = await listSecurityFeed(deps(ctx).db, input);
      // Names instead of account ids (the read is audited above); an erased account has none and shows a reference.
      const ids = [...new Set(feed.events.map((e) => e.userId).filter((v): v is string => Boolean(v)))];
      const names = await namesByUserId({ db: deps(ctx).db, ids });
      return {
        ...feed,
        events: feed.events.map((e) => ({ ...e, userName: e.userId ? (names.get(e.userId) ?? null) : null })),
      };
    }),
});
