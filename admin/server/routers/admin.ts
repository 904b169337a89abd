import { z } from "zod";
import { auditSearchSchema, searchAudit } from "../../../core/audit/index.ts";
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
  changeUserRole,
  deactivateUser,
  inviteStaff,
  inviteStaffSchema,
  listStaff,
} from "../../../core/identity/staff.ts";
import { requirePermission, router } from "../trpc.ts";

const id = z.string().trim().min(1).max(64);
const ROLES = ["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"] as const;

export const auditRouter = router({
  search: requirePermission("audit:read")
    .input(auditSearchSchema)
    .query(({ ctx, input }) => searchAudit(ctx.services.db.prisma, input)),
});

const staff = requirePermission("staff:manage");
export const staffRouter = router({
  list: staff.input(z.void()).query(async ({ ctx }) =>
    (await listStaff(ctx.services.db.prisma)).map(({ staffTotp, ...s }) => ({
      ...s,
      totpEnrolled: Boolean(staffTotp?.confirmedAt),
    })),
  ),
  changeRole: staff
    .input(z.object({ userId: id, role: z.enum(ROLES) }))
    .mutation(({ ctx, input }) => changeUserRole(ctx.services.db.prisma, ctx.actor, input)),
  deactivate: staff.input(z.object({ userId: id })).mutation(async ({ ctx, input }) => {
    await deactivateUser(ctx.services.db.prisma, ctx.actor, input);
    return { ok: true as const };
  }),
  /** Invites by email: a new account with the role and a set-password link, or the role for an existing account. */
  invite: staff.input(inviteStaffSchema).mutation(({ ctx, input }) =>
    inviteStaff(
      {
        db: ctx.services.db.prisma,
        mail: ctx.services.mailQueue,
        pepper: ctx.services.secrets.codePepper,
        appUrl: ctx.services.config.appUrl,
      },
      ctx.actor,
      input,
    ),
  ),
  /** Finds an account by email to make it staff. */
  findByEmail: staff
    .input(z.object({ email: z.string().trim().toLowerCase().max(254) }))
    .query(async ({ ctx, input }) => {
      const user = await ctx.services.db.prisma.user.findUnique({
        where: { email: input.email },
        select: { id: true, name: true, email: true, role: true, status: true },
      });
      return user ?? null;
    }),
});

const categories = requirePermission("categories:manage");
export const categoriesRouter = router({
  list: categories.input(z.void()).query(({ ctx }) => listCategoriesForAdmin(ctx.services.db.prisma)),
  create: categories
    .input(categoryInputSchema)
    .mutation(({ ctx, input }) => createCategory(ctx.services.db.prisma, ctx.actor, input)),
  update: categories.input(z.object({ id, data: categoryInputSchema })).mutation(async ({ ctx, input }) => {
    await updateCategory(ctx.services.db.prisma, ctx.actor, input.id, input.data);
    return { ok: true as const };
  }),
  delete: categories.input(z.object({ id })).mutation(async ({ ctx, input }) => {
    await deleteCategory(ctx.services.db.prisma, ctx.actor, input.id);
    return { ok: true as const };
  }),
});

const experts = requirePermission("experts:manage");
export const expertsRouter = router({
  list: experts.input(z.void()).query(({ ctx }) => listExpertsForAdmin(ctx.services.db.prisma)),
  onboard: experts
    .input(onboardExpertSchema)
    .mutation(({ ctx, input }) => onboardExpert(ctx.services.db.prisma, ctx.actor, input)),
  setPublished: experts.input(z.object({ expertId: id, published: z.boolean() })).mutation(async ({ ctx, input }) => {
    await setExpertPublished(ctx.services.db.prisma, ctx.actor, input);
    return { ok: true as const };
  }),
});
