// Wellness preferences (P2): recorded per signed-in user, visible to them, and cleared on request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { clearPreferences, listPreferences, recordCategoryBrowsed, recordExpertEngaged } from "./preferences.ts";

let t: TestDatabase;
let calm: { id: string };
let sleep: { id: string };
let expertId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  calm = await createCategory(t.db.prisma, { slug: "calm", name: "Calm", description: "Feeling calmer day to day." });
  sleep = await createCategory(t.db.prisma, { slug: "sleep", name: "Sleep", description: "Sleeping better at night." });
  const expert = await createExpert(t.db.prisma, {
    email: "eve@example.com",
    name: "Eve Expert",
    slug: "eve",
    headline: "Sleep and calm",
    bio: "Helps people sleep better and feel calmer, gently.",
    languages: ["English"],
    timezone: "Asia/Kolkata",
    categorySlugs: ["calm", "sleep"],
    published: true,
  });
  expertId = expert.id;
});
afterAll(async () => {
  await t?.cleanup();
});

const user = (email: string) => createUser(t.db.prisma, { email, name: "Pref Person", emailVerified: true });

describe("wellness preferences", () => {
  it("count topics browsed and experts engaged with, one row per target, even when recorded at once", async () => {
    const me = await user("pref1@example.com");
    const first = new Date("2027-01-01T10:00:00Z");
    await Promise.all(Array.from({ length: 5 }, () => recordCategoryBrowsed(t.db.prisma, me.id, calm.id, first)));
    await recordCategoryBrowsed(t.db.prisma, me.id, sleep.id, first);
    const later = new Date("2027-01-02T10:00:00Z");
    await recordExpertEngaged(t.db.prisma, me.id, expertId, later);
    await recordExpertEngaged(t.db.prisma, me.id, expertId, later);
    expect(await listPreferences(t.db.prisma, me.id)).toEqual([
      { kind: "CATEGORY_BROWSED", count: 5, lastAt: first, category: { slug: "calm", name: "Calm" }, expert: null },
      { kind: "EXPERT_ENGAGED", count: 2, lastAt: later, category: null, expert: { slug: "eve", name: "Eve Expert" } },
      { kind: "CATEGORY_BROWSED", count: 1, lastAt: first, category: { slug: "sleep", name: "Sleep" }, expert: null },
    ]);
  });

  it("are each user's own, and clearing removes all of them and nobody else's", async () => {
    const a = await user("pref2@example.com");
    const b = await user("pref3@example.com");
    await recordCategoryBrowsed(t.db.prisma, a.id, calm.id);
    await recordCategoryBrowsed(t.db.prisma, b.id, calm.id);
    await recordExpertEngaged(t.db.prisma, a.id, expertId);
    expect(await listPreferences(t.db.prisma, b.id)).toHaveLength(1);
    expect(await clearPreferences(t.db.prisma, a.id)).toBe(2);
    expect(await listPreferences(t.db.prisma, a.id)).toEqual([]);
    expect(await listPreferences(t.db.prisma, b.id)).toHaveLength(1);
  });

  it("cannot hold a row whose target does not match its kind (database check)", async () => {
    const me = await user("pref4@example.com");
    await expect(
      t.db.prisma.wellnessPreference.create({ data: { userId: me.id, kind: "CATEGORY_BROWSED", expertId } }),
    ).rejects.toThrow(/WellnessPreference_target_check|23514/);
  });
});
