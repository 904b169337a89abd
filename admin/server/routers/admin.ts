import { z } from "zod";
import { auditSearchSchema, recordAudit, searchAudit } from "../../../core/audit/index.ts";
import {
  categoryInputSchema,
  createCategory,
  deleteCategory,
  listCategoriesForAdmin,
  listExpertsForAdmin,
  onboardExpert,
  onboardExpertSchema,
  setExpertPublished,
  updateCategory,
} from "../../../core/catalog/manage.ts";
import {
  applyUndo,
  changeUserRole,
  deactivateUser,
  readUndo,
  signUndo,
  inviteStaff,
  inviteStaffSchema,
  listStaff,
  lookUpAccountForInvite,
} from "../../../core/identity/staff.ts";
import { checkFreshTotp, totpKeyFrom } from "../../../core/identity/totp.ts";
import { findAccountByEmail, namesByUserId, roleOf } from "../../../core/identity/users.ts";
import { deps, requirePermission, router, type InnerContext } from "../trpc.ts";

const id = z.string().trim().min(1).max(64);
const ROLES = ["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"] as const;

const email = z.string().trim().toLowerCase().max(254);
export const auditRouter = router({
  /**
   * The trail in words: actors' and subjects' names instead of ids for the people who may read it, filters by a
   * person's email rather than an account id. Names of the people whose data was touched are a read of personal
   * data, so each search is itself recorded.
   */
  search: requirePermission("audit:read")
    .input(auditSearchSchema.extend({ actorEmail: email.optional(), subjectEmail: email.optional() }))
    .query(async ({ ctx, input }) => {
      const { db } = deps(ctx);
      const { actorEmail, subjectEmail, ...query } = input;
      const [actor, subject] = await Promise.all([
        actorEmail ? findAccountByEmail({ db, email: actorEmail }) : null,
        subjectEmail ? findAccountByEmail({ db, email: subjectEmail }) : null,
      ]);
      if ((actorEmail && !actor) || (subjectEmail && !subject)) return { events: [], nextCursor: null };
      const result = await searchAudit(db, {
        ...query,
        ...(actor ? { actorId: actor.id } : {}),
        ...(subject ? { subjectUserId: subject.id } : {}),
      });
      const ids = [
        ...new Set(result.events.flatMap((e) => [e.actorId, e.subjectUserId]).filter((v): v is string => Boolean(v))),
      ];
      const names = await namesByUserId({ db, ids });
      await recordAudit(db, ctx.actor, {
        action: "audit.search",
        target: "audit-log",
        subjectUserId: subject?.id ?? null,
        purpose: "accountability review",
      });
      return {
        ...result,
        events: result.events.map((e) => ({
          ...e,
          actorName: e.actorId ? (names.get(e.actorId) ?? null) : null,
          subjectName: e.subjectUserId ? (names.get(e.subjectUserId) ?? null) : null,
        })),
      };
    }),
});

const staff = requirePermission("staff:manage");
const totpCode = z.string().trim().min(1, "Enter the code from your authenticator app.").max(12);

