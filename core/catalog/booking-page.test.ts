import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestExpert } from "../platform/testing/experts.ts";
import { notificationsDuring as notifications } from "../platform/testing/notifications.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { createUser } from "../identity/users.ts";
import { slotsOf } from "../scheduling/schedule.ts";
import { BOOKING_DAYS, BOOKING_PAGES_CHANNEL, createBookingPageCache } from "./booking-page.ts";
import { createCategory, getPublishedExpertWithSchedule } from "./index.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const DAY = 86_400_000;
let expert: { id: string; slug: string; userId: string };
let other: { id: string; slug: string; userId: string };
let calmId: string;
let clientId: string;
let n = 0;

const newExpert = () =>
  createTestExpert(db(), `booking-page-${++n}`, {
    // Every day, so that a free time exists whatever day the test runs.
    availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 540, endMinute: 1020 })),
  });

/** What the booking page showed before the cache: one read and the slot rules, at `now`. */
async function direct(slug: string, now: Date) {
  const range = { from: now, to: new Date(now.getTime() + BOOKING_DAYS * DAY) };
  const found = await getPublishedExpertWithSchedule(db(), slug, range);
  return found && { expert: found.expert, slots: slotsOf(found.schedule, { ...range, now, limit: 400 }) };
}

const notificationsDuring = (run: () => Promise<unknown>) => notifications(t.db, BOOKING_PAGES_CHANNEL, run);

beforeAll(async () => {
  t = await createTestDatabase();
  calmId = (await createCategory(db(), { slug: "calm", name: "Calm", description: "Finding calm in busy days." })).id;
  expert = await newExpert();
  other = await newExpert();
  clientId = (await createUser(db(), { email: "bp-client@example.com", name: "Client", emailVerified: true })).id;
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the booking page's reading of an expert", () => {
  it("equals a fresh read at any moment of its life, and costs no statement while kept", async () => {
    const cache = createBookingPageCache({ ttlMs: 30_000 });
    const now = new Date();
    const first = await countQueries(() => cache.read(db(), expert.slug, now));
    expect(first.queries).toBe(1);
    expect(first.result).toEqual(await direct(expert.slug, now));
    expect(first.result!.slots.length).toBeGreaterThan(10);
    // Later within its life: no statement, and the slots are those a fresh read gives then (the earliest ones
    // drop out as the minimum notice moves on; the window's end moves too).
    for (const later of [1_000, 29_999]) {
      const at = new Date(now.getTime() + later);
      const kept = await countQueries(() => cache.read(db(), expert.slug, at));
      expect(kept.queries).toBe(0);
      expect(kept.result).toEqual(await direct(expert.slug, at));
    }
    // Past its life it is read again.
    const expired = await countQueries(() => cache.read(db(), expert.slug, new Date(now.getTime() + 30_000)));
    expect(expired.queries).toBe(1);
  });

  it("lets a time go as its minimum notice passes, as a fresh read would", async () => {
    const probe = (await direct(other.slug, new Date()))!;
    const first = probe.slots[0]!;
    // One millisecond before the first free time becomes too soon to book.
    const edge = new Date(first.startsAt.getTime() - probe.expert.minNoticeHours * 3_600_000 - 1);
    const cache = createBookingPageCache();
    const before = (await cache.read(db(), other.slug, edge))!;
    expect(before).toEqual(await direct(other.slug, edge));
    expect(before.slots.map((s) => s.startsAt.getTime())).toContain(first.startsAt.getTime());
    const after = new Date(edge.getTime() + 2);
    const kept = await countQueries(() => cache.read(db(), other.slug, after));
    expect(kept.queries).toBe(0);
    expect(kept.result).toEqual(await direct(other.slug, after));
    expect(kept.result!.slots.map((s) => s.startsAt.getTime())).not.toContain(first.startsAt.getTime());
  });

  it("keeps nothing for an unknown or unpublished expert", async () => {
    const cache = createBookingPageCache();
    expect(await cache.read(db(), "nobody-here", new Date())).toBeNull();
    expect(await cache.read(db(), "../etc", new Date())).toBeNull();
    expect(cache.size).toBe(0);
  });

  it("reads once for a burst of visitors", async () => {
    const cache = createBookingPageCache();
    const now = new Date();
    const { result, queries } = await countQueries(() =>
      Promise.all(Array.from({ length: 20 }, () => cache.read(db(), other.slug, now))),
    );
    expect(queries).toBe(1);
    expect(new Set(result.map((r) => r!.slots.length)).size).toBe(1);
  });

  it("does not keep a reading that an invalidation overtook", async () => {
    const cache = createBookingPageCache();
    const reading = cache.read(db(), expert.slug, new Date());
    cache.invalidate(expert.id); // a change committed while the statement was on its way
    expect(await reading).not.toBeNull();
    expect(cache.size).toBe(0);
    await cache.read(db(), expert.slug, new Date());
    expect(cache.size).toBe(1);
    // Invalidating another expert leaves this one; "" drops every one.
    cache.invalidate(other.id);
    expect(cache.size).toBe(1);
    cache.invalidate("");
    expect(cache.size).toBe(0);
  });

  it("keeps a reading in flight when another expert changes, and not when every expert does", async () => {
    const cache = createBookingPageCache();
    await cache.read(db(), other.slug, new Date()); // the cache now knows which expert the slug is
    cache.invalidate(other.id);
    const reading = cache.read(db(), expert.slug, new Date());
    cache.invalidate(other.id); // someone booked the other expert meanwhile
    await reading;
    expect(cache.size).toBe(1);
    const { queries } = await countQueries(() => cache.read(db(), expert.slug, new Date()));
    expect(queries).toBe(0);

    cache.invalidate(expert.id);
    const again = cache.read(db(), expert.slug, new Date());
    cache.invalidate(""); // a topic renamed meanwhile
    await again;
    expect(cache.size).toBe(0);
  });

  it("does not share a load that an invalidation of its expert overtook", async () => {
    const cache = createBookingPageCache();
    await cache.read(db(), expert.slug, new Date());
    cache.invalidate(expert.id);
    const { queries } = await countQueries(async () => {
      const first = cache.read(db(), expert.slug, new Date());
      cache.invalidate(expert.id);
      // A reader after the change starts its own load instead of waiting for the stale one.
      await Promise.all([first, cache.read(db(), expert.slug, new Date())]);
    });
    expect(queries).toBe(2);
    expect(cache.size).toBe(1);
  });
});

