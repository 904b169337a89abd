// Wellness preferences (P2): recorded per signed-in user, visible to them, and cleared on request.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  giveHealthConsent,
  hasHealthConsent,
  healthConsentState,
  HEALTH_CONSENT_VERSION,
  withdrawHealthConsent,
} from "../privacy/health-consent.ts";
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

/** A person who gave the explicit health-data consent (preferences are counted only then). */
const user = async (email: string) => {
  const u = await createUser(t.db.prisma, { email, name: "Pref Person", emailVerified: true });
  await giveHealthConsent(t.db.prisma, u.id, "SETTINGS");
  return u;
};

describe("wellness preferences", () => {
  it("count topics browsed and experts engaged with, one row per target, even when recorded at once", async () => {
    const me = await user("pref1@example.com");
    const first = new Date("2027-01-01T10:00:00Z");
    await Promise.all(
      Array.from({ length: 5 }, () =>
        recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: calm.id }, first),
      ),
    );
    await recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: sleep.id }, first);
    const later = new Date("2027-01-02T10:00:00Z");
    await recordExpertEngaged(t.db.prisma, { userId: me.id, expertId }, later);
    await recordExpertEngaged(t.db.prisma, { userId: me.id, expertId }, later);
    expect(await listPreferences(t.db.prisma, me.id)).toEqual([
      { kind: "CATEGORY_BROWSED", count: 5, lastAt: first, category: { slug: "calm", name: "Calm" }, expert: null },
      { kind: "EXPERT_ENGAGED", count: 2, lastAt: later, category: null, expert: { slug: "eve", name: "Eve Expert" } },
      { kind: "CATEGORY_BROWSED", count: 1, lastAt: first, category: { slug: "sleep", name: "Sleep" }, expert: null },
    ]);
  });

  it("are each user's own, and clearing removes all of them and nobody else's", async () => {
    const a = await user("pref2@example.com");
    const b = await user("pref3@example.com");
    await recordCategoryBrowsed(t.db.prisma, { userId: a.id, categoryId: calm.id });
    await recordCategoryBrowsed(t.db.prisma, { userId: b.id, categoryId: calm.id });
    await recordExpertEngaged(t.db.prisma, { userId: a.id, expertId });
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

describe("health-data consent and wellness preferences (Art. 9)", () => {
  it("nothing is counted without the explicit consent; giving it records the text version", async () => {
    const me = await createUser(t.db.prisma, { email: "hc1@example.com", name: "No Consent", emailVerified: true });
    expect(await recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: calm.id })).toBe(false);
    expect(await recordExpertEngaged(t.db.prisma, { userId: me.id, expertId })).toBe(false);
    expect(await t.db.prisma.wellnessPreference.count({ where: { userId: me.id } })).toBe(0);
    expect(await healthConsentState(t.db.prisma, me.id)).toEqual({ given: false, at: null, textVersion: null });
    expect(await hasHealthConsent(t.db.prisma, me.id)).toBe(false);

    const at = new Date("2027-01-03T09:00:00Z");
    await giveHealthConsent(t.db.prisma, me.id, "SETTINGS", at);
    const rows = await t.db.prisma.consent.findMany({
      where: { userId: me.id },
      select: { kind: true, given: true, source: true, at: true, textVersion: true },
    });
    expect(rows).toEqual([
      { kind: "HEALTH_DATA", given: true, source: "SETTINGS", at, textVersion: HEALTH_CONSENT_VERSION },
    ]);
    expect(await hasHealthConsent(t.db.prisma, me.id)).toBe(true);
    // Giving it again records nothing new.
    await giveHealthConsent(t.db.prisma, me.id, "BOOKING");
    expect(await t.db.prisma.consent.count({ where: { userId: me.id } })).toBe(1);
    expect(await recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: calm.id })).toBe(true);
    expect(await t.db.prisma.wellnessPreference.count({ where: { userId: me.id } })).toBe(1);
  });

  it("withdrawal deletes the preferences at once, stops the counting, keeps bookings and nobody else's data", async () => {
    const me = await user("hc2@example.com");
    const other = await user("hc3@example.com");
    await recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: calm.id });
    await recordExpertEngaged(t.db.prisma, { userId: me.id, expertId });
    await recordCategoryBrowsed(t.db.prisma, { userId: other.id, categoryId: sleep.id });
    const booking = await t.db.prisma.booking.create({
      data: {
        userId: me.id,
        expertId,
        categoryId: calm.id,
        startsAt: new Date("2027-02-01T10:00:00Z"),
        endsAt: new Date("2027-02-01T10:50:00Z"),
        blockedUntil: new Date("2027-02-01T11:00:00Z"),
        roomName: "mn-health-consent-test",
      },
      select: { id: true },
    });

    expect(await withdrawHealthConsent(t.db.prisma, me.id)).toEqual({ deletedPreferences: 2 });
    expect(await listPreferences(t.db.prisma, me.id)).toEqual([]);
    expect((await healthConsentState(t.db.prisma, me.id)).given).toBe(false);
    // The booking page's check reads the same latest choice (and nobody else's).
    expect(await hasHealthConsent(t.db.prisma, me.id)).toBe(false);
    expect(await hasHealthConsent(t.db.prisma, other.id)).toBe(true);
    // Counting has stopped.
    expect(await recordCategoryBrowsed(t.db.prisma, { userId: me.id, categoryId: sleep.id })).toBe(false);
    expect(await t.db.prisma.wellnessPreference.count({ where: { userId: me.id } })).toBe(0);
    // The booking stays; the other person's preferences too.
    expect(await t.db.prisma.booking.count({ where: { id: booking.id } })).toBe(1);
    expect(await listPreferences(t.db.prisma, other.id)).toHaveLength(1);
    // The history keeps both choices.
    const history = await t.db.prisma.consent.findMany({
      where: { userId: me.id, kind: "HEALTH_DATA" },
      orderBy: { at: "asc" },
      select: { given: true },
    });
    expect(history.map((h) => h.given)).toEqual([true, false]);
  });
});
