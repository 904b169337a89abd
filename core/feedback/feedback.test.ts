// Reviews and surveys against a real database (privacy promise P4). The clock is passed in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import type { BookingStatus } from "../generated/prisma/enums.ts";
import { createUser } from "../identity/users.ts";
import type { MailMessage } from "../platform/mail/index.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  deleteReview,
  getReviewPage,
  hideReview,
  listReviewsForModeration,
  publicRating,
  publicRatings,
  submitReview,
  updateReview,
  type ReviewDeps,
} from "./reviews.ts";
import { submitSurvey, surveyReport } from "./surveys.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const NOW = new Date("2027-03-10T12:00:00Z");
const DAY = 86_400_000;
const sent: MailMessage[] = [];
let publicChanges = 0;
const deps = (now = NOW): ReviewDeps => ({
  db: db(),
  mail: { enqueue: (m) => void sent.push(m) },
  now: () => now,
  onPublicChange: () => void publicChanges++,
});

beforeAll(async () => {
  t = await createTestDatabase();
  await createCategory(db(), { slug: "sleep", name: "Sleep", description: "Support for sleep and related matters." });
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

let seq = 0;
async function client() {
  const n = ++seq;
  const email = `reviewer${n}@example.com`;
  const u = await createUser(db(), { email, name: `Reviewer Person${n}`, emailVerified: true });
  return { id: u.id, email, name: `Reviewer Person${n}` };
}
async function expert() {
  const n = ++seq;
  return createExpert(db(), {
    email: `expert${n}@example.com`,
    name: `Expert Number${n}`,
    slug: `expert-${n}`,
    headline: "Listens well",
    bio: "A calm and experienced practitioner who helps people.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: ["sleep"],
    availability: [],
    published: true,
  });
}
let slot = 0;
/** A booking created directly, in the past, with the given status (COMPLETED is what settleEndedBookings sets). */
async function booking(userId: string, expertId: string, status: BookingStatus = "COMPLETED") {
  const category = await db().category.findUniqueOrThrow({ where: { slug: "sleep" }, select: { id: true } });
  const startsAt = new Date(NOW.getTime() - 30 * DAY + ++slot * 2 * 3_600_000);
  return db().booking.create({
    data: {
      userId,
      expertId,
      categoryId: category.id,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 50 * 60_000),
      blockedUntil: new Date(startsAt.getTime() + 60 * 60_000),
      status,
      roomName: `mn-${crypto.randomBytes(12).toString("hex")}`,
    },
    select: { id: true },
  });
}
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return "OK";
}

