// The expert's own workspace: their profile settings, weekly availability and time off. Every function takes the
// signed-in expert's userId and touches only that expert's rows: another expert's rule or time-off id is
// NOT_FOUND, and an account without an expert profile (or no longer an active EXPERT) is FORBIDDEN.
// Weekly availability is kept in the expert's own time zone (minutes from local midnight); time off is a pair of
// UTC instants, entered here as local dates and times in that zone.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DomainError, isDomainError, parseInput } from "../errors/index.ts";
import {
  cancelBooking,
  expertBookingsQuery,
  listBookingsSchema,
  listExpertBookings,
  toExpertBooking,
  type ExpertBooking,
} from "../scheduling/bookings.ts";
import { addTimeOff } from "../scheduling/time-off.ts";
import { normaliseTimeZone, timeZoneSchema } from "../scheduling/time-zone.ts";
import { addDays, zonedToUtc, type LocalDate } from "../scheduling/zoned-time.ts";

export { normaliseTimeZone };

const MINUTES_PER_DAY = 24 * 60;
/** At most this many weekly windows per expert (the same cap as createExpert). */
export const MAX_AVAILABILITY_RULES = 50;

export const WEEKDAY_NAMES = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

// ------------------------------------------------------------------------------------------- validation

/** Empty form values count as missing. */
const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A whole number typed in a form (or given as a number), between min and max. */
function wholeNumber(what: string, min: number, max: number, unit: string) {
  const range = `Enter a whole number of ${unit} from ${min} to ${max}.`;
  return z.preprocess(
    (v) => {
      const b = blankToUndefined(v);
      return typeof b === "string" ? (/^\s*-?\d+\s*$/.test(b) ? Number(b) : Number.NaN) : b;
    },
    z
      .number({ error: (issue) => (issue.input === undefined ? `Enter the ${what}.` : range) })
      .int(range)
      .min(min, range)
      .max(max, range),
  );
}

const timeZoneField = z.preprocess(blankToUndefined, timeZoneSchema);

/** "Anxiety, sleep; grief" → ["Anxiety", "sleep", "grief"], without repeats (ignoring case). */
function splitLanguages(v: unknown): unknown {
  if (typeof v !== "string") return v;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const part of v.split(/[,;\n]/)) {
    const name = part.trim().replace(/\s+/g, " ");
    if (name && !seen.has(name.toLowerCase())) {
      seen.add(name.toLowerCase());
      out.push(name);
    }
  }
  return out;
}

export const expertProfileUpdateSchema = z.object({
  headline: z
    .string({ error: "Enter a headline." })
    .trim()
    .min(5, "Write a headline of at least 5 characters.")
    .max(120, "Keep the headline to 120 characters."),
  bio: z
    .string({ error: "Write a short bio." })
    .trim()
    .min(20, "Write a bio of at least 20 characters: clients read it before booking.")
    .max(4000, "Keep the bio to 4000 characters."),
  /** An array, or the comma-separated text of the form. */
  languages: z.preprocess(
    splitLanguages,
    z
      .array(
        z
          .string()
          .trim()
          .min(2, "Write each language's name, for example English.")
          .max(40, "Write each language in at most 40 characters."),
        { error: "List the languages you hold sessions in." },
      )
      .min(1, "List at least one language you hold sessions in.")
      .max(10, "List at most 10 languages."),
  ),
  timezone: timeZoneField,
  sessionMinutes: wholeNumber("session length", 15, 180, "minutes"),
  bufferMinutes: wholeNumber("break between sessions", 0, 120, "minutes"),
  minNoticeHours: wholeNumber("minimum booking notice", 0, 720, "hours"),
  cancelWindowHours: wholeNumber("cancellation window", 0, 720, "hours"),
});

// ------------------------------------------------------------------------------------------- profile

const workspaceProfileSelect = {
  id: true,
  slug: true,
  headline: true,
  bio: true,
  languages: true,
  timezone: true,
  sessionMinutes: true,
  bufferMinutes: true,
  minNoticeHours: true,
  cancelWindowHours: true,
  published: true,
  user: { select: { name: true } },
} as const;

export interface ExpertWorkspaceProfile {
  id: string;
  slug: string;
  name: string;
  headline: string;
  bio: string;
  languages: string[];
  timezone: string;
  sessionMinutes: number;
  bufferMinutes: number;
  minNoticeHours: number;
  cancelWindowHours: number;
  published: boolean;
}

const NO_PROFILE = "This workspace is for experts. Your account has no expert profile: please contact our team.";

