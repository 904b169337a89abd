// Bookable slots, computed by pure functions from an expert's schedule. The same code answers "which slots can
// I show?" (computeSlots) and "may this start time be booked?" (slotProblem), so the server re-validates a
// booking against exactly what it would have offered.
//
// Rules are weekly windows in the expert's own time zone (minutes from local midnight). Slots start at each
// window's start and then every sessionMinutes + bufferMinutes of real (elapsed) time, as long as the session
// ends inside the window. A slot is bookable when it is not in the past, respects the minimum notice, does not
// touch time off, and [start, start + session + buffer) overlaps no confirmed booking's [startsAt, blockedUntil)
// — exactly the span the database's exclusion constraint keeps free.
import { addDays, compareDates, localDateOf, weekdayOf, zonedToUtc } from "./zoned-time.ts";

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
/** The longest range computeSlots accepts: keeps one request's work bounded. */
export const MAX_SLOT_RANGE_DAYS = 62;

export interface WeeklyRule {
  weekday: number; // 0 = Sunday .. 6 = Saturday, in the expert's time zone
  startMinute: number;
  endMinute: number; // up to 1440 (midnight at the end of the day)
}

export interface Span {
  startsAt: Date;
  endsAt: Date;
}

export interface ExpertSchedule {
  timezone: string;
  sessionMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  rules: WeeklyRule[];
  timeOff: Span[];
  /** CONFIRMED bookings only; blockedUntil = endsAt + the buffer at the time they were booked. */
  bookings: { startsAt: Date; blockedUntil: Date }[];
}

export interface Slot {
  startsAt: Date;
  endsAt: Date;
}

export type SlotProblem = "PAST" | "TOO_SOON" | "OUTSIDE_AVAILABILITY" | "TIME_OFF" | "TAKEN";

const overlaps = (aStart: number, aEnd: number, bStart: number, bEnd: number) => aStart < bEnd && bStart < aEnd;

/** The availability windows (UTC spans) of every local date that can touch [from, to). */
export function availabilityWindows(
  schedule: Pick<ExpertSchedule, "timezone" | "rules">,
  from: Date,
  to: Date,
): Span[] {
  const windows: Span[] = [];
  // One local day of margin on each side: a window of local date D can start before `from`'s local date in UTC.
  const last = addDays(localDateOf(to, schedule.timezone), 1);
  for (
    let date = addDays(localDateOf(from, schedule.timezone), -1);
    compareDates(date, last) <= 0;
    date = addDays(date, 1)
  ) {
    const weekday = weekdayOf(date);
    for (const rule of schedule.rules) {
      if (rule.weekday !== weekday || rule.endMinute <= rule.startMinute) continue;
      const startsAt = zonedToUtc(date, rule.startMinute, schedule.timezone);
      const endsAt = zonedToUtc(date, rule.endMinute, schedule.timezone);
      if (endsAt > startsAt && endsAt > from && startsAt < to) windows.push({ startsAt, endsAt });
    }
  }
  return windows;
}

/** Every slot the weekly rules produce with a start in [from, to), ignoring notice, time off and bookings. */
export function candidateSlots(schedule: ExpertSchedule, from: Date, to: Date): Slot[] {
  const session = schedule.sessionMinutes * MINUTE_MS;
  const step = (schedule.sessionMinutes + schedule.bufferMinutes) * MINUTE_MS;
  const byStart = new Map<number, Slot>();
  for (const window of availabilityWindows(schedule, from, to)) {
    for (let s = window.startsAt.getTime(); s + session <= window.endsAt.getTime(); s += step) {
      if (s >= from.getTime() && s < to.getTime())
        byStart.set(s, { startsAt: new Date(s), endsAt: new Date(s + session) });
    }
  }
  return [...byStart.values()].sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime());
}

/** PAST or TOO_SOON when `s` (ms) is not far enough ahead of `now`. */
function timingProblem(
  schedule: Pick<ExpertSchedule, "minNoticeHours">,
  s: number,
  now: Date,
): "PAST" | "TOO_SOON" | null {
  if (s <= now.getTime()) return "PAST";
  if (s < now.getTime() + schedule.minNoticeHours * HOUR_MS) return "TOO_SOON";
  return null;
}

/** Whether a slot free of collisions is still far enough ahead of `now` to be booked (not past, the notice kept). */
export function farEnoughAhead(schedule: Pick<ExpertSchedule, "minNoticeHours">, startsAt: Date, now: Date): boolean {
  return timingProblem(schedule, startsAt.getTime(), now) === null;
}