describe("reviews", () => {
  it("only for one's own COMPLETED booking, once; another person's booking is not found", async () => {
    const e = await expert();
    const me = await client();
    const other = await client();
    const done = await booking(me.id, e.id);
    const upcoming = await booking(me.id, e.id, "CONFIRMED");
    const cancelled = await booking(me.id, e.id, "CANCELLED");
    const noShow = await booking(me.id, e.id, "NO_SHOW");
    const theirs = await booking(other.id, e.id);

    expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: theirs.id, rating: 5 }))).toBe("NOT_FOUND");
    expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: "no-such-booking", rating: 5 }))).toBe(
      "NOT_FOUND",
    );
    for (const b of [upcoming, cancelled, noShow])
      expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: b.id, rating: 5 }))).toBe("PRECONDITION");
    expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: done.id, rating: 6 }))).toBe("VALIDATION");
    expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: done.id, rating: 0 }))).toBe("VALIDATION");

    await submitReview(deps(), { userId: me.id, bookingId: done.id, rating: 4, comment: "  Kind and patient.  " });
    expect(await refusal(submitReview(deps(), { userId: me.id, bookingId: done.id, rating: 2 }))).toBe("CONFLICT");
    // Two at once: exactly one row.
    const again = await booking(me.id, e.id);
    const results = await Promise.all(
      [1, 2, 3].map(() => refusal(submitReview(deps(), { userId: me.id, bookingId: again.id, rating: 3 }))),
    );
    expect(results.filter((r) => r === "OK")).toHaveLength(1);

    const rows = await db().review.findMany({
      where: { authorId: me.id },
      orderBy: { createdAt: "asc" },
      select: { bookingId: true, rating: true, comment: true, expertId: true },
    });
    expect(rows).toEqual([
      { bookingId: done.id, rating: 4, comment: "Kind and patient.", expertId: e.id },
      { bookingId: again.id, rating: 3, comment: null, expertId: e.id },
    ]);
    expect(await db().review.count({ where: { bookingId: theirs.id } })).toBe(0);
    // The author's page shows it; another person's id stays not found there too.
    expect((await getReviewPage(db(), { userId: me.id, bookingId: done.id }, NOW)).review).toMatchObject({
      rating: 4,
      editable: true,
    });
    expect(await refusal(getReviewPage(db(), { userId: other.id, bookingId: done.id }, NOW))).toBe("NOT_FOUND");
  });

  it("the author may edit or delete for 14 days, never after; nobody else may", async () => {
    const e = await expert();
    const me = await client();
    const other = await client();
    const b1 = await booking(me.id, e.id);
    const b2 = await booking(me.id, e.id);
    await submitReview(deps(), { userId: me.id, bookingId: b1.id, rating: 2, comment: "Too short." });
    await submitReview(deps(), { userId: me.id, bookingId: b2.id, rating: 3 });

    expect(await refusal(updateReview(deps(), { userId: other.id, bookingId: b1.id, rating: 1 }))).toBe("NOT_FOUND");
    expect(await refusal(deleteReview(deps(), { userId: other.id, bookingId: b1.id }))).toBe("NOT_FOUND");

    const day13 = new Date(NOW.getTime() + 13 * DAY);
    await updateReview(deps(day13), {
      userId: me.id,
      bookingId: b1.id,
      rating: 5,
      comment: "Actually it helped a lot.",
    });
    expect(
      await db().review.findUniqueOrThrow({ where: { bookingId: b1.id }, select: { rating: true, comment: true } }),
    ).toEqual({ rating: 5, comment: "Actually it helped a lot." });

    const day14 = new Date(NOW.getTime() + 14 * DAY);
    expect(await refusal(updateReview(deps(day14), { userId: me.id, bookingId: b1.id, rating: 1 }))).toBe(
      "PRECONDITION",
    );
    expect(await refusal(deleteReview(deps(day14), { userId: me.id, bookingId: b2.id }))).toBe("PRECONDITION");
    expect((await getReviewPage(db(), { userId: me.id, bookingId: b1.id }, day14)).review?.editable).toBe(false);
    await deleteReview(deps(day13), { userId: me.id, bookingId: b2.id });
    expect(await db().review.count({ where: { bookingId: b2.id } })).toBe(0);
    // Deleting frees the booking for a new review.
    await submitReview(deps(day13), { userId: me.id, bookingId: b2.id, rating: 4 });
  });

  it("the public rating stays hidden below 3 visible reviews; hidden reviews do not count; comments carry no name", async () => {
    const e = await expert();
    const people = [await client(), await client(), await client(), await client()];
    const bookings = await Promise.all(people.map((p) => booking(p.id, e.id)));
    const before = publicChanges;
    await submitReview(deps(), {
      userId: people[0]!.id,
      bookingId: bookings[0]!.id,
      rating: 5,
      comment: "Wonderful listener.",
    });
    await submitReview(deps(), { userId: people[1]!.id, bookingId: bookings[1]!.id, rating: 4 });
    expect(await publicRating(db(), e.id)).toBeNull();
    await submitReview(deps(), { userId: people[2]!.id, bookingId: bookings[2]!.id, rating: 3, comment: "Fine." });
    expect(publicChanges - before).toBe(3); // every change clears the public page cache

    const shown = await publicRating(db(), e.id);
    expect(shown).toMatchObject({ average: 4, count: 3 });
    expect(shown!.comments.map((c) => c.comment).sort()).toEqual(["Fine.", "Wonderful listener."]);
    const json = JSON.stringify(shown);
    for (const p of people) {
      expect(json).not.toContain(p.name);
      expect(json).not.toContain(p.email);
      expect(json).not.toContain(p.id);
    }
    for (const b of bookings) expect(json).not.toContain(b.id);
    expect(json).not.toContain(NOW.toISOString().slice(0, 10)); // a month, not a date

    // Support hides one: back below 3, so nothing is public.
    const agent = await createUser(db(), {
      email: `agent${++seq}@example.com`,
      name: "Agent Smith",
      role: "SUPPORT",
      emailVerified: true,
    });
    const target = await db().review.findUniqueOrThrow({ where: { bookingId: bookings[2]!.id }, select: { id: true } });
    await hideReview(
      deps(),
      { id: agent.id, role: "SUPPORT", ip: "203.0.113.5" },
      { reviewId: target.id, reason: "Insults the expert" },
    );
    expect(await publicRating(db(), e.id)).toBeNull();
    // A fourth review brings it back, computed without the hidden one.
    await submitReview(deps(), { userId: people[3]!.id, bookingId: bookings[3]!.id, rating: 1 });
    expect(await publicRating(db(), e.id)).toMatchObject({ average: 3.3, count: 3 });
    // Directory cards: the same rule for many experts in one query; an expert below 3 is absent.
    const quiet = await expert();
    const q = await client();
    await submitReview(deps(), { userId: q.id, bookingId: (await booking(q.id, quiet.id)).id, rating: 5 });
    const many = await publicRatings(db(), [e.id, quiet.id]);
    expect([...many.entries()]).toEqual([[e.id, { average: 3.3, count: 3 }]]);
    expect(JSON.stringify(await publicRating(db(), e.id))).not.toContain("Fine.");
  });

  it("support hides with a reason: audited, the author is emailed, the moderation list never names the author", async () => {
    const e = await expert();
    const me = await client();
    const b = await booking(me.id, e.id);
    await submitReview(deps(), { userId: me.id, bookingId: b.id, rating: 1, comment: "ABUSIVE WORDS" });
    const list = await listReviewsForModeration(db(), { status: "visible", limit: 200 });
    const row = list.find((r) => r.comment === "ABUSIVE WORDS")!;
    expect(row).toBeDefined();
    expect(JSON.stringify(list)).not.toContain(me.email);
    expect(JSON.stringify(list)).not.toContain(me.name);
    expect(JSON.stringify(list)).not.toContain(me.id);

    const agent = await createUser(db(), {
      email: `agent${++seq}@example.com`,
      name: "Agent Jones",
      role: "SUPPORT",
      emailVerified: true,
    });
    const actor = { id: agent.id, role: "SUPPORT" as const, ip: "203.0.113.9" };
    expect(await refusal(hideReview(deps(), actor, { reviewId: row.id, reason: "no" }))).toBe("VALIDATION");
    await hideReview(deps(), actor, { reviewId: row.id, reason: "Abusive language" });
    expect(await refusal(hideReview(deps(), actor, { reviewId: row.id, reason: "Abusive language" }))).toBe("CONFLICT");

    expect(
      await db().review.findUniqueOrThrow({ where: { id: row.id }, select: { hiddenReason: true, hiddenById: true } }),
    ).toEqual({ hiddenReason: "Abusive language", hiddenById: agent.id });
    const audit = await db().auditEvent.findMany({
      where: { actorId: agent.id },
      select: { action: true, target: true, subjectUserId: true, ip: true },
    });
    expect(audit).toEqual([
      { action: "review.hide", target: `review:${row.id}`, subjectUserId: me.id, ip: "203.0.113.9" },
    ]);
    const mail = sent.find((m) => m.to === me.email);
    expect(mail?.subject).toBe("Your review was hidden");
    expect(mail?.text).toContain("Abusive language");
    expect(mail?.text).not.toContain("Agent Jones");
    // The author sees it hidden with the reason, cannot edit it, may delete it.
    expect((await getReviewPage(db(), { userId: me.id, bookingId: b.id }, NOW)).review).toMatchObject({
      hidden: true,
      hiddenReason: "Abusive language",
    });
    expect(await refusal(updateReview(deps(), { userId: me.id, bookingId: b.id, rating: 5 }))).toBe("PRECONDITION");
    expect((await listReviewsForModeration(db(), { status: "hidden", limit: 200 })).map((r) => r.id)).toContain(row.id);
    await deleteReview(deps(), { userId: me.id, bookingId: b.id });
  });
});