/** Role changes, invites and deactivations need a fresh code from the admin's authenticator app, whatever the session. */
async function freshCode(ctx: InnerContext & { session: NonNullable<InnerContext["session"]> }, code: string) {
  const { db, limiter, pepper } = deps(ctx);
  await checkFreshTotp({ db, limiter, key: totpKeyFrom(pepper) }, ctx.session.user, { code, ip: ctx.clientIp });
}
const undoKey = (ctx: InnerContext) => totpKeyFrom(ctx.services.secrets.codePepper);
export const staffRouter = router({
  list: staff.input(z.void()).query(async ({ ctx }) =>
    (await listStaff(deps(ctx).db)).map(({ staffTotp, ...s }) => ({
      ...s,
      totpEnrolled: Boolean(staffTotp?.confirmedAt),
    })),
  ),
  /** Needs a fresh TOTP code; returns a two-minute undo. Ends the person's sessions; audited. */
  changeRole: staff
    .input(z.object({ userId: id, role: z.enum(ROLES), code: totpCode }))
    .mutation(async ({ ctx, input }) => {
      const { db } = deps(ctx);
      const before = await roleOf({ db, userId: input.userId });
      if (before && ctx.actor.id !== input.userId) await freshCode(ctx, input.code);
      const updated = await changeUserRole(db, ctx.actor, input);
      const undo = signUndo(undoKey(ctx), {
        actorId: ctx.actor.id,
        userId: input.userId,
        kind: "role",
        from: before!,
        to: updated.role,
      });
      return { ...updated, previousRole: before!, undo };
    }),
  /** Needs a fresh TOTP code; returns a two-minute undo. Ends the person's sessions; audited. */
  deactivate: staff.input(z.object({ userId: id, code: totpCode })).mutation(async ({ ctx, input }) => {
    const exists = await roleOf({ db: deps(ctx).db, userId: input.userId });
    if (exists && ctx.actor.id !== input.userId) await freshCode(ctx, input.code);
    await deactivateUser(deps(ctx).db, ctx.actor, input);
    const undo = signUndo(undoKey(ctx), {
      actorId: ctx.actor.id,
      userId: input.userId,
      kind: "deactivate",
      from: "ACTIVE",
      to: "SUSPENDED",
    });
    return { ok: true as const, undo };
  }),
  /** Reverses the caller's own role change or deactivation of the last two minutes, if nothing changed since. */
  undo: staff.input(z.object({ undo: z.string().min(10).max(1000) })).mutation(async ({ ctx, input }) => {
    const statement = readUndo(undoKey(ctx), { token: input.undo, actorId: ctx.actor.id });
    await applyUndo(deps(ctx).db, ctx.actor, statement);
    return { ok: true as const, kind: statement.kind };
  }),
  /**
   * Invites by email: a new account with the role and a set-password link, or the role for an existing account.
   * Needs a fresh TOTP code either way: an invite grants a staff role (to an existing account at once), so a
   * stolen session could otherwise promote any account, or invite the thief's own address as an admin.
   */
  invite: staff.input(inviteStaffSchema.extend({ code: totpCode })).mutation(async ({ ctx, input }) => {
    const { code, ...invitee } = input;
    await freshCode(ctx, code);
    return inviteStaff(deps(ctx), ctx.actor, invitee);
  }),
  /** Finds an account by email to make it staff; a match is audited with its purpose. */
  findByEmail: staff
    .input(z.object({ email: z.string().trim().toLowerCase().max(254) }))
    .query(({ ctx, input }) => lookUpAccountForInvite(deps(ctx).db, ctx.actor, input.email)),
});

const categories = requirePermission("categories:manage");
// Categories and published experts are on the public pages every visitor without a session gets from the page
// cache (home, directory, profiles): each change clears it on every instance, so the site shows it at once rather
// than up to 30 s later (a TTL and its stale window) — an unpublished profile must leave the site when the admin
// is told it has.
export const categoriesRouter = router({
  list: categories.input(z.void()).query(({ ctx }) => listCategoriesForAdmin(deps(ctx).db)),
  create: categories.input(categoryInputSchema).mutation(async ({ ctx, input }) => {
    const created = await createCategory(deps(ctx).db, ctx.actor, input);
    deps(ctx).onPublicChange();
    return created;
  }),
  update: categories.input(z.object({ id, data: categoryInputSchema })).mutation(async ({ ctx, input }) => {
    await updateCategory(deps(ctx).db, ctx.actor, input.id, input.data);
    deps(ctx).onPublicChange();
    return { ok: true as const };
  }),
  delete: categories.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await deleteCategory(deps(ctx).db, ctx.actor, input.id);
    deps(ctx).onPublicChange();
    return { ok: true as const };
  }),
});

const experts = requirePermission("experts:manage");
export const expertsRouter = router({
  list: experts.input(z.void()).query(({ ctx }) => listExpertsForAdmin(deps(ctx).db)),
  /**
   * Turns an account into an expert: a role change (its sessions end), so it needs a fresh TOTP code like
   * `staff.changeRole` to EXPERT does; otherwise this door would skip the step-up that one keeps.
   */
  onboard: experts.input(onboardExpertSchema.extend({ code: totpCode })).mutation(async ({ ctx, input }) => {
    const { code, ...expert } = input;
    await freshCode(ctx, code);
    return onboardExpert(deps(ctx).db, ctx.actor, expert);
  }),
  setPublished: experts.input(z.object({ expertId: id, published: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setExpertPublished(deps(ctx).db, ctx.actor, input);
    deps(ctx).onPublicChange();
    return { ok: true as const };
  }),
});
