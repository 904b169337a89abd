// The console's aggregates on a fresh database with a fixed clock: the sidebar counts, nearest-rank percentiles
// and each role's dashboard, with values chosen so every bucket and window edge is exercised.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PrivacyRequestStatus } from "../generated/prisma/enums.ts";
import { createUser } from "../identity/users.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { listQueue } from "../privacy/requests.ts";
import {
  adminDashboard,
  dpoDashboard,
  percentile,
  privacyDueSoon,
  supportDashboard,
  ticketCounts,
  weekStart,
} from "./stats.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
// A Thursday: its week starts on Monday 2027-05-03.
const now = new Date("2027-05-06T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

let t: TestDatabase;
const db = () => t.db.prisma;
let agentId: string;
let otherAgentId: string;
let customerId: string;

type Ticket = {
  createdDaysAgo: number;
  status?: "NEW" | "OPEN" | "PENDING_USER" | "RESOLVED" | "CLOSED";
  assigneeId?: string | null;
  responseHours?: number;
  rating?: number;
  resolvedDaysAgo?: number;
  /** Past its first-response deadline when unanswered. */
  overdue?: boolean;
};

async function ticket(t: Ticket) {
  const createdAt = ago(t.createdDaysAgo * DAY);
  await db().supportTicket.create({
    data: {
      requesterId: customerId,
      subject: "A question",
      category: "BOOKING",
      channel: "WEB",
      status: t.status ?? "NEW",
      assigneeId: t.assigneeId ?? null,
      createdAt,
      firstResponseDueAt: t.overdue ? ago(HOUR) : new Date(now.getTime() + DAY),
      resolutionDueAt: new Date(now.getTime() + 5 * DAY),
      firstRespondedAt: t.responseHours === undefined ? null : new Date(createdAt.getTime() + t.responseHours * HOUR),
      resolvedAt: t.resolvedDaysAgo === undefined ? null : ago(t.resolvedDaysAgo * DAY),
      satisfaction: t.rating ?? null,
    },
  });
}

async function privacy(status: PrivacyRequestStatus, dueInDays: number, extendedToDays?: number) {
  const at = (d: number) => new Date(now.getTime() + d * DAY + 12 * HOUR);
  await db().privacyRequest.create({
    data: {
      userId: customerId,
      type: "ACCESS",
      status,
      dueAt: at(dueInDays),
      extendedUntil: extendedToDays === undefined ? null : at(extendedToDays),
      extendedAt: extendedToDays === undefined ? null : now,
    },
  });
}

beforeAll(async () => {
  t = await createTestDatabase();
  const make = async (email: string, role: "USER" | "SUPPORT" | "EXPERT") =>
    (await createUser(db(), { email, name: "Some One", role, emailVerified: true })).id;
  agentId = await make("stats-agent@example.com", "SUPPORT");
  otherAgentId = await make("stats-other@example.com", "SUPPORT");
  customerId = await make("stats-customer@example.com", "USER");

  // Answered and rated tickets: response hours 0.5, 2, 4, 10 within 7 days; 6 and 30 within 30; one older.
  await ticket({ createdDaysAgo: 1, status: "RESOLVED", responseHours: 2, rating: 5, resolvedDaysAgo: 0.5 });
  await ticket({ createdDaysAgo: 2, status: "RESOLVED", responseHours: 4, rating: 4, resolvedDaysAgo: 1 });
  await ticket({ createdDaysAgo: 3, status: "CLOSED", responseHours: 0.5, rating: 3, resolvedDaysAgo: 2 });
  await ticket({ createdDaysAgo: 5, status: "RESOLVED", responseHours: 10, resolvedDaysAgo: 4 });
  await ticket({ createdDaysAgo: 10, status: "RESOLVED", responseHours: 6, rating: 2, resolvedDaysAgo: 9 });
  await ticket({ createdDaysAgo: 20, status: "RESOLVED", responseHours: 30, rating: 4, resolvedDaysAgo: 18 });
  await ticket({ createdDaysAgo: 40, status: "RESOLVED", responseHours: 1, rating: 1, resolvedDaysAgo: 39 });
  // Open ones: two of the agent's (one overdue), one of a colleague's, two unassigned (one overdue), one waiting.
  await ticket({ createdDaysAgo: 0, status: "OPEN", assigneeId: agentId });
  await ticket({ createdDaysAgo: 2, status: "OPEN", assigneeId: agentId, overdue: true });
  await ticket({ createdDaysAgo: 0, status: "OPEN", assigneeId: otherAgentId });
  await ticket({ createdDaysAgo: 0 });
  await ticket({ createdDaysAgo: 2, overdue: true });
  // Waiting for the requester: its clock is paused, so never overdue.
  await ticket({ createdDaysAgo: 3, status: "PENDING_USER", assigneeId: agentId, overdue: true });

  await privacy("PENDING", 3); // due within 7 days
  await privacy("APPROVED", 20); // within 30
  await privacy("PENDING", -2); // overdue
  await privacy("PENDING", -25, 40); // extended, later
  await privacy("APPROVED", -40, -1); // extended and still overdue
  await privacy("PENDING", -20, 5); // extended, within 7 days
  await privacy("COMPLETED", -3); // done: not counted as due
  await privacy("REJECTED", 10);
  await privacy("AWAITING_IDENTITY", 1); // not yet a request the DPO must answer

  const expertUser = await make("stats-expert@example.com", "EXPERT");
  const category = await db().category.create({ data: { slug: "stats", name: "Stats", description: "For tests" } });
  const expert = await db().expertProfile.create({
    data: { userId: expertUser, slug: "stats-expert", headline: "H", bio: "B", timezone: "UTC", published: true },
  });
  const hidden = await make("stats-hidden@example.com", "EXPERT");
  await db().expertProfile.create({
    data: { userId: hidden, slug: "stats-hidden", headline: "H", bio: "B", timezone: "UTC", published: false },
  });
  let n = 0;
  const booking = async (startsAt: Date, status: "CONFIRMED" | "CANCELLED" | "COMPLETED" | "NO_SHOW") =>
    db().booking.create({
      data: {
        userId: customerId,
        expertId: expert.id,
        categoryId: category.id,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 50 * 60_000),
        blockedUntil: new Date(startsAt.getTime() + 60 * 60_000),
        status,
        roomName: `stats-room-${n++}`,
      },
    });
  await booking(new Date("2027-05-03T00:00:00Z"), "COMPLETED"); // this week's first moment
  await booking(new Date("2027-05-09T22:00:00Z"), "CONFIRMED"); // this week's last day
  await booking(new Date("2027-05-02T23:59:00Z"), "CANCELLED"); // last week's last minute
  await booking(new Date("2027-04-28T10:00:00Z"), "NO_SHOW");
  await booking(new Date("2027-03-15T10:00:00Z"), "COMPLETED"); // the oldest of the 8 weeks
  await booking(new Date("2027-03-14T10:00:00Z"), "COMPLETED"); // one week too old
  await booking(new Date("2027-05-10T00:00:00Z"), "CONFIRMED"); // next week

  await db().errorReport.create({
    data: { kind: "CLIENT_CRASH", fingerprint: "f1", message: "m", createdAt: ago(DAY) },
  });
  await db().errorReport.create({
    data: { kind: "CLIENT_CRASH", fingerprint: "f2", message: "m", createdAt: ago(8 * DAY) },
  });
  await db().securityEvent.create({ data: { kind: "SIGN_IN_FAILED", createdAt: ago(2 * DAY) } });
  await db().securityEvent.create({ data: { kind: "SIGN_IN_FAILED", createdAt: ago(6 * DAY) } });
  await db().securityEvent.create({ data: { kind: "SIGN_IN_FAILED", createdAt: ago(7 * DAY + HOUR) } });
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

describe("percentile", () => {
  it("takes the nearest rank, and has none for no values", () => {
    expect(percentile([], 50)).toBeNull();
    expect(percentile([7], 90)).toBe(7);
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 90)).toBe(4);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9);
    expect(percentile([1, 2, 3], 0)).toBe(1);
    expect(percentile([1, 2, 3], 100)).toBe(3);
  });
});

