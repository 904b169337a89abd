// Booking, cancelling, rescheduling and listing 1:1 sessions. Every function checks who is asking:
// - only a verified, active USER account books, and never with themself;
// - a booking belongs to its user and its expert; anyone else gets NOT_FOUND (its existence is not revealed);
// - experts see their clients' names, the topic, times and status — never an email (privacy promise P17).
// The server re-validates every requested time with the same code that computed the offered slots (slots.ts),
// and the database's exclusion constraint settles races: two CONFIRMED bookings of one expert never overlap.
import crypto from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { BookingParty, BookingStatus } from "../generated/prisma/enums.ts";
import { DomainError, isDomainError, isUniqueViolation, parseInput } from "../errors/index.ts";
import { requireHealthConsent } from "../privacy/health-consent.ts";
import { firstName } from "../privacy/minimise.ts";
import { loadSchedules } from "./schedule.ts";
import { bookingSpan, slotProblem, type SlotProblem } from "./slots.ts";

/** Who is asking: the signed-in account (a ValidSession fits). Role and status are read from the database. */
export interface Actor {
  userId: string;
}

const HOUR_MS = 60 * 60_000;
const TAKEN_MESSAGE = "This time was just taken. Please choose another.";
const NOT_FOUND_MESSAGE = "We could not find this booking.";

// ------------------------------------------------------------------------------------------- errors

/**
 * True for PostgreSQL's exclusion-constraint violation (SQLSTATE 23P01). Prisma has no code of its own for it:
 * both driver adapters (pg and PGlite) pass it on as a DriverAdapterError of kind "postgres", which Prisma wraps
 * as a known request error (P2039 "Database error. Code: `23P01`") keeping the adapter error in
 * meta.driverAdapterError.cause.originalCode.
 */
export function isExclusionViolation(error: unknown): boolean {
  return sqlStates(error).includes("23P01");
}

/** The SQLSTATE codes a driver adapter error carries (either adapter names it in one of two places). */
function sqlStates(error: unknown): unknown[] {
  const cause = (
    error as { meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } } } | null
  )?.meta?.driverAdapterError?.cause;
  return [cause?.originalCode, cause?.code];
}

/**
 * True when PostgreSQL aborted a statement to break a deadlock (SQLSTATE 40P01) or a serialization failure (40001):
 * nothing of it was written, and tried again it either succeeds or meets the winner's row. Concurrent inserts that
 * collide on the exclusion constraint can deadlock each other on a busy server; Prisma reports that as P2034.
 */
export function isRetryableConflict(error: unknown): boolean {
  if ((error as { code?: unknown } | null)?.code === "P2034") return true;
  const states = sqlStates(error);
  return states.includes("40P01") || states.includes("40001");
}

/**
 * Runs `write` again, up to five tries in all, when the database aborted it to break a deadlock. Twenty people
 * taking one time at once on a loaded server met three deadlocks in a row now and then.
 */
async function retryingDeadlocks<T>(write: () => Promise<T>): Promise<T> {
  for (let tries = 1; ; tries++) {
    try {
      return await write();
    } catch (error) {
      if (tries >= 5 || !isRetryableConflict(error)) throw error;
      // A random pause that grows, so the transactions that deadlocked do not meet again in the same order.
      await new Promise((resolve) => setTimeout(resolve, tries * (5 + Math.random() * 20)));
    }
  }
}

const BUSY_MESSAGE = "Many people are booking this time right now. Please try again in a moment.";

function slotError(problem: SlotProblem, expert: { name: string; minNoticeHours: number }): DomainError {
  const field = { field: "startsAt" };
  switch (problem) {
    case "PAST":
      return new DomainError("VALIDATION", "This time has already passed. Please choose another.", field);
    case "TOO_SOON":
      return new DomainError(
        "VALIDATION",
        `${expert.name} needs at least ${expert.minNoticeHours} hours' notice. Please choose a later time.`,
        field,
      );
    case "OUTSIDE_AVAILABILITY":
      return new DomainError(
        "VALIDATION",
        `${expert.name} is not available at this time. Please choose one of the times shown.`,
        field,
      );
    case "TIME_OFF":
      return new DomainError("VALIDATION", `${expert.name} is away at this time. Please choose another.`, field);
    case "TAKEN":
      return new DomainError("CONFLICT", TAKEN_MESSAGE, field);
  }
}

// ------------------------------------------------------------------------------------------- input