describe("the database says when an expert's booking page changed", () => {
  it("names the expert for their bookings, hours, time off, topics and profile", async () => {
    const now = new Date();
    const slot = (await direct(expert.slug, now))!.slots[0]!;
    let bookingId = "";
    const cases: [string, () => Promise<unknown>][] = [
      [
        "a booking",
        async () => {
          bookingId = (
            await db().booking.create({
              data: {
                userId: clientId,
                expertId: expert.id,
                categoryId: calmId,
                roomName: "booking-page-test",
                startsAt: slot.startsAt,
                endsAt: slot.endsAt,
                blockedUntil: slot.endsAt,
              },
            })
          ).id;
        },
      ],
      ["a cancellation", () => db().booking.update({ where: { id: bookingId }, data: { status: "CANCELLED" } })],
      [
        "weekly hours",
        () =>
          db().availabilityRule.create({ data: { expertId: expert.id, weekday: 1, startMinute: 0, endMinute: 60 } }),
      ],
      [
        "time off",
        () =>
          db().timeOff.create({
            data: {
              expertId: expert.id,
              startsAt: new Date(now.getTime() + DAY),
              endsAt: new Date(now.getTime() + 2 * DAY),
            },
          }),
      ],
      ["the profile", () => db().expertProfile.update({ where: { id: expert.id }, data: { headline: "New words" } })],
      ["a topic", () => db().expertCategory.deleteMany({ where: { expertId: expert.id, categoryId: calmId } })],
    ];
    for (const [what, change] of cases) {
      expect(await notificationsDuring(change), what).toEqual([expert.id]);
    }
  });

  it("says every expert when a name, status, photo or topic name changes", async () => {
    for (const change of [
      () => db().user.update({ where: { id: other.userId }, data: { name: "Renamed Expert" } }),
      () => db().user.update({ where: { id: other.userId }, data: { status: "SUSPENDED" } }),
      () => db().category.update({ where: { id: calmId }, data: { name: "Calm and steady" } }),
      () =>
        db().userAvatar.create({
          data: { userId: other.userId, data: Buffer.from([1, 2, 3]), updatedAt: new Date() },
        }),
    ]) {
      expect(await notificationsDuring(change)).toEqual([""]);
    }
    // A person's other details (their sign-in, their settings) are not the booking page's business.
    expect(
      await notificationsDuring(() => db().user.update({ where: { id: clientId }, data: { timezone: "Asia/Tokyo" } })),
    ).toEqual([]);
  });

  it("a cache listening to it shows a new booking at once", async () => {
    const cache = createBookingPageCache({ ttlMs: 60_000 });
    const stop = await t.db.listen(BOOKING_PAGES_CHANNEL, (id) => cache.invalidate(id));
    try {
      const fresh = await newExpert();
      const before = (await cache.read(db(), fresh.slug))!;
      const taken = before.slots[0]!;
      await db().booking.create({
        data: {
          userId: clientId,
          expertId: fresh.id,
          categoryId: calmId,
          roomName: "booking-page-test-2",
          startsAt: taken.startsAt,
          endsAt: taken.endsAt,
          blockedUntil: taken.endsAt,
        },
      });
      const until = Date.now() + 1_000;
      while (cache.size > 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
      const after = (await cache.read(db(), fresh.slug))!;
      expect(after.slots.map((s) => s.startsAt.getTime())).not.toContain(taken.startsAt.getTime());
    } finally {
      await stop();
    }
  });
});
