// Wellness preferences (privacy promise P2): which topics a signed-in user browsed and which experts they engaged
// with, counted, to recommend topics and experts. The user can see them and clear them at any time; they belong
// in the user's data export. Nothing else is recorded (no pages, times of day, or search words).
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { WellnessPreferenceKind } from "../generated/prisma/enums.ts";
import { isUniqueViolation } from "../errors/index.ts";
import { hasHealthConsent } from "../privacy/health-consent.ts";

export type PreferenceTarget =
  { kind: "CATEGORY_BROWSED"; categoryId: string } | { kind: "EXPERT_ENGAGED"; expertId: string };

/**
 * Counts one more visit to a topic or engagement with an expert (one row per user and target) — only while the
 * person's explicit health-data consent stands (it is health data: core/privacy/health-consent.ts). Returns
 * whether anything was counted.
 */
export async function recordPreference(
  db: PrismaClient,
  userId: string,
  target: PreferenceTarget,
  now: Date = new Date(),
): Promise<boolean> {
  if (!(await hasHealthConsent(db, userId))) return false;
  const where =
    target.kind === "CATEGORY_BROWSED"
      ? { userId_kind_categoryId: { userId, kind: target.kind, categoryId: target.categoryId } }
      : { userId_kind_expertId: { userId, kind: target.kind, expertId: target.expertId } };
  const upsert = () =>
    db.wellnessPreference.upsert({
      where,
      create: { userId, ...target, count: 1, lastAt: now },
      update: { count: { increment: 1 }, lastAt: now },
      select: { id: true },
    });
  try {
    await upsert();
  } catch (error) {
    // Two first visits at once: one creates the row, the other's create hits the unique key; count it again.
    if (!isUniqueViolation(error)) throw error;
    await upsert();
  }
  return true;
}

export const recordCategoryBrowsed = (
  db: PrismaClient,
  { userId, categoryId }: { userId: string; categoryId: string },
  now?: Date,
) => recordPreference(db, userId, { kind: "CATEGORY_BROWSED", categoryId }, now);

export const recordExpertEngaged = (
  db: PrismaClient,
  { userId, expertId }: { userId: string; expertId: string },
  now?: Date,
) => recordPreference(db, userId, { kind: "EXPERT_ENGAGED", expertId }, now);

export interface WellnessPreferenceView {
  kind: WellnessPreferenceKind;
  count: number;
  lastAt: Date;
  category: { slug: string; name: string } | null;
  expert: { slug: string; name: string } | null;
}

/** The user's own preferences, most used first (what the privacy center shows and recommendations read). */
/** The query of a person's preferences, most frequent first; also read with the account in one statement. */
export const preferencesQuery = {
  orderBy: [{ count: "desc" }, { lastAt: "desc" }, { id: "asc" }],
  take: 500,
  select: {
    kind: true,
    count: true,
    lastAt: true,
    category: { select: { slug: true, name: true } },
    expert: { select: { slug: true, user: { select: { name: true } } } },
  },
} as const satisfies Prisma.WellnessPreferenceFindManyArgs;

type PreferenceRow = Prisma.WellnessPreferenceGetPayload<typeof preferencesQuery>;

export function toPreferenceView(r: PreferenceRow): WellnessPreferenceView {
  return {
    kind: r.kind,
    count: r.count,
    lastAt: r.lastAt,
    category: r.category,
    expert: r.expert ? { slug: r.expert.slug, name: r.expert.user.name } : null,
  };
}

export async function listPreferences(db: PrismaClient, userId: string): Promise<WellnessPreferenceView[]> {
  const rows = await db.wellnessPreference.findMany({ where: { userId }, ...preferencesQuery });
  return rows.map(toPreferenceView);
}

/** Deletes all of the user's preferences; returns how many there were. */
export async function clearPreferences(db: PrismaClient, userId: string): Promise<number> {
  const { count } = await db.wellnessPreference.deleteMany({ where: { userId } });
  return count;
}

/**
 * Counts a topic browsed or a published expert engaged with, named by the slug the page knows (an unknown slug
 * counts nothing). Same consent rule as recordPreference.
 */
export async function recordPreferenceBySlug({
  db,
  userId,
  kind,
  slug,
  now,
}: {
  db: PrismaClient;
  userId: string;
  kind: "category" | "expert";
  slug: string;
  now?: Date;
}): Promise<boolean> {
  if (kind === "category") {
    const category = await db.category.findUnique({ where: { slug }, select: { id: true } });
    return category ? recordCategoryBrowsed(db, { userId, categoryId: category.id }, now) : false;
  }
  const expert = await db.expertProfile.findFirst({ where: { slug, published: true }, select: { id: true } });
  return expert ? recordExpertEngaged(db, { userId, expertId: expert.id }, now) : false;
}