const idSchema = z.string().trim().min(1).max(64);
const startsAtSchema = z.coerce
  .date({ error: "Choose a time." })
  .refine((d) => !Number.isNaN(d.getTime()), "Choose a time.");

export const bookSlotSchema = z
  .object({
    expertSlug: z.string().trim().min(1).max(60).optional(),
    expertId: idSchema.optional(),
    categorySlug: z.string({ error: "Choose a topic." }).trim().min(1, "Choose a topic.").max(60),
    startsAt: startsAtSchema,
    /** A random value the booking form carries: the same key from the same user books once. */
    idempotencyKey: z.string().trim().min(8).max(100).optional(),
  })
  .refine((v) => (v.expertSlug === undefined) !== (v.expertId === undefined), "Choose an expert.");

const reasonSchema = z.string().trim().max(500, "Use at most 500 characters.").optional();

// ------------------------------------------------------------------------------------------- views

const userBookingSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  cancelledBy: true,
  cancelledAt: true,
  rescheduleCount: true,
  roomName: true,
  expert: { select: { slug: true, timezone: true, cancelWindowHours: true, user: { select: { name: true } } } },
  category: { select: { slug: true, name: true } },
  // Only the person who booked can review a booking, so any review on one of their bookings is theirs.
  review: { select: { id: true } },
} as const;

type UserBookingRow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancelledBy: BookingParty | null;
  cancelledAt: Date | null;
  rescheduleCount: number;
  roomName: string;
  expert: { slug: string; timezone: string; cancelWindowHours: number; user: { name: string } };
  category: { slug: string; name: string };
  review: { id: string } | null;
};

/** A booking as its user sees it. */
export interface UserBooking {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancelledBy: BookingParty | null;
  cancelledAt: Date | null;
  rescheduleCount: number;
  roomName: string;
  expert: { slug: string; name: string; timezone: string; cancelWindowHours: number };
  category: { slug: string; name: string };
  /** The user has already reviewed it (the list of past sessions links to the review either way). */
  reviewed: boolean;
}

function toUserBooking(b: UserBookingRow): UserBooking {
  return {
    id: b.id,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    status: b.status,
    cancelledBy: b.cancelledBy,
    cancelledAt: b.cancelledAt,
    rescheduleCount: b.rescheduleCount,
    roomName: b.roomName,
    expert: {
      slug: b.expert.slug,
      name: b.expert.user.name,
      timezone: b.expert.timezone,
      cancelWindowHours: b.expert.cancelWindowHours,
    },
    category: b.category,
    reviewed: b.review !== null,
  };
}

/** A booking as the expert sees it: the client's first name and nothing else about them (P17). */
export interface ExpertBooking {
  id: string;
  clientName: string;
  categoryName: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancelledBy: BookingParty | null;
}

// ------------------------------------------------------------------------------------------- booking

/** The actor's account, which must be an active, verified USER to book. */
async function requireClient(db: PrismaClient, actor: Actor) {
  const user = await db.user.findUnique({
    where: { id: actor.userId },
    select: { id: true, role: true, status: true, emailVerifiedAt: true },
  });
  if (!user || user.status !== "ACTIVE") {
    throw new DomainError("UNAUTHENTICATED", "Please sign in to book a session.");
  }
  if (user.role !== "USER") {
    throw new DomainError(
      "FORBIDDEN",
      "Sessions are booked from a client account. Sign in with your personal account to book.",
    );
  }
  if (!user.emailVerifiedAt) {
    throw new DomainError(
      "PRECONDITION",
      "Please confirm your email address before booking: enter the code we emailed you.",
    );
  }
  return user;
}

/** A published expert of an active account, with their topics, or NOT_FOUND. */
async function requireBookableExpert(db: PrismaClient, ref: { expertSlug?: string; expertId?: string }) {
  const expert = await db.expertProfile.findFirst({
    where: {
      ...(ref.expertId ? { id: ref.expertId } : { slug: ref.expertSlug }),
      published: true,
      user: { status: "ACTIVE" },
    },
    select: {
      id: true,
      userId: true,
      minNoticeHours: true,
      user: { select: { name: true } },
      categories: { select: { category: { select: { id: true, slug: true } } } },
    },
  });
  if (!expert)
    throw new DomainError("NOT_FOUND", "This expert is not taking bookings at the moment.", { field: "expert" });
  return { ...expert, name: expert.user.name };
}

