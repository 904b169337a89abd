// Wellness categories and the expert catalog. Public reads select only public fields.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError, isUniqueViolation } from "../errors/index.ts";
import { createUser, nameSchema, newAccountEmailSchema } from "../identity/users.ts";
import { firstName, initials } from "../identity/names.ts";
import { scheduleSelect, toLoadedSchedule, type LoadedSchedule } from "../scheduling/schedule.ts";
import { timeZoneSchema } from "../scheduling/time-zone.ts";

export const slugSchema = z
  .string()
  .trim()
  .min(2)
  .max(60)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "Use lowercase letters, digits and dashes.");

export const categoryInputSchema = z.object({
  slug: slugSchema,
  name: z.string().trim().min(2).max(60),
  description: z.string().trim().min(10).max(500),
  sortOrder: z.number().int().default(0),
});

export async function createCategory(db: PrismaClient, input: z.input<typeof categoryInputSchema>) {
  const data = categoryInputSchema.parse(input);
  try {
    return await db.category.create({ data, select: { id: true, slug: true, name: true } });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError("CONFLICT", `A category "${data.slug}" already exists.`);
    throw error;
  }
}

export function listCategories(db: PrismaClient) {
  return db.category.findMany({
    orderBy: [{ sortOrder: "asc" }, { name: "asc" }],
    select: { id: true, slug: true, name: true, description: true },
  });
}

const availabilityRuleSchema = z
  .object({
    weekday: z.number().int().min(0).max(6),
    startMinute: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
    endMinute: z
      .number()
      .int()
      .min(0)
      .max(24 * 60),
  })
  .refine((r) => r.endMinute > r.startMinute, "An availability window must end after it starts.");

export const expertInputSchema = z.object({
  email: newAccountEmailSchema,
  name: nameSchema,
  password: z.string().optional(),
  slug: slugSchema,
  headline: z.string().trim().min(5).max(120),
  bio: z.string().trim().min(20).max(4000),
  languages: z.array(z.string().trim().min(2).max(40)).min(1).max(10),
  timezone: timeZoneSchema,
  categorySlugs: z.array(slugSchema).min(1).max(8),
  availability: z.array(availabilityRuleSchema).max(50).default([]),
  sessionMinutes: z.number().int().min(15).max(180).default(50),
  published: z.boolean().default(false),
});

/** Creates an expert account (through createUser, so the account rules hold) with its profile, categories and
 * weekly availability. If the profile cannot be created the account is removed again. */
export async function createExpert(db: PrismaClient, input: z.input<typeof expertInputSchema>) {
  const data = expertInputSchema.parse(input);
  const categories = await db.category.findMany({
    where: { slug: { in: data.categorySlugs } },
    select: { id: true, slug: true },
  });
  const missing = data.categorySlugs.filter((s) => !categories.some((c) => c.slug === s));
  if (missing.length > 0) throw new DomainError("VALIDATION", `Unknown categories: ${missing.join(", ")}`);

  const user = await createUser(db, {
    email: data.email,
    name: data.name,
    password: data.password,
    role: "EXPERT",
    emailVerified: true,
    timezone: data.timezone,
  });
  try {
    return await db.expertProfile.create({
      data: {
        userId: user.id,
        slug: data.slug,
        headline: data.headline,
        bio: data.bio,
        languages: data.languages,
        timezone: data.timezone,
        sessionMinutes: data.sessionMinutes,
        published: data.published,
        categories: { create: categories.map((c) => ({ categoryId: c.id })) },
        availability: { create: data.availability },
      },
      select: { id: true, slug: true, userId: true },
    });
  } catch (error) {
    await db.user.delete({ where: { id: user.id } });
    if (isUniqueViolation(error)) throw new DomainError("CONFLICT", `An expert "${data.slug}" already exists.`);
    throw error;
  }
}

