// Catalog administration: wellness categories (CRUD) and expert onboarding (turn a user into an expert,
// publish/unpublish). Every change leaves an AuditEvent. Authorization is the back-office's job.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { recordAudit, type AuditActor } from "../audit/index.ts";
import { DomainError, isUniqueViolation } from "../errors/index.ts";

export const slugSchema = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "Use lowercase letters, digits and dashes.");
export const categoryInputSchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(2).max(80),
  description: z.string().trim().max(500).default(""),
  sortOrder: z.number().int().min(0).max(10_000).default(0),
});

export function listCategoriesForAdmin(db: PrismaClient) {
  return db.category.findMany({
    orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, description: true, sortOrder: true },
  });
}

const conflict = (error: unknown) => {
  if (isUniqueViolation(error))
    return new DomainError("CONFLICT", "That address is already in use: choose another.", { field: "slug" });
  return error;
};

export async function createCategory(db: PrismaClient, actor: AuditActor, input: z.infer<typeof categoryInputSchema>) {
  try {
    const row = await db.category.create({ data: input, select: { id: true } });
    await recordAudit(db, actor, { action: "category.create", target: `category:${row.id}` });
    return row;
  } catch (error) {
    throw conflict(error);
  }
}

export async function updateCategory(
  db: PrismaClient,
  actor: AuditActor,
  id: string,
  input: z.infer<typeof categoryInputSchema>,
) {
  const { count } = await db.category.updateMany({ where: { id }, data: input }).catch((e: unknown) => {
    throw conflict(e);
  });
  if (count === 0) throw new DomainError("NOT_FOUND", "No category with that id.");
  await recordAudit(db, actor, { action: "category.update", target: `category:${id}` });
}

export async function deleteCategory(db: PrismaClient, actor: AuditActor, id: string) {
  const used = await db.booking.count({ where: { categoryId: id } });
  if (used > 0) throw new DomainError("CONFLICT", "Bookings use this category: it cannot be deleted.");
  const { count } = await db.category.deleteMany({ where: { id } });
  if (count === 0) throw new DomainError("NOT_FOUND", "No category with that id.");
  await recordAudit(db, actor, { action: "category.delete", target: `category:${id}` });
}

export function listExpertsForAdmin(db: PrismaClient) {
  return db.expertProfile.findMany({
    orderBy: { createdAt: "asc" },
    take: 500,
    select: { id: true, slug: true, headline: true, published: true, user: { select: { id: true, name: true } } },
  });
}

export const onboardExpertSchema = z.object({
  email: z.string().trim().toLowerCase().email().max(254),
  slug: slugSchema,
  headline: z.string().trim().min(3).max(120),
  bio: z.string().trim().max(5000).default(""),
  timezone: z.string().trim().min(1).max(64).default("UTC"),
  languages: z.array(z.string().trim().min(2).max(10)).max(10).default(["en"]),
});

/** Turns an existing user account into an (unpublished) expert. */
export async function onboardExpert(db: PrismaClient, actor: AuditActor, input: z.infer<typeof onboardExpertSchema>) {
  const user = await db.user.findUnique({
    where: { email: input.email },
    select: { id: true, role: true, status: true, expertProfile: { select: { id: true } } },
  });
  if (!user || user.status !== "ACTIVE")
    throw new DomainError("NOT_FOUND", "No active account with that email.", { field: "email" });
  if (user.expertProfile) throw new DomainError("CONFLICT", "That person is already an expert.");
  if (user.role !== "USER" && user.role !== "EXPERT")
    throw new DomainError("PRECONDITION", "Staff accounts cannot become experts.");
  try {
    const [profile] = await db.$transaction([
      db.expertProfile.create({
        data: {
          userId: user.id,
          slug: input.slug,
          headline: input.headline,
          bio: input.bio,
          timezone: input.timezone,
          languages: input.languages,
        },
        select: { id: true },
      }),
      db.user.update({ where: { id: user.id }, data: { role: "EXPERT" }, select: { id: true } }),
      // A new role means new sessions (the same rule as every role change).
      db.session.deleteMany({ where: { userId: user.id } }),
    ]);
    await recordAudit(db, actor, { action: "expert.onboard", target: `expert:${profile.id}`, subjectUserId: user.id });
    return profile;
  } catch (error) {
    throw conflict(error);
  }
}

export async function setExpertPublished(
  db: PrismaClient,
  actor: AuditActor,
  input: { expertId: string; published: boolean },
) {
  const expert = await db.expertProfile.findUnique({
    where: { id: input.expertId },
    select: { id: true, userId: true },
  });
  if (!expert) throw new DomainError("NOT_FOUND", "No expert with that id.");
  await db.expertProfile.update({
    where: { id: expert.id },
    data: { published: input.published },
    select: { id: true },
  });
  await recordAudit(db, actor, {
    action: input.published ? "expert.publish" : "expert.unpublish",
    target: `expert:${expert.id}`,
    subjectUserId: expert.userId,
  });
}