/** Throws the clear refusal for `startsAt`, unless it is exactly one of the expert's bookable slots now. */
async function requireBookableSlot(
  db: PrismaClient,
  expert: { id: string; name: string; minNoticeHours: number },
  startsAt: Date,
  now: Date,
  excludeBookingId?: string,
) {
  const schedules = await loadSchedules(db, [expert.id], {
    from: startsAt,
    to: new Date(startsAt.getTime() + 1),
    excludeBookingId,
  });
  const schedule = schedules.get(expert.id);
  if (!schedule) throw new DomainError("NOT_FOUND", "This expert is not taking bookings at the moment.");
  const problem = slotProblem(schedule, startsAt, now);
  if (problem) throw slotError(problem, expert);
  return bookingSpan(schedule, startsAt);
}

async function findByIdempotencyKey(db: PrismaClient, userId: string, idempotencyKey: string | undefined) {
  if (!idempotencyKey) return null;
  const row = await db.booking.findUnique({
    where: { userId_idempotencyKey: { userId, idempotencyKey } },
    select: { ...userBookingSelect, expertId: true },
  });
  return row;
}

/** The booking made earlier with the same form (same key): returned as is when it is for the same session. */
function replay(existing: UserBookingRow & { expertId: string }, expertId: string, startsAt: Date): UserBooking {
  if (existing.expertId !== expertId || existing.startsAt.getTime() !== startsAt.getTime()) {
    throw new DomainError(
      "CONFLICT",
      "This booking form was already used for another session. Please reload the page and try again.",
    );
  }
  return toUserBooking(existing);
}

/** A room name nobody can guess: 128 random bits. */
const newRoomName = () => `mn-${crypto.randomBytes(16).toString("hex")}`;

/**
 * Books `startsAt` with an expert for the actor. Re-validates everything; a double-submitted form (same
 * idempotencyKey) returns the booking it made the first time.
 */
export async function bookSlot(
  db: PrismaClient,
  actor: Actor,
  input: z.input<typeof bookSlotSchema>,
  now: Date = new Date(),
): Promise<UserBooking> {
  const data = parseInput(bookSlotSchema, input);
  const client = await requireClient(db, actor);
  const expert = await requireBookableExpert(db, data);

  const earlier = await findByIdempotencyKey(db, client.id, data.idempotencyKey);
  if (earlier) return replay(earlier, expert.id, data.startsAt);

  if (expert.userId === client.id) throw new DomainError("FORBIDDEN", "You cannot book a session with yourself.");
  const category = expert.categories.find((c) => c.category.slug === data.categorySlug)?.category;
  if (!category) {
    throw new DomainError(
      "VALIDATION",
      `${expert.name} does not offer this topic. Please choose one of their topics.`,
      {
        field: "categorySlug",
      },
    );
  }
  // A booking's topic is health data: no booking without the person's explicit consent (Art. 9(2)(a)).
  await requireHealthConsent(db, client.id);
  try {
    const created = await retryingDeadlocks(async () => {
      const span = await requireBookableSlot(db, expert, data.startsAt, now);
      return db.booking.create({
        data: {
          userId: client.id,
          expertId: expert.id,
          categoryId: category.id,
          ...span,
          roomName: newRoomName(),
          idempotencyKey: data.idempotencyKey ?? null,
        },
        select: userBookingSelect,
      });
    });
    return toUserBooking(created);
  } catch (error) {
    // A concurrent submit of the same form may have won: we then see its booking as "taken" (the slot check),
    // as a violation of either the unique key or the exclusion constraint (the insert), or as the deadlocks our
    // insert met against it. It is ours: replay.
    const lostRace =
      (isDomainError(error) && error.code === "CONFLICT") ||
      isUniqueViolation(error) ||
      isExclusionViolation(error) ||
      isRetryableConflict(error);
    const winner = lostRace ? await findByIdempotencyKey(db, client.id, data.idempotencyKey) : null;
    if (winner) return replay(winner, expert.id, data.startsAt);
    if (isExclusionViolation(error)) throw new DomainError("CONFLICT", TAKEN_MESSAGE, { field: "startsAt" });
    if (isRetryableConflict(error)) {
      // Still deadlocked after the retries, and not by this person's own other submit: most likely someone else
      // has the time now (the check says so); otherwise a sentence, never a raw database error.
      await requireBookableSlot(db, expert, data.startsAt, now);
      throw new DomainError("CONFLICT", BUSY_MESSAGE, { field: "startsAt" });
    }
    throw error;
  }
}