/** Where a profile belongs to an active EXPERT account: a changed role or a suspended account opens nothing. */
const ownProfile = (expertUserId: string) => ({
  userId: expertUserId,
  user: { role: "EXPERT" as const, status: "ACTIVE" as const },
});

/**
 * The workspace's sessions page: the expert's profile with their upcoming sessions (one statement) and, beside it,
 * their past ones. FORBIDDEN for an account without a profile, as getExpertWorkspace.
 */
export async function getExpertSessionsPage(
  db: PrismaClient,
  expertUserId: string,
  shown: { upcoming: number; past: number },
  now: Date = new Date(),
): Promise<{ profile: ExpertWorkspaceProfile; upcoming: ExpertBooking[]; past: ExpertBooking[] }> {
  const upcoming = parseInput(listBookingsSchema, { when: "upcoming", take: shown.upcoming });
  const [row, past] = await Promise.all([
    db.expertProfile.findFirst({
      where: ownProfile(expertUserId),
      select: { ...workspaceProfileSelect, bookings: expertBookingsQuery(upcoming, now) },
    }),
    listExpertBookings(db, expertUserId, { when: "past", take: shown.past }, now),
  ]);
  const { bookings, ...profile } = ownedProfile(row);
  return { profile, upcoming: bookings.map(toExpertBooking), past };
}

/** The expert's own profile settings, or FORBIDDEN for an account without one. */
export async function getExpertWorkspace(db: PrismaClient, expertUserId: string): Promise<ExpertWorkspaceProfile> {
  return ownedProfile(
    await db.expertProfile.findFirst({ where: ownProfile(expertUserId), select: workspaceProfileSelect }),
  );
}

/** A profile row as the workspace shows it (the account's name beside the settings), or FORBIDDEN for none. */
function ownedProfile<R extends { user: { name: string } }>(row: R | null): Omit<R, "user"> & { name: string } {
  if (!row) throw new DomainError("FORBIDDEN", NO_PROFILE);
  const { user, ...rest } = row;
  return { ...rest, name: user.name };
}

/** Saves the expert's profile settings. Weekly availability keeps its local times in a new time zone. */
export async function updateExpertProfile(
  db: PrismaClient,
  expertUserId: string,
  input: z.input<typeof expertProfileUpdateSchema>,
): Promise<ExpertWorkspaceProfile> {
  const data = parseInput(expertProfileUpdateSchema, input);
  const { count } = await db.expertProfile.updateMany({ where: ownProfile(expertUserId), data });
  if (count !== 1) throw new DomainError("FORBIDDEN", NO_PROFILE);
  return getExpertWorkspace(db, expertUserId);
}

// ------------------------------------------------------------------------------------------- weekly availability