describe("sidebar counts", () => {
  it("counts the agent's own open tickets, the unassigned and the overdue (never paused or done ones)", async () => {
    expect(await ticketCounts(db(), agentId, now)).toEqual({ mineOpen: 3, unassigned: 2, overdue: 2 });
    expect(await ticketCounts(db(), otherAgentId, now)).toEqual({ mineOpen: 1, unassigned: 2, overdue: 2 });
  });

  it("counts open privacy requests due within 7 days or overdue, by the extended deadline when there is one", async () => {
    // PENDING +3, PENDING −2, APPROVED extended to −1, PENDING extended to +5; not the one extended to +40.
    expect(await privacyDueSoon(db(), now)).toBe(4);
    // A week later the one due in 20 days is not yet within 7; the one extended to 40 neither.
    expect(await privacyDueSoon(db(), new Date(now.getTime() + 7 * DAY))).toBe(4);
    expect(await privacyDueSoon(db(), new Date(now.getTime() + 14 * DAY))).toBe(5);
  });

  it("the privacy queue's due-soon filter lists exactly the requests the count counts", async () => {
    const deps = { db: db(), mail: {} as MailQueue, appUrl: "http://test", now: () => now };
    const rows = await listQueue(deps, { id: agentId, role: "DPO", ip: null }, { status: "DUE_SOON" });
    expect(rows.map((r) => r.daysLeft).sort((a, b) => a! - b!)).toEqual([-2, -1, 3, 5]);
    expect(rows).toHaveLength(await privacyDueSoon(db(), now));
  });
});

