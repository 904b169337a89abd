import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { createUser } from "../identity/users.ts";
import { clearPreferences, recordCategoryBrowsed, recordExpertEngaged } from "../scheduling/preferences.ts";
import {
  createCategory,
  createExpert,
  getPublishedExpert,
  listExpertLanguages,
  listPublishedExperts,
  recommendedExperts,
} from "./index.ts";
import { giveHealthConsent } from "../privacy/health-consent.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
let n = 0;
const addExperts = async (count: number) => {
  for (let i = 0; i < count; i++) {
    n++;
    await createExpert(db(), {
      email: `e${n}@experts.example`,
      name: `Expert Number ${n}`,
      slug: `expert-${n}`,
      headline: `Helps with calm, ${n}`,
      bio: "A calm, experienced practitioner who has helped many people.",
      languages: n % 2 ? ["English"] : ["English", "Hindi"],
      timezone: "Asia/Kolkata",
      categorySlugs: n % 3 ? ["calm"] : ["calm", "sleep"],
      published: true,
      availability: [{ weekday: 1, startMinute: 540, endMinute: 1020 }],
    });
  }
};

beforeAll(async () => {
  t = await createTestDatabase();
  await createCategory(db(), { slug: "calm", name: "Calm", description: "Finding calm in busy days." });
  await createCategory(db(), { slug: "sleep", name: "Sleep", description: "Better nights and calmer mornings." });
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the expert directory", () => {
  it("makes the same, small number of queries for 3 experts and for 40 (no N+1)", async () => {
    await addExperts(3);
    const few = await countQueries(() => listPublishedExperts(db(), { take: 24 }));
    expect(few.result.experts).toHaveLength(3);
    await addExperts(37);
    const many = await countQueries(() => listPublishedExperts(db(), { take: 24 }));
    expect(many.result.experts).toHaveLength(24);
    expect(many.result.total).toBe(40);
    expect(few.queries).toBeGreaterThan(0);
    expect(many.queries).toBe(few.queries);
    expect(many.queries).toBeLessThanOrEqual(6);
    const filtered = await countQueries(() =>
      listPublishedExperts(db(), { q: "number", categorySlug: "sleep", language: "Hindi" }),
    );
    expect(filtered.queries).toBe(few.queries);
    expect(
      filtered.result.experts.every(
        (e) => e.languages.includes("Hindi") && e.categories.some((c) => c.slug === "sleep"),
      ),
    ).toBe(true);
  });

  it("lists languages once each and shows only published, active experts", async () => {
    expect(await listExpertLanguages(db())).toEqual(["English", "Hindi"]);
    await db().expertProfile.update({ where: { slug: "expert-1" }, data: { published: false } });
    expect(await getPublishedExpert(db(), "expert-1")).toBeNull();
    expect((await listPublishedExperts(db(), { q: "Number 1" })).experts.map((e) => e.slug)).not.toContain("expert-1");
    await db().user.update({ where: { email: "e2@experts.example" }, data: { status: "SUSPENDED" } });
    expect(await getPublishedExpert(db(), "expert-2")).toBeNull();
    expect(await getPublishedExpert(db(), "../etc")).toBeNull();
  });
});

describe("recommended for you", () => {
  it("follows the person's own preferences, and is empty without them or after clearing", async () => {
    const user = await createUser(db(), { email: "rec@example.com", name: "Rec User", emailVerified: true });
    await giveHealthConsent(db(), user.id, "SETTINGS");
    expect(await recommendedExperts(db(), user.id)).toEqual([]);
    const sleep = await db().category.findUniqueOrThrow({ where: { slug: "sleep" } });
    for (let i = 0; i < 3; i++) await recordCategoryBrowsed(db(), { userId: user.id, categoryId: sleep.id });
    const recs = await recommendedExperts(db(), user.id, 3);
    expect(recs.length).toBe(3);
    expect(recs.every((e) => e.categories.some((c) => c.slug === "sleep"))).toBe(true);
    const other = await createUser(db(), { email: "other-rec@example.com", name: "Other", emailVerified: true });
    await giveHealthConsent(db(), other.id, "SETTINGS");
    const someone = await db().expertProfile.findUniqueOrThrow({ where: { slug: "expert-4" } });
    await recordExpertEngaged(db(), { userId: other.id, expertId: someone.id });
    expect((await recommendedExperts(db(), other.id)).length).toBeGreaterThan(0);
    await clearPreferences(db(), user.id);
    expect(await recommendedExperts(db(), user.id)).toEqual([]);
  });
});