// ------------------------------------------------------------------------------------------- changes

/** The booking with the actor's part in it, or NOT_FOUND when the actor is neither its user nor its expert. */
async function requireParty(db: PrismaClient, actor: Actor, bookingId: unknown) {
  const id = idSchema.safeParse(bookingId);
  if (!id.success) throw new DomainError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const booking = await db.booking.findUnique({
    where: { id: id.data },
    select: {
      id: true,
      userId: true,
      status: true,
      startsAt: true,
      expert: {
        select: {
          id: true,
          userId: true,
          cancelWindowHours: true,
          minNoticeHours: true,
          user: { select: { name: true } },
        },
      },
    },
  });
  const party: BookingParty | null = !booking
    ? null
    : booking.userId === actor.userId
      ? "USER"
      : booking.expert.userId === actor.userId
        ? "EXPERT"
        : null;
  if (!booking || !party) throw new DomainError("NOT_FOUND", NOT_FOUND_MESSAGE);
  return { booking, party };
}

function requireChangeable(booking: { status: BookingStatus; startsAt: Date }, now: Date, what: string) {
  if (booking.status !== "CONFIRMED") {
    throw new DomainError(
      "PRECONDITION",
      `This session is ${booking.status.toLowerCase().replace("_", "-")} and can no longer be ${what}.`,
    );
  }
  if (booking.startsAt.getTime() <= now.getTime()) {
    throw new DomainError("PRECONDITION", `This session has already started and can no longer be ${what}.`);
  }
}

/** Users change a booking only up to the expert's cancellation window before it starts. */
function requireInsideWindow(
  booking: { startsAt: Date; expert: { cancelWindowHours: number; user: { name: string } } },
  now: Date,
  what: string,
) {
  const hours = booking.expert.cancelWindowHours;
  if (booking.startsAt.getTime() - now.getTime() < hours * HOUR_MS) {
    throw new DomainError(
      "PRECONDITION",
      `Sessions with ${booking.expert.user.name} can be ${what} up to ${hours} hours before they start. ` +
        "Please write to the expert or to support if something has come up.",
    );
  }
}

/** The booking's user (inside the expert's cancellation window) or its expert (any time before it starts). */
export async function cancelBooking(
  db: PrismaClient,
  actor: Actor,
  { bookingId, reason }: { bookingId: string; reason?: string },
  now: Date = new Date(),
): Promise<UserBooking> {
  const cancelReason = parseInput(reasonSchema, reason) || null;
  const { booking, party } = await requireParty(db, actor, bookingId);
  requireChangeable(booking, now, "cancelled");
  if (party === "USER") requireInsideWindow(booking, now, "cancelled");
  // Conditional on the state we checked: a concurrent change makes this a no-op instead of a lost update.
  const { count } = await db.booking.updateMany({
    where: { id: booking.id, status: "CONFIRMED", startsAt: booking.startsAt },
    data: { status: "CANCELLED", cancelledBy: party, cancelledAt: now, cancelReason },
  });
  if (count !== 1) throw new DomainError("CONFLICT", "This booking was changed a moment ago. Please reload the page.");
  return toUserBooking(await db.booking.findUniqueOrThrow({ where: { id: booking.id }, select: userBookingSelect }));
}

/** The booking's user moves it to another bookable slot of the same expert, inside the cancellation window. */
export async function rescheduleBooking(
  db: PrismaClient,
  actor: Actor,
  { bookingId, newStartsAt }: { bookingId: string; newStartsAt: Date | string },
  now: Date = new Date(),
): Promise<UserBooking> {
  const startsAt = parseInput(startsAtSchema, newStartsAt);
  const { booking, party } = await requireParty(db, actor, bookingId);
  if (party !== "USER") {
    throw new DomainError("FORBIDDEN", "Only the client can move a session. You can cancel it, and they will be told.");
  }
  await requireClient(db, actor);
  requireChangeable(booking, now, "rescheduled");
  requireInsideWindow(booking, now, "rescheduled");
  const expert = {
    id: booking.expert.id,
    name: booking.expert.user.name,
    minNoticeHours: booking.expert.minNoticeHours,
  };
  const published = await db.expertProfile.count({
    where: { id: expert.id, published: true, user: { status: "ACTIVE" } },
  });
  if (published === 0) throw new DomainError("PRECONDITION", `${expert.name} is not taking bookings at the moment.`);
  try {
    const { count } = await retryingDeadlocks(async () => {
      const span = await requireBookableSlot(db, expert, startsAt, now, booking.id);
      return db.booking.updateMany({
        where: { id: booking.id, status: "CONFIRMED", startsAt: booking.startsAt },
        data: { ...span, rescheduleCount: { increment: 1 } },
      });
    });
    if (count !== 1)
      throw new DomainError("CONFLICT", "This booking was changed a moment ago. Please reload the page.");
  } catch (error) {
    if (isExclusionViolation(error)) throw new DomainError("CONFLICT", TAKEN_MESSAGE, { field: "startsAt" });
    throw error;
  }
  return toUserBooking(await db.booking.findUniqueOrThrow({ where: { id: booking.id }, select: userBookingSelect }));
}

