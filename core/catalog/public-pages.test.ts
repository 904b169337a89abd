// The database tells every instance when a row the public pages are made of changes (migration
// 20261206050000_public_pages_notify): whoever writes it, the routes included that never clear the cache
// themselves (a person renaming themselves, a new photo). What the pages do not show stays quiet, bookings too.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestExpert } from "../platform/testing/experts.ts";
import { notificationsDuring as notifications } from "../platform/testing/notifications.ts";
import { createUser } from "../identity/users.ts";
import { createCategory } from "./index.ts";
import { PUBLIC_PAGES_CHANNEL } from "./public-pages.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const DAY = 86_400_000;
let expert: { id: string; slug: string; userId: string };
let calmId: string;
let clientId: string;

/** How many notifications the channel got while `run` ran (and a moment after: they come after the commit). */
const notificationsDuring = async (run: () => Promise<unknown>) =>
  (await notifications(t.db, PUBLIC_PAGES_CHANNEL, run)).length;

/** A 50-minute session of the client with the expert at `startsAt`. */
const book = (startsAt: Date, roomName: string, status?: "COMPLETED") =>
  db().booking.create({
    data: {
      userId: clientId,
      expertId: expert.id,
      categoryId: calmId,
      roomName,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 50 * 60_000),
      blockedUntil: new Date(startsAt.getTime() + 60 * 60_000),
      status,
    },
  });

beforeAll(async () => {
  t = await createTestDatabase();
  calmId = (await createCategory(db(), { slug: "calm", name: "Calm", description: "Finding calm in busy days." })).id;
  expert = await createTestExpert(db(), "public-pages", {
    availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
  });
  clientId = (await createUser(db(), { email: "pp-client@example.com", name: "Client", emailVerified: true })).id;
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the database says when a public page's content changed", () => {
  it("for every table a public page is made of, once per statement", async () => {
    const booking = await book(new Date(Date.now() - 2 * DAY), "public-pages-test", "COMPLETED");
    let reviewId = "";
    const cases: [string, () => Promise<unknown>][] = [
      ["the profile", () => db().expertProfile.update({ where: { id: expert.id }, data: { headline: "New words" } })],
      ["unpublishing", () => db().expertProfile.update({ where: { id: expert.id }, data: { published: false } })],
      ["a topic of the expert", () => db().expertCategory.deleteMany({ where: { expertId: expert.id } })],
      ["a topic's name", () => db().category.update({ where: { id: calmId }, data: { name: "Calm and steady" } })],
      [
        "a new topic",
        () => db().category.create({ data: { slug: "rest", name: "Rest", description: "Resting well, every day." } }),
      ],
      [
        "weekly hours",
        () =>
          db().availabilityRule.create({ data: { expertId: expert.id, weekday: 1, startMinute: 0, endMinute: 60 } }),
      ],
      [
        "time off",
        () =>
          db().timeOff.create({
            data: { expertId: expert.id, startsAt: new Date(Date.now() + DAY), endsAt: new Date(Date.now() + 2 * DAY) },
          }),
      ],
      [
        "a review",
        async () => {
          reviewId = (
            await db().review.create({
              data: { bookingId: booking.id, authorId: clientId, expertId: expert.id, rating: 4 },
            })
          ).id;
        },
      ],
      ["a review hidden", () => db().review.update({ where: { id: reviewId }, data: { hiddenAt: new Date() } })],
      ["a name", () => db().user.update({ where: { id: expert.userId }, data: { name: "Renamed Expert" } })],
      ["a status", () => db().user.update({ where: { id: expert.userId }, data: { status: "SUSPENDED" } })],
      [
        "a photo",
        () =>
          db().userAvatar.create({
            data: { userId: expert.userId, data: Buffer.from([1, 2, 3]), updatedAt: new Date() },
          }),
      ],
      [
        "many hours in one statement",
        () =>
          db().availabilityRule.createMany({
            data: [2, 3, 4].map((weekday) => ({ expertId: expert.id, weekday, startMinute: 60, endMinute: 120 })),
          }),
      ],
    ];
    for (const [what, change] of cases) {
      expect(await notificationsDuring(change), what).toBe(1);
    }
  });

  it("not for what no public page shows: bookings, a person's other details", async () => {
    const quiet: [string, () => Promise<unknown>][] = [
      ["a booking", () => book(new Date(Date.now() + 3 * DAY), "public-pages-test-2")],
      ["a time zone", () => db().user.update({ where: { id: clientId }, data: { timezone: "Asia/Tokyo" } })],
    ];
    for (const [what, change] of quiet) {
      expect(await notificationsDuring(change), what).toBe(0);
    }
  });
});
