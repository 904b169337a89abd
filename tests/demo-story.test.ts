// The demo a person gets from the quick start (prisma/seed.ts `seedDemoDatabase`): the bare demo data plus a short
// history (prisma/demo-story.ts). Checked on a fresh database per starting day, a weekday and a Sunday: every
// session lies where the product itself could have put it, and the story is what the README promises.
import { afterAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../core/platform/testing/db.ts";
import { loadSchedules } from "../core/scheduling/schedule.ts";
import { slotProblem } from "../core/scheduling/slots.ts";
import { DEMO_CLIENTS, seedDemoStory } from "../prisma/demo-story.ts";
import { isEmpty, seedDemoData, seedDemoDatabase } from "../prisma/seed.ts";

const opened: TestDatabase[] = [];
afterAll(async () => {
  for (const t of opened) await t.cleanup();
});

describe.each([
  ["a Friday afternoon", new Date("2026-12-04T15:00:00Z")],
  ["a Sunday morning", new Date("2026-12-06T08:00:00Z")],
])("the demo story, seeded on %s", (_when, now) => {
  it("gives Dana one bookable session ahead and two settled ones behind, one of them reviewed", async () => {
    const t = await createTestDatabase();
    opened.push(t);
    const db = t.db.prisma;
    await seedDemoData(db, () => {});
    await seedDemoStory(db, now);
    const dana = await db.user.findUniqueOrThrow({ where: { email: "demo@mindnamo.test" }, select: { id: true } });
    const bookings = await db.booking.findMany({
      where: { userId: dana.id },
      orderBy: { startsAt: "asc" },
      select: {
        id: true,
        expertId: true,
        startsAt: true,
        status: true,
        metadata: { select: { durationSeconds: true } },
        review: { select: { rating: true, comment: true } },
      },
    });
    const ahead = bookings.filter((b) => b.startsAt > now);
    const behind = bookings.filter((b) => b.startsAt < now);
    expect(ahead.map((b) => b.status)).toEqual(["CONFIRMED"]);
    expect(behind.map((b) => b.status)).toEqual(["COMPLETED", "COMPLETED"]);
    // Settled by core's settlement: both were in the room together for most of the 50 minutes.
    for (const b of behind) expect(b.metadata?.durationSeconds).toBeGreaterThan(40 * 60);
    expect(behind.filter((b) => b.review).map((b) => b.review!.rating)).toEqual([5]);
    // The upcoming session is one the booking page would have offered at that moment: on the expert's grid, in
    // working hours, with enough notice, not overlapping any other booking (its own left out).
    const next = ahead[0]!;
    const schedule = (
      await loadSchedules(db, [next.expertId], {
        from: new Date(now.getTime() - 86_400_000),
        to: new Date(next.startsAt.getTime() + 86_400_000),
        excludeBookingId: next.id,
      })
    ).get(next.expertId)!;
    expect(slotProblem(schedule, next.startsAt, now)).toBeNull();
  });

  it("fills Amara's workspace, the support queue and the DPO's desk", async () => {
    const db = opened.at(-1)!.db.prisma;
    const amara = await db.expertProfile.findUniqueOrThrow({ where: { slug: "amara-okafor" }, select: { id: true } });
    const hers = await db.booking.findMany({ where: { expertId: amara.id }, select: { startsAt: true } });
    expect(hers.filter((b) => b.startsAt > now)).toHaveLength(3);
    expect(await db.user.count({ where: { email: { in: DEMO_CLIENTS.map((c) => c.email) } } })).toBe(3);
    const tickets = await db.supportTicket.findMany({
      select: { status: true, requester: { select: { email: true } }, messages: { select: { fromStaff: true } } },
    });
    expect(tickets.map((t) => t.status).sort()).toEqual(["NEW", "NEW", "OPEN", "RESOLVED"]);
    const danas = tickets.find((t) => t.requester?.email === "demo@mindnamo.test")!;
    expect(danas).toMatchObject({ status: "RESOLVED" });
    expect(danas.messages.map((m) => m.fromStaff)).toEqual([false, true]);
    expect(await db.privacyRequest.count({ where: { status: "PENDING", type: "ACCESS" } })).toBe(1);
    expect(await db.cannedReply.count()).toBe(2);
    // Every person in the story joined before their first session or ticket.
    const people = await db.user.findMany({
      where: { email: { in: ["demo@mindnamo.test", ...DEMO_CLIENTS.map((c) => c.email)] } },
      select: {
        createdAt: true,
        bookings: { select: { startsAt: true } },
        ticketsRequested: { select: { createdAt: true } },
      },
    });
    for (const p of people) {
      const first = Math.min(
        ...p.bookings.map((b) => b.startsAt.getTime()),
        ...p.ticketsRequested.map((t) => t.createdAt.getTime()),
      );
      expect(p.createdAt.getTime()).toBeLessThan(first);
    }
  });
});

describe("the quick start's seed", () => {
  it("fills only an empty database, once", async () => {
    const t = await createTestDatabase();
    opened.push(t);
    const db = t.db.prisma;
    expect(await isEmpty(db)).toBe(true);
    await seedDemoDatabase(db, () => {});
    const counts = async () => [await db.user.count(), await db.booking.count(), await db.supportTicket.count()];
    const first = await counts();
    expect(first[1]).toBeGreaterThan(0);
    await seedDemoDatabase(db, () => {});
    expect(await counts()).toEqual(first);
  });
});
