// Booking against a real database (PGlite in memory, or a fresh database on the server with TEST_DATABASE_URL).
// The clock is passed in: "now" is Tuesday 1 June 2027, 07:00 UTC (08:00 in London, BST).
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory } from "../catalog/index.ts";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestExpert } from "../platform/testing/experts.ts";
import { giveHealthConsent, HEALTH_CONSENT_NEEDED, withdrawHealthConsent } from "../privacy/health-consent.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import {
  bookSlot,
  cancelBooking,
  isExclusionViolation,
  isRetryableConflict,
  listExpertBookings,
  listUserBookings,
  rescheduleBooking,
  type Actor,
} from "./bookings.ts";
import { nextSlotsForExperts } from "./schedule.ts";
import { addTimeOff, listTimeOff, removeTimeOff } from "./time-off.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const NOW = new Date("2027-06-01T07:00:00Z");
const at = (iso: string) => new Date(iso);
const hoursAfter = (d: Date, h: number) => new Date(d.getTime() + h * 3_600_000);
const everyDay = (startMinute: number, endMinute: number) =>
  [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute, endMinute }));

let seq = 0;
async function client(
  opts: { verified?: boolean; healthConsent?: boolean } = {},
): Promise<Actor & { email: string; name: string }> {
  const n = ++seq;
  const email = `client${n}@example.com`;
  const name = `Client Number ${n}`;
  const user = await createUser(db(), { email, name, emailVerified: opts.verified ?? true });
  if (opts.healthConsent ?? true) await giveHealthConsent(db(), user.id, "BOOKING");
  return { userId: user.id, email, name };
}

async function expert(slug: string, opts: { published?: boolean; categories?: string[] } = {}) {
  const profile = await createTestExpert(db(), slug, {
    categorySlugs: opts.categories ?? ["anxiety", "sleep"],
    availability: everyDay(9 * 60, 17 * 60), // 08:00-16:00 UTC in June
    published: opts.published ?? true,
  });
  // sessionMinutes 50 (default); buffer 10, notice 12 h, cancellation window 24 h (schema defaults).
  return { ...profile, actor: { userId: profile.userId } satisfies Actor };
}

/** The refusal a promise rejects with, as { code, message }. */
async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

let ana: Awaited<ReturnType<typeof expert>>;
let ben: Awaited<ReturnType<typeof expert>>;

beforeAll(async () => {
  t = await createTestDatabase();
  for (const slug of ["anxiety", "sleep", "grief"]) {
    await createCategory(db(), {
      slug,
      name: `Topic ${slug}`,
      description: `Support for ${slug} and related matters.`,
    });
  }
  ana = await expert("ana");
  ben = await expert("ben");
});
afterAll(async () => {
  await t?.cleanup();
});

describe("the database itself", () => {
  it("refuses overlapping CONFIRMED bookings of one expert (buffer included) with SQLSTATE 23P01", async () => {
    const user = await client();
    const category = await db().category.findUniqueOrThrow({ where: { slug: "grief" }, select: { id: true } });
    const insert = (s: string, b: string, status?: "CONFIRMED" | "CANCELLED", expertId?: string) =>
      db().booking.create({
        data: {
          userId: user.userId,
          expertId: expertId ?? ana.id,
          categoryId: category.id,
          startsAt: at(s),
          endsAt: hoursAfter(at(s), 50 / 60),
          blockedUntil: at(b),
          status: status ?? "CONFIRMED",
          roomName: crypto.randomUUID(),
        },
        select: { id: true },
      });
    const first = await insert("2030-01-07T08:00:00Z", "2030-01-07T09:00:00Z");
    const clash = await insert("2030-01-07T08:55:00Z", "2030-01-07T09:55:00Z").catch((e: unknown) => e);
    expect(isExclusionViolation(clash)).toBe(true);
    // Back to back is fine ([) ranges), as are other experts and cancelled bookings.
    await insert("2030-01-07T09:00:00Z", "2030-01-07T10:00:00Z");
    await insert("2030-01-07T08:00:00Z", "2030-01-07T09:00:00Z", "CONFIRMED", ben.id);
    await insert("2030-01-07T08:30:00Z", "2030-01-07T09:30:00Z", "CANCELLED");
    // Reviving a cancelled booking into an overlap is refused too.
    const cancelled = await db().booking.findFirstOrThrow({
      where: { status: "CANCELLED", expertId: ana.id },
      select: { id: true },
    });
    const revive = await db()
      .booking.update({ where: { id: cancelled.id }, data: { status: "CONFIRMED" } })
      .catch((e: unknown) => e);
    expect(isExclusionViolation(revive)).toBe(true);
    await db().booking.deleteMany({ where: { userId: user.userId } });
    expect(first.id).toBeTruthy();
  });
});

