// Experts and bookings for the HTTP tests, straight in the database (booking through the site is tested in the
// booking journeys): one shape, so a new column on Booking is added here once.
import crypto from "node:crypto";
import type { BookingStatus } from "../../core/generated/prisma/enums.ts";
import { createExpert } from "../../core/catalog/index.ts";
import type { TestServer } from "./server.ts";

const db = (s: TestServer) => s.running.services.db.prisma;

/** A published expert in one topic, with no weekly hours (tests place bookings directly). */
export async function publishedExpert(s: TestServer, opts: { slug: string; name?: string; category: string }) {
  return createExpert(db(s), {
    email: `${opts.slug}@example.com`,
    name: opts.name ?? `Expert ${opts.slug}`,
    slug: opts.slug,
    headline: "Listens well",
    bio: "A calm and experienced practitioner who helps people.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: [opts.category],
    availability: [],
    published: true,
  });
}

/** A 50-minute booking at `startsAt` in the topic `category`. */
export async function bookingAt(
  s: TestServer,
  opts: { userId: string; expertId: string; category: string; startsAt: Date; status?: BookingStatus },
) {
  const category = await db(s).category.findUniqueOrThrow({ where: { slug: opts.category }, select: { id: true } });
  return db(s).booking.create({
    data: {
      userId: opts.userId,
      expertId: opts.expertId,
      categoryId: category.id,
      startsAt: opts.startsAt,
      status: opts.status ?? "CONFIRMED",
      endsAt: new Date(opts.startsAt.getTime() + 50 * 60_000),
      blockedUntil: new Date(opts.startsAt.getTime() + 60 * 60_000),
      roomName: `mn-${crypto.randomBytes(12).toString("hex")}`,
    },
    select: { id: true },
  });
}