/** TIME_OFF or TAKEN when a session starting at `s` (ms) collides with time off or a confirmed booking. */
function collisionProblem(schedule: ExpertSchedule, s: number): "TIME_OFF" | "TAKEN" | null {
  const { endsAt, blockedUntil } = bookingSpan(schedule, new Date(s));
  const end = endsAt.getTime();
  if (schedule.timeOff.some((t) => overlaps(s, end, t.startsAt.getTime(), t.endsAt.getTime()))) return "TIME_OFF";
  const blocked = blockedUntil.getTime();
  if (schedule.bookings.some((b) => overlaps(s, blocked, b.startsAt.getTime(), b.blockedUntil.getTime())))
    return "TAKEN";
  return null;
}

/** Why `startsAt` cannot be booked now, or null when it can. Checks in the order a person would ask. */
export function slotProblem(schedule: ExpertSchedule, startsAt: Date, now: Date): SlotProblem | null {
  const s = startsAt.getTime();
  const timing = timingProblem(schedule, s, now);
  if (timing) return timing;
  // Exactly one of the computed slots: same start (a time inside a window but off the grid is refused too).
  const onGrid = candidateSlots(schedule, startsAt, new Date(s + 1)).some((c) => c.startsAt.getTime() === s);
  if (!onGrid) return "OUTSIDE_AVAILABILITY";
  return collisionProblem(schedule, s);
}

/** Bookable slots starting in [from, to), earliest first; at most `limit` of them. */
export function computeSlots(
  schedule: ExpertSchedule,
  range: { from: Date; to: Date; now: Date; limit?: number },
): Slot[] {
  const from = new Date(Math.max(range.from.getTime(), range.now.getTime()));
  const to = new Date(Math.min(range.to.getTime(), range.from.getTime() + MAX_SLOT_RANGE_DAYS * DAY_MS));
  if (from >= to) return [];
  const slots: Slot[] = [];
  for (const slot of candidateSlots(schedule, from, to)) {
    const s = slot.startsAt.getTime();
    // Candidates are on the grid by construction: the same checks as slotProblem without recomputing it.
    if (timingProblem(schedule, s, range.now) === null && collisionProblem(schedule, s) === null) slots.push(slot);
    if (range.limit !== undefined && slots.length >= range.limit) break;
  }
  return slots;
}

/** The span a booking starting at `startsAt` keeps free in the database: [startsAt, blockedUntil). */
export function bookingSpan(schedule: Pick<ExpertSchedule, "sessionMinutes" | "bufferMinutes">, startsAt: Date) {
  const endsAt = new Date(startsAt.getTime() + schedule.sessionMinutes * MINUTE_MS);
  const blockedUntil = new Date(endsAt.getTime() + schedule.bufferMinutes * MINUTE_MS);
  return { startsAt, endsAt, blockedUntil };
}

export interface FormattedSlot {
  /** e.g. "Sunday, 28 March 2027" (the exact punctuation depends on the runtime's ICU data) */
  date: string;
  /** e.g. "14:30–15:20" */
  time: string;
  /** e.g. "GMT+5:30" */
  timeZoneName: string;
  /** date, time and zone together: "Sunday, 28 March 2027, 14:30–15:20 (GMT+5:30)" */
  label: string;
  /** The viewer's local date, YYYY-MM-DD, for grouping slots by day. */
  dayKey: string;
}

// Building an Intl.DateTimeFormat costs far more than using one (about 0.3 ms each here; a booking page formats up
// to 60 slots with three of them): keep them per locale, zone and style. Bounded: zones come from requests.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, timeZone: string, style: "date" | "clock" | "zone"): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let f = formatters.get(key);
  if (!f) {
    const options: Intl.DateTimeFormatOptions =
      style === "date"
        ? { timeZone, weekday: "long", day: "numeric", month: "long", year: "numeric" }
        : style === "clock"
          ? { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }
          : { timeZone, timeZoneName: "shortOffset" };
    f = new Intl.DateTimeFormat(locale, options);
    if (formatters.size >= 300) formatters.clear();
    formatters.set(key, f);
  }
  return f;
}

/** A slot as the viewer reads it, in their own time zone. */
export function formatSlot(slot: Slot, viewerTimeZone: string, locale = "en-GB"): FormattedSlot {
  const date = formatter(locale, viewerTimeZone, "date").format(slot.startsAt);
  const clock = formatter(locale, viewerTimeZone, "clock");
  const time = `${clock.format(slot.startsAt)}–${clock.format(slot.endsAt)}`;
  const timeZoneName =
    formatter(locale, viewerTimeZone, "zone")
      .formatToParts(slot.startsAt)
      .find((p) => p.type === "timeZoneName")?.value ?? viewerTimeZone;
  const d = localDateOf(slot.startsAt, viewerTimeZone);
  const dayKey = `${d.year}-${String(d.month).padStart(2, "0")}-${String(d.day).padStart(2, "0")}`;
  return { date, time, timeZoneName, label: `${date}, ${time} (${timeZoneName})`, dayKey };
}