describe("bookSlot", () => {
  it("20 people booking the same slot at once: exactly one booking", async () => {
    const people = await Promise.all(Array.from({ length: 20 }, () => client()));
    const startsAt = at("2027-06-02T08:00:00Z");
    const results = await Promise.allSettled(
      people.map((p) => bookSlot(db(), p, { expertSlug: "ana", categorySlug: "anxiety", startsAt }, NOW)),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(19);
    for (const r of lost) {
      expect(r.reason).toMatchObject({ code: "CONFLICT", message: "This time was just taken. Please choose another." });
    }
    expect(await db().booking.count({ where: { expertId: ana.id, startsAt, status: "CONFIRMED" } })).toBe(1);
  });

  it("a write the database aborted to break a deadlock is tried again, at most five times, then a sentence", async () => {
    // What PostgreSQL does to one of several inserts that wait on each other at the exclusion constraint on a busy
    // server (Prisma's P2034): nothing written, and the same insert may succeed or meet the winner when repeated.
    const deadlock = () => Object.assign(new Error("deadlock detected"), { code: "P2034" });
    const failingCreates = (times: number) => {
      let calls = 0;
      const real = db();
      const booking = new Proxy(real.booking, {
        get: (target, prop) =>
          prop === "create"
            ? (args: Parameters<typeof target.create>[0]) =>
                ++calls <= times ? Promise.reject(deadlock()) : target.create(args)
            : (Reflect.get(target, prop) as unknown),
      });
      const client = new Proxy(real, {
        get: (target, prop) => (prop === "booking" ? booking : (Reflect.get(target, prop) as unknown)),
      });
      return { client, calls: () => calls };
    };
    const input = { expertSlug: "ana", categorySlug: "anxiety", startsAt: at("2027-06-04T08:00:00Z") };

    const twice = failingCreates(2);
    const booked = await bookSlot(twice.client, await client(), input, NOW);
    expect(twice.calls()).toBe(3);
    expect(await db().booking.count({ where: { id: booked.id, status: "CONFIRMED" } })).toBe(1);

    const always = failingCreates(99);
    const refused = await bookSlot(
      always.client,
      await client(),
      { ...input, startsAt: at("2027-06-04T10:00:00Z") },
      NOW,
    )
      .then(() => null)
      .catch((e: unknown) => e);
    expect(always.calls()).toBe(5);
    // The time is still free, so not "taken": busy, in a sentence — never the raw database error.
    expect(refused).toMatchObject({
      code: "CONFLICT",
      message: "Many people are booking this time right now. Please try again in a moment.",
    });
    // The same person's other submit of this form commits while this one keeps deadlocking: theirs is returned.
    const me = await client();
    const idempotencyKey = crypto.randomUUID();
    const mine = { ...input, startsAt: at("2027-06-04T12:00:00Z"), idempotencyKey };
    let attempts = 0;
    const twin = new Proxy(db(), {
      get: (target, prop) =>
        prop === "booking"
          ? new Proxy(target.booking, {
              get: (booking, key) =>
                key === "create"
                  ? async (args: Parameters<typeof booking.create>[0]) => {
                      // On the last try, the other submit's insert lands first; ours deadlocks again.
                      if (++attempts === 5) await booking.create(args);
                      throw deadlock();
                    }
                  : (Reflect.get(booking, key) as unknown),
            })
          : (Reflect.get(target, prop) as unknown),
    });
    const replayed = await bookSlot(twin, me, mine, NOW);
    expect(attempts).toBe(5);
    expect(await db().booking.findMany({ where: { userId: me.userId }, select: { id: true } })).toEqual([
      { id: replayed.id },
    ]);
    expect(isRetryableConflict({ meta: { driverAdapterError: { cause: { originalCode: "40P01" } } } })).toBe(true);
    expect(isRetryableConflict({ meta: { driverAdapterError: { cause: { originalCode: "23P01" } } } })).toBe(false);
  });

  it("one person submitting the same form 20 times at once: one booking, returned to every submit", async () => {
    const me = await client();
    const idempotencyKey = crypto.randomUUID();
    const input = { expertSlug: "ana", categorySlug: "sleep", startsAt: at("2027-06-02T09:00:00Z"), idempotencyKey };
    const results = await Promise.all(Array.from({ length: 20 }, () => bookSlot(db(), me, input, NOW)));
    expect(new Set(results.map((r) => r.id)).size).toBe(1);
    expect(await db().booking.count({ where: { userId: me.userId } })).toBe(1);
    // Later, again: still the same booking, even though the slot now shows as taken.
    const again = await bookSlot(db(), me, input, NOW);
    expect(again.id).toBe(results[0]?.id);
    // The same key for another session is a client error, not a second booking.
    expect(await refusal(bookSlot(db(), me, { ...input, startsAt: at("2027-06-02T10:00:00Z") }, NOW))).toMatchObject({
      code: "CONFLICT",
    });
    // Another person's identical key is theirs alone.
    const other = await client();
    const theirs = await bookSlot(db(), other, { ...input, startsAt: at("2027-06-02T10:00:00Z") }, NOW);
    expect(theirs.id).not.toBe(again.id);
  });

  it("returns what the user needs: times, expert, topic and an unguessable room name", async () => {
    const me = await client();
    const b = await bookSlot(
      db(),
      me,
      { expertId: ana.id, categorySlug: "anxiety", startsAt: "2027-06-02T11:00:00.000Z" },
      NOW,
    );
    expect(b).toMatchObject({
      status: "CONFIRMED",
      startsAt: at("2027-06-02T11:00:00Z"),
      endsAt: at("2027-06-02T11:50:00Z"),
      expert: { slug: "ana", name: "Expert ana", timezone: "Europe/London" },
      category: { slug: "anxiety" },
      rescheduleCount: 0,
    });
    expect(b.roomName).toMatch(/^mn-[0-9a-f]{32}$/);
    const row = await db().booking.findUniqueOrThrow({ where: { id: b.id }, select: { blockedUntil: true } });
    expect(row.blockedUntil).toEqual(at("2027-06-02T12:00:00Z"));
  });

  it("refuses with a clear message: past, too soon, outside availability, time off, overlapping", async () => {
    const me = await client();
    const book = (startsAt: string) =>
      refusal(bookSlot(db(), me, { expertSlug: "ana", categorySlug: "anxiety", startsAt }, NOW));
    expect(await book("2027-05-31T08:00:00Z")).toEqual({
      code: "VALIDATION",
      field: "startsAt",
      message: "This time has already passed. Please choose another.",
    });
    expect(await book("2027-06-01T14:00:00Z")).toMatchObject({
      code: "VALIDATION",
      message: "Expert ana needs at least 12 hours' notice. Please choose a later time.",
    });
    expect(await book("2027-06-02T05:00:00Z")).toMatchObject({
      code: "VALIDATION",
      message: "Expert ana is not available at this time. Please choose one of the times shown.",
    });
    expect(await book("2027-06-02T12:30:00Z")).toMatchObject({
      code: "VALIDATION",
      message: /not available at this time/,
    });
    await addTimeOff(db(), ana.userId, {
      startsAt: at("2027-06-03T00:00:00Z"),
      endsAt: at("2027-06-04T00:00:00Z"),
      reason: "Away",
    });
    expect(await book("2027-06-03T08:00:00Z")).toMatchObject({
      code: "VALIDATION",
      message: "Expert ana is away at this time. Please choose another.",
    });
    expect(await book("2027-06-02T08:00:00Z")).toEqual({
      code: "CONFLICT",
      field: "startsAt",
      message: "This time was just taken. Please choose another.",
    });
    expect(await book("not a date")).toMatchObject({
      code: "VALIDATION",
      field: "startsAt",
      message: "Choose a time.",
    });
  });

  it("refuses unpublished experts, topics the expert does not offer, unverified users and non-clients", async () => {
    const hidden = await expert("hidden", { published: false });
    const me = await client();
    const input = { expertSlug: "ana", categorySlug: "anxiety", startsAt: at("2027-06-05T08:00:00Z") };
    expect(await refusal(bookSlot(db(), me, { ...input, expertSlug: "hidden" }, NOW))).toMatchObject({
      code: "NOT_FOUND",
      message: "This expert is not taking bookings at the moment.",
    });
    expect(
      await refusal(bookSlot(db(), me, { ...input, expertId: hidden.id, expertSlug: undefined }, NOW)),
    ).toMatchObject({ code: "NOT_FOUND" });
    expect(await refusal(bookSlot(db(), me, { ...input, categorySlug: "grief" }, NOW))).toEqual({
      code: "VALIDATION",
      field: "categorySlug",
      message: "Expert ana does not offer this topic. Please choose one of their topics.",
    });
    const unverified = await client({ verified: false });
    expect(await refusal(bookSlot(db(), unverified, input, NOW))).toMatchObject({
      code: "PRECONDITION",
      message: /confirm your email address before booking/,
    });
    // An expert cannot book (themself or anyone): sessions are booked from a client account.
    expect(await refusal(bookSlot(db(), ana.actor, input, NOW))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(bookSlot(db(), ben.actor, input, NOW))).toMatchObject({ code: "FORBIDDEN" });
    await db().user.update({ where: { id: me.userId }, data: { status: "SUSPENDED" } });
    expect(await refusal(bookSlot(db(), me, input, NOW))).toMatchObject({ code: "UNAUTHENTICATED" });
    expect(await db().booking.count({ where: { startsAt: input.startsAt } })).toBe(0);
  });

  it("refuses without the explicit health-data consent, and again after it is withdrawn (Art. 9)", async () => {
    const input = { expertSlug: "ana", categorySlug: "anxiety", startsAt: at("2027-06-05T10:00:00Z") };
    const me = await client({ healthConsent: false });
    expect(await refusal(bookSlot(db(), me, input, NOW))).toEqual({
      code: "PRECONDITION",
      field: "healthConsent",
      message: HEALTH_CONSENT_NEEDED,
    });
    expect(await db().booking.count({ where: { userId: me.userId } })).toBe(0);
    await giveHealthConsent(db(), me.userId, "BOOKING");
    const booked = await bookSlot(db(), me, input, NOW);
    await withdrawHealthConsent(db(), me.userId);
    // The booking made with consent stays; a new one is refused.
    expect(await db().booking.count({ where: { id: booked.id } })).toBe(1);
    expect(await refusal(bookSlot(db(), me, { ...input, startsAt: at("2027-06-05T11:00:00Z") }, NOW))).toMatchObject({
      code: "PRECONDITION",
      field: "healthConsent",
    });
  });
});

describe("cancelling and rescheduling", () => {
  const tomorrow9 = at("2027-06-02T13:00:00Z"); // 30 hours after NOW

  it("a user cannot cancel, reschedule or even see someone else's booking by id", async () => {
    const owner = await client();
    const stranger = await client();
    const b = await bookSlot(db(), owner, { expertSlug: "ana", categorySlug: "anxiety", startsAt: tomorrow9 }, NOW);
    const notFound = { code: "NOT_FOUND", message: "We could not find this booking." };
    expect(await refusal(cancelBooking(db(), stranger, { bookingId: b.id }, NOW))).toMatchObject(notFound);
    expect(
      await refusal(
        rescheduleBooking(db(), stranger, { bookingId: b.id, newStartsAt: at("2027-06-02T14:00:00Z") }, NOW),
      ),
    ).toMatchObject(notFound);
    // Another expert is a stranger too; an unknown id looks the same.
    expect(await refusal(cancelBooking(db(), ben.actor, { bookingId: b.id }, NOW))).toMatchObject(notFound);
    expect(await refusal(cancelBooking(db(), stranger, { bookingId: crypto.randomUUID() }, NOW))).toMatchObject(
      notFound,
    );
    expect(await listUserBookings(db(), stranger.userId, {}, NOW)).toEqual([]);
    expect((await db().booking.findUniqueOrThrow({ where: { id: b.id } })).status).toBe("CONFIRMED");
  });

  it("users cancel only inside the expert's window; experts any time before the session", async () => {
    const me = await client();
    const b = await bookSlot(db(), me, { expertSlug: "ben", categorySlug: "sleep", startsAt: tomorrow9 }, NOW);
    const late = hoursAfter(NOW, 7); // 23 hours before the session
    expect(await refusal(cancelBooking(db(), me, { bookingId: b.id }, late))).toMatchObject({
      code: "PRECONDITION",
      message: /can be cancelled up to 24 hours before they start/,
    });
    const byExpert = await cancelBooking(db(), ben.actor, { bookingId: b.id, reason: "Unwell today" }, late);
    expect(byExpert).toMatchObject({ status: "CANCELLED", cancelledBy: "EXPERT", cancelledAt: late });
    expect(await refusal(cancelBooking(db(), me, { bookingId: b.id }, NOW))).toMatchObject({
      code: "PRECONDITION",
      message: /cancelled and can no longer/,
    });

    // Inside the window the user may; the slot is free again afterwards.
    const again = await bookSlot(db(), me, { expertSlug: "ben", categorySlug: "sleep", startsAt: tomorrow9 }, NOW);
    expect(await cancelBooking(db(), me, { bookingId: again.id }, NOW)).toMatchObject({
      status: "CANCELLED",
      cancelledBy: "USER",
    });
    const other = await client();
    await expect(
      bookSlot(db(), other, { expertSlug: "ben", categorySlug: "sleep", startsAt: tomorrow9 }, NOW),
    ).resolves.toMatchObject({ status: "CONFIRMED" });
    // After the session started nobody cancels (no-show and completion are separate).
    expect(
      await refusal(cancelBooking(db(), ben.actor, { bookingId: again.id }, hoursAfter(tomorrow9, 1))),
    ).toMatchObject({
      code: "PRECONDITION",
    });
  });

  it("users reschedule inside the window to a slot that is re-validated; experts cannot move sessions", async () => {
    const me = await client();
    const b = await bookSlot(
      db(),
      me,
      { expertSlug: "ben", categorySlug: "anxiety", startsAt: at("2027-06-04T08:00:00Z") },
      NOW,
    );
    // Moving onto itself or a neighbouring slot does not collide with itself.
    const moved = await rescheduleBooking(db(), me, { bookingId: b.id, newStartsAt: at("2027-06-04T09:00:00Z") }, NOW);
    expect(moved).toMatchObject({
      id: b.id,
      startsAt: at("2027-06-04T09:00:00Z"),
      endsAt: at("2027-06-04T09:50:00Z"),
      rescheduleCount: 1,
    });
    expect(moved.roomName).toBe(b.roomName);
    // The new time is checked like a new booking.
    const taker = await client();
    await bookSlot(
      db(),
      taker,
      { expertSlug: "ben", categorySlug: "anxiety", startsAt: at("2027-06-04T11:00:00Z") },
      NOW,
    );
    expect(
      await refusal(rescheduleBooking(db(), me, { bookingId: b.id, newStartsAt: at("2027-06-04T11:00:00Z") }, NOW)),
    ).toMatchObject({
      code: "CONFLICT",
    });
    expect(
      await refusal(rescheduleBooking(db(), me, { bookingId: b.id, newStartsAt: at("2027-06-04T09:30:00Z") }, NOW)),
    ).toMatchObject({
      code: "VALIDATION",
      message: /not available/,
    });
    expect(
      await refusal(rescheduleBooking(db(), me, { bookingId: b.id, newStartsAt: at("2027-06-01T10:00:00Z") }, NOW)),
    ).toMatchObject({
      message: /notice/,
    });
    expect(
      await refusal(
        rescheduleBooking(db(), ben.actor, { bookingId: b.id, newStartsAt: at("2027-06-04T12:00:00Z") }, NOW),
      ),
    ).toMatchObject({
      code: "FORBIDDEN",
    });
    // Outside the window the user can no longer move it.
    const late = at("2027-06-03T10:00:00Z"); // 23 hours before 09:00 UTC on the 4th
    expect(
      await refusal(rescheduleBooking(db(), me, { bookingId: b.id, newStartsAt: at("2027-06-05T09:00:00Z") }, late)),
    ).toMatchObject({
      code: "PRECONDITION",
      message: /can be rescheduled up to 24 hours/,
    });
    // The old slot is free again.
    await expect(
      bookSlot(db(), taker, { expertSlug: "ben", categorySlug: "anxiety", startsAt: at("2027-06-04T08:00:00Z") }, NOW),
    ).resolves.toBeTruthy();
  });
});

describe("listings", () => {
  it("experts see their own sessions with client name, topic, times and status, and never an email", async () => {
    const cleo = await expert("cleo", { categories: ["grief"] });
    const dan = await expert("dan", { categories: ["grief"] });
    const alice = await client();
    const bob = await client();
    await bookSlot(
      db(),
      alice,
      { expertSlug: "cleo", categorySlug: "grief", startsAt: at("2027-06-07T08:00:00Z") },
      NOW,
    );
    const bobs = await bookSlot(
      db(),
      bob,
      { expertSlug: "cleo", categorySlug: "grief", startsAt: at("2027-06-07T09:00:00Z") },
      NOW,
    );
    await bookSlot(db(), bob, { expertSlug: "dan", categorySlug: "grief", startsAt: at("2027-06-07T08:00:00Z") }, NOW);
    await cancelBooking(db(), bob, { bookingId: bobs.id }, NOW);

    const list = await listExpertBookings(db(), cleo.userId, { when: "upcoming" }, NOW);
    expect(list).toEqual([
      {
        id: expect.any(String),
        clientName: "Client",
        categoryName: "Topic grief",
        startsAt: at("2027-06-07T08:00:00Z"),
        endsAt: at("2027-06-07T08:50:00Z"),
        status: "CONFIRMED",
        cancelledBy: null,
      },
      expect.objectContaining({ clientName: "Client", status: "CANCELLED", cancelledBy: "USER" }),
    ]);
    const text = JSON.stringify(list);
    expect(text).not.toContain("@");
    expect(text).not.toContain(alice.email);
    // First name only: no surname and no account id (P17).
    expect(text).not.toContain("Number");
    expect(text).not.toContain(alice.userId);
    // Dan sees only his own session; a client account sees no expert sessions at all.
    expect((await listExpertBookings(db(), dan.userId, {}, NOW)).map((b) => b.clientName)).toEqual(["Client"]);
    expect(await listExpertBookings(db(), alice.userId, {}, NOW)).toEqual([]);
    // Past and upcoming are split by the end of the session.
    expect(await listExpertBookings(db(), cleo.userId, { when: "past" }, at("2027-06-07T08:50:00Z"))).toHaveLength(1);
  });

  it("users see their own upcoming and past sessions", async () => {
    const me = await client();
    const b = await bookSlot(
      db(),
      me,
      { expertSlug: "ana", categorySlug: "anxiety", startsAt: at("2027-06-08T08:00:00Z") },
      NOW,
    );
    expect((await listUserBookings(db(), me.userId, { when: "upcoming" }, NOW)).map((x) => x.id)).toEqual([b.id]);
    expect(await listUserBookings(db(), me.userId, { when: "past" }, NOW)).toEqual([]);
    expect(
      (await listUserBookings(db(), me.userId, { when: "past" }, at("2027-06-09T00:00:00Z"))).map((x) => x.id),
    ).toEqual([b.id]);
  });

  it("stay a bounded number of queries whatever the number of experts and bookings", async () => {
    const experts = [ana, ben];
    const few = await countQueries(() =>
      nextSlotsForExperts(
        db(),
        experts.map((e) => e.id),
        { from: NOW, to: hoursAfter(NOW, 7 * 24), now: NOW },
      ),
    );
    for (let i = 0; i < 6; i++) experts.push(await expert(`many-${i}`));
    const many = await countQueries(() =>
      nextSlotsForExperts(
        db(),
        experts.map((e) => e.id),
        { from: NOW, to: hoursAfter(NOW, 7 * 24), now: NOW },
      ),
    );
    expect(few.queries).toBeGreaterThan(0);
    expect(many.queries).toBe(few.queries);
    expect(many.result.get(ana.id)?.length).toBeGreaterThan(0);
    expect(many.result.get("no-such-expert") ?? []).toEqual([]);

    const me = await client();
    const one = await countQueries(() => listExpertBookings(db(), ana.userId, {}, NOW));
    const mine1 = await countQueries(() => listUserBookings(db(), me.userId, {}, NOW));
    for (const e of experts.slice(2)) {
      await bookSlot(db(), me, { expertId: e.id, categorySlug: "anxiety", startsAt: at("2027-06-09T08:00:00Z") }, NOW);
    }
    expect((await countQueries(() => listUserBookings(db(), me.userId, {}, NOW))).queries).toBe(mine1.queries);
    expect((await countQueries(() => listExpertBookings(db(), ana.userId, {}, NOW))).queries).toBe(one.queries);
  });
});

describe("time off", () => {
  it("is managed by its expert only", async () => {
    const off = await addTimeOff(db(), ben.userId, {
      startsAt: at("2027-07-01T00:00:00Z"),
      endsAt: at("2027-07-02T00:00:00Z"),
    });
    expect((await listTimeOff(db(), ben.userId, NOW)).map((x) => x.id)).toContain(off.id);
    expect(await listTimeOff(db(), ana.userId, NOW)).not.toContainEqual(expect.objectContaining({ id: off.id }));
    expect(await refusal(removeTimeOff(db(), { expertUserId: ana.userId, timeOffId: off.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
    expect(
      await refusal(addTimeOff(db(), (await client()).userId, { startsAt: NOW, endsAt: hoursAfter(NOW, 1) })),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(addTimeOff(db(), ben.userId, { startsAt: NOW, endsAt: NOW }))).toMatchObject({
      code: "VALIDATION",
      field: "endsAt",
      message: "Time off must end after it starts.",
    });
    await removeTimeOff(db(), { expertUserId: ben.userId, timeOffId: off.id });
    expect(await listTimeOff(db(), ben.userId, NOW)).toEqual([]);
  });
});