/** "09:30" → 570; "24:00" → 1440. Seconds (":00") are allowed, as some browsers send them. */
export function parseTimeOfDay(value: string): number | null {
  const m = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(value.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (min > 59 || h > 24 || (h === 24 && min !== 0)) return null;
  return h * 60 + min;
}

/** 570 → "09:30"; 1440 → "24:00". */
export function formatTimeOfDay(minute: number): string {
  const h = Math.floor(minute / 60);
  const m = minute % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

function timeOfDay(which: "start" | "end") {
  const missing = which === "start" ? "Enter when this window starts." : "Enter when this window ends.";
  const bad = "Enter a time as hours and minutes, for example 09:30.";
  return z.preprocess(
    blankToUndefined,
    z.union([z.number(), z.string()], { error: missing }).transform((v, ctx) => {
      const minute = typeof v === "number" ? v : parseTimeOfDay(v);
      if (minute === null || !Number.isInteger(minute) || minute < 0 || minute > MINUTES_PER_DAY) {
        ctx.addIssue({ code: "custom", message: bad });
        return z.NEVER;
      }
      // An end of 00:00 is midnight at the end of the day (a time input cannot say 24:00).
      if (which === "end" && minute === 0) return MINUTES_PER_DAY;
      if (which === "start" && minute === MINUTES_PER_DAY) {
        ctx.addIssue({ code: "custom", message: "A window cannot start at midnight at the end of the day." });
        return z.NEVER;
      }
      return minute;
    }),
  );
}

/** One weekly window: a weekday (0 = Sunday .. 6 = Saturday) and start/end as "HH:MM" or minutes of the day. */
export const availabilityWindowSchema = z
  .object({
    weekday: z.preprocess(
      (v) => {
        const b = blankToUndefined(v);
        return typeof b === "string" ? (/^\d$/.test(b.trim()) ? Number(b) : Number.NaN) : b;
      },
      z
        .number({ error: "Choose a day of the week." })
        .int("Choose a day of the week.")
        .min(0, "Choose a day of the week.")
        .max(6, "Choose a day of the week."),
    ),
    start: timeOfDay("start"),
    end: timeOfDay("end"),
  })
  .refine((w) => w.end > w.start, { message: "The window must end after it starts.", path: ["end"] })
  .transform((w) => ({ weekday: w.weekday, startMinute: w.start, endMinute: w.end }));

export interface AvailabilityWindow {
  id: string;
  weekday: number;
  startMinute: number;
  endMinute: number;
}

type WindowTimes = Omit<AvailabilityWindow, "id">;

const describeWindow = (w: WindowTimes) =>
  `${WEEKDAY_NAMES[w.weekday] ?? "that day"} ${formatTimeOfDay(w.startMinute)}–${formatTimeOfDay(w.endMinute)}`;

/** The first window of `existing` on the same day that shares time with `w` (touching ends are fine). */
function overlapping<T extends WindowTimes>(existing: T[], w: WindowTimes): T | undefined {
  return existing.find((e) => e.weekday === w.weekday && e.startMinute < w.endMinute && w.startMinute < e.endMinute);
}

function overlapError(w: WindowTimes, clash: WindowTimes): DomainError {
  return new DomainError(
    "VALIDATION",
    `${describeWindow(w)} overlaps your window ${describeWindow(clash)}. Change the times, or remove that window first.`,
    { field: "start" },
  );
}

const ruleSelect = { id: true, weekday: true, startMinute: true, endMinute: true } as const;
const ruleOrder = [{ weekday: "asc" as const }, { startMinute: "asc" as const }, { id: "asc" as const }];

/** The expert's weekly windows, by weekday (Sunday first) and start time. */
export async function listAvailability(db: PrismaClient, expertUserId: string): Promise<AvailabilityWindow[]> {
  return db.availabilityRule.findMany({
    where: { expert: ownProfile(expertUserId) },
    orderBy: ruleOrder,
    select: ruleSelect,
  });
}

/**
 * Runs `fn` in a transaction holding the expert's profile row: changes to one expert's availability happen one at
 * a time, so two concurrent additions cannot both pass the overlap check.
 */
async function withLockedProfile<T>(
  db: PrismaClient,
  expertUserId: string,
  fn: (tx: Prisma.TransactionClient, expertId: string) => Promise<T>,
): Promise<T> {
  const profile = await db.expertProfile.findFirst({ where: ownProfile(expertUserId), select: { id: true } });
  if (!profile) throw new DomainError("FORBIDDEN", NO_PROFILE);
  return db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT "id" FROM "ExpertProfile" WHERE "id" = ${profile.id} FOR UPDATE`;
    return fn(tx, profile.id);
  });
}

/** Adds one weekly window; refused when it overlaps another window of that day. */
export async function addAvailabilityRule(
  db: PrismaClient,
  expertUserId: string,
  input: z.input<typeof availabilityWindowSchema>,
): Promise<AvailabilityWindow> {
  const w = parseInput(availabilityWindowSchema, input);
  return withLockedProfile(db, expertUserId, async (tx, expertId) => {
    const existing = await tx.availabilityRule.findMany({ where: { expertId }, select: ruleSelect });
    const clash = overlapping(existing, w);
    if (clash) throw overlapError(w, clash);
    if (existing.length >= MAX_AVAILABILITY_RULES) {
      throw new DomainError(
        "VALIDATION",
        `You can have at most ${MAX_AVAILABILITY_RULES} windows a week. Remove one first.`,
      );
    }
    return tx.availabilityRule.create({ data: { expertId, ...w }, select: ruleSelect });
  });
}

/** Replaces the whole week at once (all or nothing); the windows must not overlap each other. */
export async function replaceAvailability(
  db: PrismaClient,
  expertUserId: string,
  input: z.input<typeof availabilityWindowSchema>[],
): Promise<AvailabilityWindow[]> {
  if (!Array.isArray(input)) throw new DomainError("VALIDATION", "Give the list of weekly windows.");
  if (input.length > MAX_AVAILABILITY_RULES) {
    throw new DomainError("VALIDATION", `You can have at most ${MAX_AVAILABILITY_RULES} windows a week.`);
  }
  const windows: WindowTimes[] = [];
  for (const item of input) {
    const w = parseInput(availabilityWindowSchema, item);
    const clash = overlapping(windows, w);
    if (clash) throw overlapError(w, clash);
    windows.push(w);
  }
  return withLockedProfile(db, expertUserId, async (tx, expertId) => {
    await tx.availabilityRule.deleteMany({ where: { expertId } });
    if (windows.length > 0) await tx.availabilityRule.createMany({ data: windows.map((w) => ({ expertId, ...w })) });
    return tx.availabilityRule.findMany({ where: { expertId }, orderBy: ruleOrder, select: ruleSelect });
  });
}

/** Removes one of the expert's own windows; another expert's id (or an unknown one) is NOT_FOUND. */
export async function removeAvailabilityRule(
  db: PrismaClient,
  { expertUserId, ruleId }: { expertUserId: string; ruleId: string },
): Promise<void> {
  const id = typeof ruleId === "string" ? ruleId.trim().slice(0, 64) : "";
  const { count } = id
    ? await db.availabilityRule.deleteMany({ where: { id, expert: ownProfile(expertUserId) } })
    : { count: 0 };
  if (count === 0)
    throw new DomainError("NOT_FOUND", "We could not find this availability window. It may have been removed already.");
}

// ------------------------------------------------------------------------------------------- time off

function localDate(missing: string) {
  return z.preprocess(
    blankToUndefined,
    z.string({ error: missing }).transform((v, ctx): LocalDate => {
      const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v.trim());
      const date = m ? { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) } : null;
      const real = date && new Date(Date.UTC(date.year, date.month - 1, date.day));
      if (
        !date ||
        !real ||
        date.year < 2000 ||
        date.year > 2200 ||
        real.getUTCMonth() !== date.month - 1 ||
        real.getUTCDate() !== date.day
      ) {
        ctx.addIssue({ code: "custom", message: "Enter a date as year-month-day, for example 2027-06-14." });
        return z.NEVER;
      }
      return date;
    }),
  );
}

const optionalTime = z.preprocess(
  blankToUndefined,
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined) return undefined;
      const minute = parseTimeOfDay(v);
      if (minute === null || minute >= MINUTES_PER_DAY) {
        ctx.addIssue({
          code: "custom",
          message: "Enter a time as hours and minutes, for example 13:00, or leave it empty.",
        });
        return z.NEVER;
      }
      return minute;
    }),
);

/**
 * Time off as the expert enters it, in their own time zone: from the start date (at the start time, or from
 * midnight) to the end date (at the end time, or to the end of that day). A single day off: the same date twice.
 */
export const localTimeOffSchema = z.object({
  startDate: localDate("Enter the first day of your time off."),
  startTime: optionalTime,
  endDate: localDate("Enter the last day of your time off."),
  endTime: optionalTime,
  reason: z.preprocess(blankToUndefined, z.string().trim().max(200, "Keep the note to 200 characters.").optional()),
});

/** Adds time off given in the expert's own time zone (see localTimeOffSchema). */
export async function addLocalTimeOff(
  db: PrismaClient,
  expertUserId: string,
  input: z.input<typeof localTimeOffSchema>,
  now: Date = new Date(),
) {
  const t = parseInput(localTimeOffSchema, input);
  const { timezone } = await getExpertWorkspace(db, expertUserId);
  const startsAt = zonedToUtc(t.startDate, t.startTime ?? 0, timezone);
  const endsAt =
    t.endTime === undefined
      ? zonedToUtc(addDays(t.endDate, 1), 0, timezone)
      : zonedToUtc(t.endDate, t.endTime, timezone);
  const endField =
    t.endTime !== undefined &&
    t.endDate.year === t.startDate.year &&
    t.endDate.month === t.startDate.month &&
    t.endDate.day === t.startDate.day
      ? "endTime"
      : "endDate";
  if (endsAt <= startsAt)
    throw new DomainError("VALIDATION", "Your time off must end after it starts.", { field: endField });
  if (endsAt <= now)
    throw new DomainError("VALIDATION", "This time off would already be over. Choose dates from today on.", {
      field: endField,
    });
  try {
    return await addTimeOff(db, expertUserId, { startsAt, endsAt, reason: t.reason });
  } catch (error) {
    // time-off.ts speaks of instants; the form has dates.
    if (isDomainError(error) && error.code === "VALIDATION") {
      const field =
        error.details?.field === "startsAt"
          ? "startDate"
          : error.details?.field === "endsAt"
            ? "endDate"
            : error.details?.field;
      throw new DomainError("VALIDATION", error.message, field ? { field } : undefined);
    }
    throw error;
  }
}

// ------------------------------------------------------------------------------------------- the rest of the workspace

// What the workspace also uses from scheduling, so the site reaches the whole workspace through one namespace:
// sessions as the expert sees them (client name, topic, time, status: never an email) and the expert's own
// cancellation and time off. These functions authorize by the expert's userId themselves.
export { cancelBooking, listExpertBookings, type ExpertBooking };
export { listTimeOff, removeTimeOff } from "../scheduling/time-off.ts";
