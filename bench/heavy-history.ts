// Part of `npm run bench`: the data export and the erasure of one user with a heavy history (1,000 bookings,
// 100 support tickets with a message each), on a fresh in-memory embedded database with the demo data. The history
// is written with createMany (a few statements), then exportUserData and eraseUser are timed as the product calls
// them (core/privacy).
import crypto from "node:crypto";
import { openDatabase } from "../core/platform/db/client.ts";
import { exportUserData } from "../core/privacy/export.ts";
import { eraseUser } from "../core/privacy/erase.ts";
import { seedDemoData } from "../prisma/seed.ts";

export interface HeavyHistoryResult {
  bookings: number;
  tickets: number;
  setupMs: number;
  exportMs: number;
  exportBytes: number;
  erasureMs: number;
}

const HOUR = 3_600_000;

export async function measureHeavyHistory(
  opts: { bookings?: number; tickets?: number } = {},
): Promise<HeavyHistoryResult> {
  const bookingCount = opts.bookings ?? 1_000;
  const ticketCount = opts.tickets ?? 100;
  const db = await openDatabase({ kind: "memory" });
  try {
    await db.migrate();
    await seedDemoData(db.prisma, () => {});
    const prisma = db.prisma;
    const started = performance.now();
    const experts = await prisma.expertProfile.findMany({
      select: { id: true, categories: { select: { categoryId: true } } },
    });
    const user = await prisma.user.create({
      data: {
        email: `heavy-${crypto.randomUUID()}@bench.mindnamo.test`,
        name: "Heavy History",
        emailVerifiedAt: new Date(),
        timezone: "Europe/Berlin",
      },
      select: { id: true },
    });
    // One past session per hour going back: never overlapping, so the exclusion constraint is satisfied.
    const base = Date.now() - 30 * 24 * HOUR;
    await prisma.booking.createMany({
      data: Array.from({ length: bookingCount }, (_, i) => {
        const expert = experts[i % experts.length]!;
        const startsAt = new Date(base - i * HOUR);
        const endsAt = new Date(startsAt.getTime() + 50 * 60_000);
        return {
          userId: user.id,
          expertId: expert.id,
          categoryId: expert.categories[i % expert.categories.length]!.categoryId,
          startsAt,
          endsAt,
          blockedUntil: endsAt,
          status: i % 10 === 0 ? ("CANCELLED" as const) : ("COMPLETED" as const),
          roomName: crypto.randomBytes(16).toString("hex"),
        };
      }),
    });
    const ticketIds = Array.from({ length: ticketCount }, () => crypto.randomUUID());
    await prisma.supportTicket.createMany({
      data: ticketIds.map((id, i) => ({
        id,
        requesterId: user.id,
        subject: `Question ${i + 1} about my sessions`,
        category: "BOOKING" as const,
        channel: "WEB" as const,
        status: "CLOSED" as const,
        firstResponseDueAt: new Date(base + HOUR),
        resolutionDueAt: new Date(base + 48 * HOUR),
      })),
    });
    await prisma.ticketMessage.createMany({
      data: ticketIds.map((ticketId) => ({
        ticketId,
        authorId: user.id,
        body: "I would like to move my session to another week, please.",
      })),
    });
    const setupMs = performance.now() - started;

    const t0 = performance.now();
    const data = await exportUserData(prisma, user.id);
    const exportBytes = Buffer.byteLength(JSON.stringify(data));
    const exportMs = performance.now() - t0;

    const t1 = performance.now();
    await eraseUser(prisma, user.id);
    const erasureMs = performance.now() - t1;
    return {
      bookings: bookingCount,
      tickets: ticketCount,
      setupMs: Math.round(setupMs),
      exportMs: Math.round(exportMs),
      exportBytes,
      erasureMs: Math.round(erasureMs),
    };
  } finally {
    await db.close();
  }
}
