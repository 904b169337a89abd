import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestExpert } from "../platform/testing/experts.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { createUser } from "../identity/users.ts";
import { clearPreferences, recordCategoryBrowsed, recordExpertEngaged } from "../scheduling/preferences.ts";
import {
  createCategory,
  createExpert,
  getPublishedExpert,
  getPublishedExpertWithSchedule,
  listExpertLanguages,
  listPublishedExperts,
  recommendedExperts,
} from "./index.ts";
import { giveHealthConsent } from "../privacy/health-consent.ts";
import { loadSchedules, nextSlotsForExperts, slotsOf } from "../scheduling/schedule.ts";

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

describe("the booking page's expert and schedule", () => {
  it("are what the two separate reads give, in one statement, and only for a published, active expert", async () => {
    const expert = await createTestExpert(db(), "schedule-expert", {
      availability: [1, 2, 3, 4, 5].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
    });
    const now = new Date();
    const range = { from: now, to: new Date(now.getTime() + 28 * 86_400_000) };
    const user = await createUser(db(), { email: "sched-user@example.com", name: "Sched User", emailVerified: true });
    const first = nextSlotsForExperts(db(), [expert.id], { ...range, now }).then((m) => m.get(expert.id)![0]!);
    const taken = await first;
    await db().booking.create({
      data: {
        userId: user.id,
        expertId: expert.id,
        categoryId: (await db().category.findUniqueOrThrow({ where: { slug: "calm" } })).id,
        roomName: "schedule-test-room",
        startsAt: taken.startsAt,
        endsAt: taken.endsAt,
        blockedUntil: taken.endsAt,
        status: "CONFIRMED",
      },
    });
    await db().timeOff.create({
      data: {
        expertId: expert.id,
        startsAt: new Date(now.getTime() + 7 * 86_400_000),
        endsAt: new Date(now.getTime() + 9 * 86_400_000),
      },
    });

    const { result, queries } = await countQueries(() =>
      getPublishedExpertWithSchedule(db(), "schedule-expert", range),
    );
    expect(queries).toBe(1);
    expect(result!.expert).toEqual(await getPublishedExpert(db(), "schedule-expert"));
    expect(result!.schedule).toEqual((await loadSchedules(db(), [expert.id], range)).get(expert.id));
    expect(result!.schedule.bookings).toHaveLength(1);
    expect(result!.schedule.timeOff).toHaveLength(1);
    const slots = slotsOf(result!.schedule, { ...range, now });
    expect(slots).toEqual((await nextSlotsForExperts(db(), [expert.id], { ...range, now })).get(expert.id));
    expect(slots.map((s) => s.startsAt.getTime())).not.toContain(taken.startsAt.getTime());

    await db().expertProfile.update({ where: { id: expert.id }, data: { published: false } });
    expect(await getPublishedExpertWithSchedule(db(), "schedule-expert", range)).toBeNull();
    expect(await getPublishedExpertWithSchedule(db(), "../etc", range)).toBeNull();
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