const publicExpertSelect = {
  id: true,
  slug: true,
  headline: true,
  languages: true,
  timezone: true,
  sessionMinutes: true,
  user: { select: { name: true, avatar: { select: { updatedAt: true } } } },
  categories: { select: { category: { select: { slug: true, name: true } } } },
} as const;

export const expertSearchSchema = z.object({
  q: z.string().trim().max(100).optional(),
  categorySlug: slugSchema.optional(),
  language: z.string().trim().min(2).max(40).optional(),
  /** Only these experts (e.g. the ones with a free time this week). */
  ids: z.array(z.string()).max(5000).optional(),
  take: z.number().int().min(1).max(100).default(24),
  skip: z.number().int().min(0).max(100_000).default(0),
});

/**
 * Published experts, filtered by topic, language and a name/keyword search, paginated. Two queries whatever the
 * number of experts (a count and one page with its relations): no N+1.
 */
export async function listPublishedExperts(db: PrismaClient, input: z.input<typeof expertSearchSchema> = {}) {
  const opts = expertSearchSchema.parse(input);
  const words = (opts.q ?? "")
    .split(/\s+/)
    .filter((w) => w.length > 0)
    .slice(0, 5);
  const where = {
    published: true,
    user: { status: "ACTIVE" as const },
    ...(opts.categorySlug ? { categories: { some: { category: { slug: opts.categorySlug } } } } : {}),
    ...(opts.language ? { languages: { has: opts.language } } : {}),
    ...(opts.ids ? { id: { in: opts.ids } } : {}),
    ...(words.length > 0
      ? {
          AND: words.map((w) => ({
            OR: [
              { user: { name: { contains: w, mode: "insensitive" as const } } },
              { headline: { contains: w, mode: "insensitive" as const } },
              { bio: { contains: w, mode: "insensitive" as const } },
            ],
          })),
        }
      : {}),
  };
  const [total, experts] = await Promise.all([
    db.expertProfile.count({ where }),
    db.expertProfile.findMany({
      where,
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: opts.take,
      skip: opts.skip,
      select: publicExpertSelect,
    }),
  ]);
  return { total, experts: experts.map(toPublicExpert) };
}

type PublicExpertRow = {
  id: string;
  slug: string;
  headline: string;
  languages: string[];
  timezone: string;
  sessionMinutes: number;
  user: { name: string; avatar: { updatedAt: Date } | null };
  categories: { category: { slug: string; name: string } }[];
};

function toPublicExpert(e: PublicExpertRow) {
  return {
    id: e.id,
    slug: e.slug,
    name: e.user.name,
    firstName: firstName(e.user.name),
    initials: initials(e.user.name),
    /** Changes with each upload, so the photo URL can be cached for long; null: a monogram is drawn instead. */
    photoVersion: e.user.avatar ? e.user.avatar.updatedAt.getTime() : null,
    headline: e.headline,
    languages: e.languages,
    timezone: e.timezone,
    sessionMinutes: e.sessionMinutes,
    categories: e.categories.map((c) => c.category),
  };
}

/** The languages published experts speak, for the directory filter. */
export async function listExpertLanguages(db: PrismaClient): Promise<string[]> {
  const rows = await db.expertProfile.findMany({ where: { published: true }, select: { languages: true } });
  return [...new Set(rows.flatMap((r) => r.languages))].sort((a, b) => a.localeCompare(b));
}

// A published expert as the public sees one: published, on an active account.
const publishedBySlug = (slug: string) => ({ slug, published: true, user: { status: "ACTIVE" as const } });
const publishedExpertSelect = {
  ...publicExpertSelect,
  bio: true,
  userId: true,
  minNoticeHours: true,
  cancelWindowHours: true,
} as const;

function toPublishedExpert(e: PublicExpertRow & { bio: string; minNoticeHours: number; cancelWindowHours: number }) {
  return {
    ...toPublicExpert(e),
    bio: e.bio,
    minNoticeHours: e.minNoticeHours,
    cancelWindowHours: e.cancelWindowHours,
  };
}