describe("dashboards", () => {
  it("support: new, open, overdue, first-response p50/p90 over 7 and 30 days, satisfaction over 30", async () => {
    expect(await supportDashboard(db(), now)).toEqual({
      new: 2,
      open: 6,
      overdue: 2,
      firstResponse: {
        last7Days: { count: 4, p50: 2, p90: 10 },
        last30Days: { count: 6, p50: 4, p90: 30 },
      },
      // 5, 4, 3, 2, 4 (the 40-day-old rating is outside the window).
      satisfaction: { count: 5, average: 3.6 },
    });
  });

  it("DPO: requests by state, overdue, extended, due buckets and the fewest days left", async () => {
    expect(await dpoDashboard(db(), now)).toEqual({
      byStatus: { AWAITING_IDENTITY: 1, PENDING: 4, APPROVED: 2, REJECTED: 1, CANCELLED: 0, COMPLETED: 1 },
      open: 6,
      overdue: 2,
      extended: 3,
      dueIn: { overdue: 2, within7Days: 2, within30Days: 1, later: 1 },
      soonestDaysLeft: -2,
    });
  });

  it("admin: bookings, cancellations and no-shows per UTC week, published experts, errors and security events", async () => {
    expect(weekStart(now).toISOString()).toBe("2027-05-03T00:00:00.000Z");
    const d = await adminDashboard(db(), now);
    expect(d.perWeek.map((w) => w.weekStart)).toEqual([
      "2027-03-15",
      "2027-03-22",
      "2027-03-29",
      "2027-04-05",
      "2027-04-12",
      "2027-04-19",
      "2027-04-26",
      "2027-05-03",
    ]);
    const byWeek = Object.fromEntries(d.perWeek.map(({ weekStart, ...counts }) => [weekStart, counts]));
    expect(byWeek["2027-05-03"]).toEqual({ bookings: 2, cancellations: 0, noShows: 0 });
    expect(byWeek["2027-04-26"]).toEqual({ bookings: 2, cancellations: 1, noShows: 1 });
    expect(byWeek["2027-03-15"]).toEqual({ bookings: 1, cancellations: 0, noShows: 0 });
    expect(d.perWeek.reduce((sum, w) => sum + w.bookings, 0)).toBe(5);
    expect(d.activeExperts).toBe(1);
    expect(d.errorReportsLast7Days).toBe(1);
    expect(d.securityEventsLast7Days).toBe(2);
  });
});