describe("surveys", () => {
  it("every answer is optional; out-of-range values are refused; nothing is stored when nothing was answered", async () => {
    expect(await submitSurvey(db(), "GENERAL", {}, NOW)).toEqual({ stored: false });
    expect(await submitSurvey(db(), "GENERAL", { satisfaction: "", improve: "   " }, NOW)).toEqual({ stored: false });
    expect(await refusal(submitSurvey(db(), "GENERAL", { satisfaction: 9 }, NOW))).toBe("VALIDATION");
    expect(await submitSurvey(db(), "GENERAL", { find_expert: "4", unknown: "ignored" }, NOW)).toEqual({
      stored: true,
    });
    const row = await db().surveyResponse.findFirstOrThrow({ select: { answers: true, day: true } });
    expect(row.answers).toEqual({ find_expert: 4 });
    expect(row.day.toISOString()).toBe("2027-03-10T00:00:00.000Z"); // the day, not the time
  });

  it("admins get aggregates per question and free text without names; a response has no link to a person or booking", async () => {
    const me = await client();
    const when = new Date("2027-03-12T09:30:00Z");
    await submitSurvey(db(), "POST_SESSION", { booking_ease: 5, helped: 4, improve: "More evening times" }, when);
    await submitSurvey(db(), "POST_SESSION", { booking_ease: 3 }, when);
    await submitSurvey(db(), "POST_SESSION", { helped: 2, improve: `I am ${me.name}` }, when);
    const report = await surveyReport(db(), { days: 30 }, when);
    const post = report.find((r) => r.kind === "POST_SESSION")!;
    expect(post.responses).toBe(3);
    expect(post.questions.find((q) => q.id === "booking_ease")).toMatchObject({
      count: 2,
      average: 4,
      distribution: [0, 0, 1, 0, 1],
    });
    expect(post.questions.find((q) => q.id === "helped")).toMatchObject({ count: 2, average: 3 });
    expect(post.questions.find((q) => q.id === "improve")?.texts.sort()).toEqual([
      `I am ${me.name}`,
      "More evening times",
    ]);
    // The report carries no ids, dates or account data; the table has no column that could.
    const json = JSON.stringify(report);
    expect(json).not.toContain(me.id);
    expect(json).not.toContain(me.email);
    expect(json).not.toMatch(/2027-03-12/);
    const cols = await t.db.sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'SurveyResponse' ORDER BY column_name`,
    );
    expect(cols.map((c) => c.column_name)).toEqual(["answers", "day", "id", "kind"]);
    // Its id is random (v4), not time-ordered (v7), so it does not reveal the time either.
    const ids = await db().surveyResponse.findMany({ select: { id: true } });
    for (const { id } of ids) expect(id[14]).toBe("4");
  });
});
