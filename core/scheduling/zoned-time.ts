// Wall-clock arithmetic in IANA time zones with nothing but Intl (no date library): what UTC instant is
// "Monday 09:00 in Europe/London", and what local date and weekday an instant falls on. Pure functions.

import { remember } from "../time/memo.ts";

/** A calendar date as written on a wall calendar (month 1-12). */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

// Formatters are costly to build and are reused for every instant of a zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function partsFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

// Slot generation asks for the same instants of the same zones on every page (every expert's hours sit on the same
// grid): keep the answers, bounded. The reading of an instant in a zone never changes.
const readings = new Map<string, number>();

/** The wall-clock reading of `instant` in `timeZone`, expressed as if it were UTC (ms since epoch). */
function wallClockAsUtc(instant: number, timeZone: string): number {
  return remember(readings, `${timeZone}|${instant}`, () => readWallClock(instant, timeZone), 20_000);
}

function readWallClock(instant: number, timeZone: string): number {
  const fields: Record<string, number> = {};
  for (const part of partsFormatter(timeZone).formatToParts(new Date(instant))) {
    if (part.type !== "literal") fields[part.type] = Number(part.value);
  }
  const get = (k: string) => fields[k] ?? 0;
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second"));
}

/** The zone's offset from UTC at `instant`, in minutes (London in summer: 60, Kolkata: 330). */
export function offsetMinutes(instant: Date | number, timeZone: string): number {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const whole = t - (t % 1000); // Intl has second precision
  return Math.round((wallClockAsUtc(whole, timeZone) - whole) / MINUTE_MS);
}

/**
 * The UTC instant when the wall clock in `timeZone` shows `minuteOfDay` minutes after midnight of `date`
 * (minuteOfDay may be 1440: the next midnight). Around DST changes: a wall time that happens twice (autumn)
 * gives the first one; a wall time that never happens (the spring gap) gives the instant the same number of
 * minutes after the gap starts, i.e. the wall clock's reading moved forward by the jump (01:30 -> 02:30 BST).
 */
export function zonedToUtc(date: LocalDate, minuteOfDay: number, timeZone: string): Date {
  const asUtc = Date.UTC(date.year, date.month - 1, date.day, 0, minuteOfDay);
  // Two passes converge for every real zone: the offset only changes at transitions, hours apart.
  const firstGuess = asUtc - offsetMinutes(asUtc, timeZone) * MINUTE_MS;
  const before = offsetMinutes(firstGuess - 3 * 60 * MINUTE_MS, timeZone);
  const after = offsetMinutes(firstGuess + 3 * 60 * MINUTE_MS, timeZone);
  const candidates = [asUtc - before * MINUTE_MS, asUtc - after * MINUTE_MS];
  // A candidate is exact when the zone, at that instant, really shows the wanted wall time.
  const exact = candidates.filter((c) => wallClockAsUtc(c, timeZone) === asUtc);
  if (exact.length > 0) return new Date(Math.min(...exact));
  // Spring-forward gap: use the offset in force before the change (the clock reading moves forward).
  return new Date(asUtc - before * MINUTE_MS);
}

/** The local calendar date of `instant` in `timeZone`. */
export function localDateOf(instant: Date | number, timeZone: string): LocalDate {
  const t = typeof instant === "number" ? instant : instant.getTime();
  const wall = new Date(wallClockAsUtc(t - (t % 1000), timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** 0 = Sunday .. 6 = Saturday, as in AvailabilityRule.weekday. */
export function weekdayOf(date: LocalDate): number {
  return new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay();
}

export function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day) + days * DAY_MS);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function compareDates(a: LocalDate, b: LocalDate): number {
  return Date.UTC(a.year, a.month - 1, a.day) - Date.UTC(b.year, b.month - 1, b.day);
}
