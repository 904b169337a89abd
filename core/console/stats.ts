// Aggregates for the back-office console: the sidebar's live counts and each role's dashboard. Only counts,
// averages and percentiles leave here, never a person's data (privacy promise P6), so reading them is not audited.
// Which of them a caller may see is the back-office's decision (admin/server/routers/console.ts).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { PrivacyRequestStatus, TicketStatus } from "../generated/prisma/enums.ts";
import { dueSoonWhere } from "../privacy/requests.ts";
import { overdueWhere } from "../support/tickets.ts";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const DONE: TicketStatus[] = ["RESOLVED", "CLOSED"];
const PRIVACY_OPEN: PrivacyRequestStatus[] = ["PENDING", "APPROVED"];

export async function ticketCounts(db: PrismaClient, agentId: string, now = new Date()) {
  const [mineOpen, unassigned, overdue] = await Promise.all([
    db.supportTicket.count({ where: { assigneeId: agentId, status: { notIn: DONE } } }),
    db.supportTicket.count({ where: { assigneeId: null, status: { notIn: DONE } } }),
    db.supportTicket.count({ where: overdueWhere(now) }),
  ]);
  return { mineOpen, unassigned, overdue };
}

/** Open privacy requests whose (possibly extended) deadline falls within the next 7 days, or has passed. */
export async function privacyDueSoon(db: PrismaClient, now = new Date()) {
  return db.privacyRequest.count({ where: dueSoonWhere(now) });
}

/** Nearest-rank percentile of sorted numbers; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}

async function firstResponseHours(db: PrismaClient, since: Date) {
  const rows = await db.supportTicket.findMany({
    where: { createdAt: { gte: since }, firstRespondedAt: { not: null } },
    select: { createdAt: true, firstRespondedAt: true },
    take: 20_000,
  });
  const hours = rows.map((r) => (r.firstRespondedAt!.getTime() - r.createdAt.getTime()) / HOUR).sort((a, b) => a - b);
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10);
  return { count: hours.length, p50: round(percentile(hours, 50)), p90: round(percentile(hours, 90)) };
}

export async function supportDashboard(db: PrismaClient, now = new Date()) {
  const since = (days: number) => new Date(now.getTime() - days * DAY);
  const [newCount, open, overdue, week, month, rated] = await Promise.all([
    db.supportTicket.count({ where: { status: "NEW" } }),
    db.supportTicket.count({ where: { status: { notIn: DONE } } }),
    db.supportTicket.count({ where: overdueWhere(now) }),
    firstResponseHours(db, since(7)),
    firstResponseHours(db, since(30)),
    db.supportTicket.aggregate({
      where: { satisfaction: { not: null }, resolvedAt: { gte: since(30) } },
      _avg: { satisfaction: true },
      _count: { satisfaction: true },
    }),
  ]);
  const avg = rated._avg.satisfaction;
  return {
    new: newCount,
    open,
    overdue,
    firstResponse: { last7Days: week, last30Days: month },
    satisfaction: { count: rated._count.satisfaction, average: avg === null ? null : Math.round(avg * 10) / 10 },
  };
}

export async function dpoDashboard(db: PrismaClient, now = new Date()) {
  const rows = await db.privacyRequest.findMany({
    select: { status: true, dueAt: true, extendedUntil: true, extendedAt: true },
    take: 50_000,
  });
  const byStatus: Record<PrivacyRequestStatus, number> = {
    AWAITING_IDENTITY: 0,
    PENDING: 0,
    APPROVED: 0,
    REJECTED: 0,
    CANCELLED: 0,
    COMPLETED: 0,
  };
  let overdue = 0;
  let extended = 0;
  const dueIn = { overdue: 0, within7Days: 0, within30Days: 0, later: 0 };
  let soonestDaysLeft: number | null = null;
  for (const r of rows) {
    byStatus[r.status]++;
    if (!PRIVACY_OPEN.includes(r.status)) continue;
    if (r.extendedAt) extended++;
    const due = (r.extendedUntil ?? r.dueAt).getTime();
    const days = Math.floor((due - now.getTime()) / DAY);
    soonestDaysLeft = soonestDaysLeft === null ? days : Math.min(soonestDaysLeft, days);
    if (due < now.getTime()) {
      overdue++;
      dueIn.overdue++;
    } else if (days < 7) dueIn.within7Days++;
    else if (days < 30) dueIn.within30Days++;
    else dueIn.later++;
  }
  return { byStatus, open: byStatus.PENDING + byStatus.APPROVED, overdue, extended, dueIn, soonestDaysLeft };
}

/** Monday 00:00 UTC of the week containing `d`. */
export function weekStart(d: Date): Date {
  const day = (d.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day));
}

export async function adminDashboard(db: PrismaClient, now = new Date(), weeks = 8) {
  const first = new Date(weekStart(now).getTime() - (weeks - 1) * 7 * DAY);
  const [bookings, activeExperts, errors7d, security7d] = await Promise.all([
    db.booking.findMany({
      where: { startsAt: { gte: first, lt: new Date(weekStart(now).getTime() + 7 * DAY) } },
      select: { startsAt: true, status: true },
      take: 200_000,
    }),
    db.expertProfile.count({ where: { published: true } }),
    db.errorReport.count({ where: { createdAt: { gte: new Date(now.getTime() - 7 * DAY) } } }),
    db.securityEvent.count({ where: { createdAt: { gte: new Date(now.getTime() - 7 * DAY) } } }),
  ]);
  const perWeek = Array.from({ length: weeks }, (_, i) => ({
    weekStart: new Date(first.getTime() + i * 7 * DAY).toISOString().slice(0, 10),
    bookings: 0,
    cancellations: 0,
    noShows: 0,
  }));
  for (const b of bookings) {
    const i = Math.floor((weekStart(b.startsAt).getTime() - first.getTime()) / (7 * DAY));
    const w = perWeek[i];
    if (!w) continue;
    w.bookings++;
    if (b.status === "CANCELLED") w.cancellations++;
    if (b.status === "NO_SHOW") w.noShows++;
  }
  return { perWeek, activeExperts, errorReportsLast7Days: errors7d, securityEventsLast7Days: security7d };
}
