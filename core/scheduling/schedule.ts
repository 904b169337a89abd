// Loads experts' schedules (settings, weekly rules, time off and confirmed bookings in a range) for the pure slot
// functions. One query whatever the number of experts: directory pages ask for a whole page of experts at once.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { computeSlots, type ExpertSchedule, type Slot } from "./slots.ts";

export interface LoadedSchedule extends ExpertSchedule {
  expertId: string;
}

// A slot starting just before `to` still needs its session and buffer free after `to`: load a day more.
const LOOKAHEAD_MS = 24 * 60 * 60_000;

/**
 * The schedules of `expertIds` with the time off and CONFIRMED bookings that can collide with a slot starting in
 * [from, to).
 * `excludeBookingId` leaves one booking out (rescheduling must not collide with itself).
 */
export async function loadSchedules(
  db: PrismaClient,
  expertIds: string[],
  range: { from: Date; to: Date; excludeBookingId?: string },
): Promise<Map<string, LoadedSchedule>> {
  if (expertIds.length === 0) return new Map();
  const rows = await db.expertProfile.findMany({
    where: { id: { in: [...new Set(expertIds)] } },
    select: scheduleSelect(range),
  });
  return new Map(rows.map((r) => [r.id, toLoadedSchedule(r)]));
}

/**
 * The columns and relations of an expert profile that make up its schedule for slots starting in [from, to): a
 * select of its own so a page that reads the profile anyway (the booking page) takes the schedule in the same
 * statement.
 */
export function scheduleSelect(range: { from: Date; to: Date; excludeBookingId?: string }) {
  const until = new Date(range.to.getTime() + LOOKAHEAD_MS);
  return {
    id: true,
    timezone: true,
    sessionMinutes: true,
    bufferMinutes: true,
    minNoticeHours: true,
    availability: { select: { weekday: true, startMinute: true, endMinute: true } },
    timeOff: {
      where: { startsAt: { lt: until }, endsAt: { gt: range.from } },
      select: { startsAt: true, endsAt: true },
    },
    bookings: {
      where: {
        status: "CONFIRMED",
        startsAt: { lt: until },
        blockedUntil: { gt: range.from },
        ...(range.excludeBookingId ? { id: { not: range.excludeBookingId } } : {}),
      },
      select: { startsAt: true, blockedUntil: true },
    },
  } as const;
}

interface ScheduleRow {
  id: string;
  timezone: string;
  sessionMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  availability: { weekday: number; startMinute: number; endMinute: number }[];
  timeOff: { startsAt: Date; endsAt: Date }[];
  bookings: { startsAt: Date; blockedUntil: Date }[];
}

export function toLoadedSchedule(r: ScheduleRow): LoadedSchedule {
  return {
    expertId: r.id,
    timezone: r.timezone,
    sessionMinutes: r.sessionMinutes,
    bufferMinutes: r.bufferMinutes,
    minNoticeHours: r.minNoticeHours,
    rules: r.availability,
    timeOff: r.timeOff,
    bookings: r.bookings,
  };
}

/** The bookable slots of one loaded schedule in [from, to) (the same rules as `nextSlotsForExperts`). */
export function slotsOf(schedule: ExpertSchedule, opts: { from: Date; to: Date; now?: Date; limit?: number }): Slot[] {
  const now = opts.now ?? new Date();
  const from = new Date(Math.max(opts.from.getTime(), now.getTime()));
  return computeSlots(schedule, { from, to: opts.to, now, limit: opts.limit });
}

/**
 * The next bookable slots of each expert in [from, to) (e.g. "available this week" on the directory and the
 * profile page). One query for all the experts; unknown ids get an empty list.
 */
export async function nextSlotsForExperts(
  db: PrismaClient,
  expertIds: string[],
  opts: { from: Date; to: Date; now?: Date; limitPerExpert?: number },
): Promise<Map<string, Slot[]>> {
  const now = opts.now ?? new Date();
  const from = new Date(Math.max(opts.from.getTime(), now.getTime()));
  const schedules = await loadSchedules(db, expertIds, { from, to: opts.to });
  const result = new Map<string, Slot[]>();
  for (const id of expertIds) {
    const schedule = schedules.get(id);
    result.set(id, schedule ? slotsOf(schedule, { from, to: opts.to, now, limit: opts.limitPerExpert }) : []);
  }
  return result;
}