export type PublishedExpert = ReturnType<typeof toPublishedExpert>;

/** One published expert's public profile, or null (unpublished experts do not exist for the public). */
export async function getPublishedExpert(db: PrismaClient, slug: string): Promise<PublishedExpert | null> {
  if (!slugSchema.safeParse(slug).success) return null;
  const e = await db.expertProfile.findFirst({ where: publishedBySlug(slug), select: publishedExpertSelect });
  return e ? toPublishedExpert(e) : null;
}

/**
 * A published expert, as `getPublishedExpert` gives it, with their schedule for slots starting in [from, to) read in
 * the same statement (the booking page's reading, core/catalog/booking-page.ts).
 */
export async function getPublishedExpertWithSchedule(
  db: PrismaClient,
  slug: string,
  range: { from: Date; to: Date },
): Promise<{ expert: PublishedExpert; schedule: LoadedSchedule } | null> {
  if (!slugSchema.safeParse(slug).success) return null;
  const e = await db.expertProfile.findFirst({
    where: publishedBySlug(slug),
    select: { ...scheduleSelect(range), ...publishedExpertSelect },
  });
  return e ? { expert: toPublishedExpert(e), schedule: toLoadedSchedule(e) } : null;
}

/** A published expert's photo (experts' photos are part of their public profile). */
export async function getExpertPhoto(db: PrismaClient, slug: string) {
  if (!slugSchema.safeParse(slug).success) return null;
  const e = await db.expertProfile.findFirst({
    where: publishedBySlug(slug),
    select: { user: { select: { avatar: { select: { data: true, updatedAt: true } } } } },
  });
  return e?.user.avatar ?? null;
}

/** Ids of every published, active expert (for filters computed outside SQL, such as free times this week). */
export async function publishedExpertIds(db: PrismaClient): Promise<string[]> {
  const rows = await db.expertProfile.findMany({
    where: { published: true, user: { status: "ACTIVE" } },
    select: { id: true },
    take: 5000,
  });
  return rows.map((r) => r.id);
}

/**
 * Experts for a signed-in person, from their wellness preferences (P2): the topics they browse most and the
 * topics of experts they engaged with. Empty when there are no preferences yet. Two queries.
 */
export async function recommendedExperts(db: PrismaClient, userId: string, take = 3) {
  const prefs = await db.wellnessPreference.findMany({
    where: { userId },
    orderBy: [{ count: "desc" }, { lastAt: "desc" }],
    take: 20,
    select: { categoryId: true, expert: { select: { categories: { select: { categoryId: true } } } } },
  });
  const weights = new Map<string, number>();
  prefs.forEach((p, rank) => {
    const ids = p.categoryId ? [p.categoryId] : (p.expert?.categories.map((c) => c.categoryId) ?? []);
    for (const id of ids) weights.set(id, (weights.get(id) ?? 0) + (20 - rank));
  });
  const top = [...weights.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([id]) => id);
  if (top.length === 0) return [];
  const experts = await db.expertProfile.findMany({
    where: { published: true, user: { status: "ACTIVE" }, categories: { some: { categoryId: { in: top } } } },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: 30,
    select: {
      ...publicExpertSelect,
      categories: { select: { categoryId: true, category: { select: { slug: true, name: true } } } },
    },
  });
  const score = (e: (typeof experts)[number]) =>
    e.categories.reduce((sum, c) => sum + (weights.get(c.categoryId) ?? 0), 0);
  return experts
    .sort((a, b) => score(b) - score(a))
    .slice(0, take)
    .map((e) => toPublicExpert({ ...e, categories: e.categories.map((c) => ({ category: c.category })) }));
}

/** An expert profile's id by its slug (published or not: a booking outlives publication), or null. */
export async function expertIdBySlug({ db, slug }: { db: PrismaClient; slug: string }): Promise<string | null> {
  const expert = await db.expertProfile.findUnique({ where: { slug }, select: { id: true } });
  return expert?.id ?? null;
}