// ------------------------------------------------------------------------------------------- listings

export const listBookingsSchema = z.object({
  /** upcoming: sessions that have not ended yet, soonest first; past: ended sessions, latest first. */
  when: z.enum(["upcoming", "past"]).default("upcoming"),
  take: z.number().int().min(1).max(200).default(50),
  skip: z.number().int().min(0).max(100_000).default(0),
});

function timeFilter(when: "upcoming" | "past", now: Date) {
  return when === "upcoming"
    ? { where: { endsAt: { gt: now } }, orderBy: [{ startsAt: "asc" as const }, { id: "asc" as const }] }
    : { where: { endsAt: { lte: now } }, orderBy: [{ startsAt: "desc" as const }, { id: "desc" as const }] };
}

/** The user's own bookings (one query). */
export async function listUserBookings(
  db: PrismaClient,
  userId: string,
  input: z.input<typeof listBookingsSchema> = {},
  now: Date = new Date(),
): Promise<UserBooking[]> {
  const opts = parseInput(listBookingsSchema, input);
  const t = timeFilter(opts.when, now);
  const rows = await db.booking.findMany({
    where: { userId, ...t.where },
    orderBy: t.orderBy,
    take: opts.take,
    skip: opts.skip,
    select: userBookingSelect,
  });
  return rows.map(toUserBooking);
}

/** One of the user's own bookings; another person's id is simply not found (null). */
export async function getUserBooking(
  db: PrismaClient,
  { userId, bookingId }: { userId: string; bookingId: string },
): Promise<UserBooking | null> {
  if (!z.uuid().safeParse(bookingId).success) return null;
  const row = await db.booking.findFirst({ where: { id: bookingId, userId }, select: userBookingSelect });
  return row ? toUserBooking(row) : null;
}

/**
 * The sessions of the expert whose account is `expertUserId` (another expert's are never included): client name,
 * topic, times and status only (P17). An account without an expert profile has none.
 */
export async function listExpertBookings(
  db: PrismaClient,
  expertUserId: string,
  input: z.input<typeof listBookingsSchema> = {},
  now: Date = new Date(),
): Promise<ExpertBooking[]> {
  const opts = parseInput(listBookingsSchema, input);
  const { where, ...query } = expertBookingsQuery(opts, now);
  const rows = await db.booking.findMany({ where: { expert: { userId: expertUserId }, ...where }, ...query });
  return rows.map(toExpertBooking);
}

/**
 * The filter, order, page and fields of an expert's session list, for a query on Booking or on the expert's
 * `bookings` relation (getExpertSessionsPage reads the upcoming ones with the profile, in one statement).
 */
export function expertBookingsQuery(opts: z.output<typeof listBookingsSchema>, now: Date) {
  const t = timeFilter(opts.when, now);
  return { where: t.where, orderBy: t.orderBy, take: opts.take, skip: opts.skip, select: expertBookingSelect };
}

const expertBookingSelect = {
  id: true,
  startsAt: true,
  endsAt: true,
  status: true,
  cancelledBy: true,
  user: { select: { name: true } },
  category: { select: { name: true } },
} as const;

type ExpertBookingRow = {
  id: string;
  startsAt: Date;
  endsAt: Date;
  status: BookingStatus;
  cancelledBy: BookingParty | null;
  user: { name: string };
  category: { name: string };
};

export function toExpertBooking(b: ExpertBookingRow): ExpertBooking {
  return {
    id: b.id,
    // First name only: all an expert needs to greet the client (P17, P27).
    clientName: firstName(b.user.name),
    categoryName: b.category.name,
    startsAt: b.startsAt,
    endsAt: b.endsAt,
    status: b.status,
    cancelledBy: b.cancelledBy,
  };
}
