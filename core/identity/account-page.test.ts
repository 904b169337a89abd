// The account page's data in one statement: the same answers as the three separate reads it replaced.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory } from "../catalog/index.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { getEmailPreferences, setEmailPreferences } from "../privacy/communications.ts";
import { giveHealthConsent } from "../privacy/health-consent.ts";
import { listPreferences, recordCategoryBrowsed } from "../scheduling/preferences.ts";
import { accountPage } from "./account-page.ts";
import { avatarVersion } from "./avatar.ts";
import { createUser } from "./users.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the account page's data", () => {
  it("is what the separate reads give, in one statement, and only the owner's", async () => {
    const db = t.db.prisma;
    const calm = await createCategory(db, { slug: "calm", name: "Calm", description: "Feeling calmer day to day." });
    const sleep = await createCategory(db, { slug: "sleep", name: "Sleep", description: "Sleeping better at night." });
    const me = await createUser(db, { email: "page@example.com", name: "Page Person", emailVerified: true });
    const other = await createUser(db, { email: "other@example.com", name: "Other Person", emailVerified: true });
    for (const u of [me, other]) await giveHealthConsent(db, u.id, "SETTINGS");
    await recordCategoryBrowsed(db, { userId: me.id, categoryId: calm.id });
    await recordCategoryBrowsed(db, { userId: me.id, categoryId: sleep.id });
    await recordCategoryBrowsed(db, { userId: me.id, categoryId: sleep.id });
    await recordCategoryBrowsed(db, { userId: other.id, categoryId: calm.id });
    await setEmailPreferences(db, me.id, { reminders: false, newsletter: true, details: true });
    await db.userAvatar.create({
      data: { userId: me.id, data: new Uint8Array([1, 2, 3]), updatedAt: new Date("2027-01-01T10:00:00Z") },
    });

    const { result, queries } = await countQueries(() => accountPage(db, me.id));
    expect(queries).toBe(1);
    expect(result).toEqual({
      avatarVersion: await avatarVersion(db, me.id),
      emailPreferences: await getEmailPreferences(db, me.id),
      preferences: await listPreferences(db, me.id),
    });
    expect(result.avatarVersion).toBe(Date.parse("2027-01-01T10:00:00Z"));
    expect(result.preferences.map((p) => [p.category?.slug, p.count])).toEqual([
      ["sleep", 2],
      ["calm", 1],
    ]);

    const theirs = await accountPage(db, other.id);
    expect(theirs.avatarVersion).toBeNull();
    expect(theirs.preferences.map((p) => [p.category?.slug, p.count])).toEqual([["calm", 1]]);
    await expect(accountPage(db, "00000000-0000-7000-8000-000000000000")).rejects.toThrow("Account not found");
  });
});
