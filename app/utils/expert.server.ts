// The guard and the display helpers of the expert workspace (/expert). Every loader and action calls
// requireExpert (or requireExpertWith) itself: no session → /login?next=…; signed in but not an expert → a 403
// page that says why.
import type { AppLoadContext } from "@remix-run/node";
import { expertWorkspace, isDomainError, type ValidSession, deps } from "~/core.server";
import { requireSession } from "./session.server";

export const NOT_AN_EXPERT =
  "This workspace is for Mind Namo experts, and the account you are signed in with is not an expert account. " +
  "If you are an expert, sign in with the account we set up for you.";

export async function requireExpert(
  request: Request,
  context: AppLoadContext,
): Promise<{ session: ValidSession; profile: expertWorkspace.ExpertWorkspaceProfile }> {
  return requireExpertWith(request, context, async (session) => ({
    session,
    profile: await expertWorkspace.getExpertWorkspace(deps(context).db, session.userId),
  }));
}

/**
 * The same guard, for a loader that reads the profile together with its own data (`read` must refuse an account
 * without a profile with core's FORBIDDEN, as getExpertWorkspace does).
 */
export async function requireExpertWith<T>(
  request: Request,
  context: AppLoadContext,
  read: (session: ValidSession) => Promise<T>,
): Promise<T> {
  const session = await requireSession(request, context);
  if (session.user.role !== "EXPERT") throw new Response(NOT_AN_EXPERT, { status: 403, statusText: "Forbidden" });
  try {
    return await read(session);
  } catch (error) {
    // An expert account whose profile is missing (or was just changed): the same answer, with core's reason.
    if (isDomainError(error) && error.code === "FORBIDDEN")
      throw new Response(error.message, { status: 403, statusText: "Forbidden" });
    throw error;
  }
}

// Formatted on the server, in the expert's zone: the browser's own time zone and ICU data play no part.
const dateFormats = new Map<string, Intl.DateTimeFormat>();
function dateFormat(timeZone: string): Intl.DateTimeFormat {
  let f = dateFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", {
      timeZone,
      weekday: "short",
      day: "numeric",
      month: "short",
      year: "numeric",
    });
    dateFormats.set(timeZone, f);
  }
  return f;
}

// Building a formatter costs ~0.3 ms, using one microseconds: the workspace shows two clocks per session, so one
// formatter per zone is kept (zones here are experts' own, checked when saved: a few hundred at most).
const clockFormats = new Map<string, Intl.DateTimeFormat>();
function clock(date: Date, timeZone: string): string {
  let f = clockFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-GB", { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    clockFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(date);
  const h = parts.find((p) => p.type === "hour")?.value ?? "00";
  const m = parts.find((p) => p.type === "minute")?.value ?? "00";
  return `${h}:${m}`;
}

/** "Mon, 7 Jun 2027, 10:00–10:50" in `timeZone`. */
export function formatSessionTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${dateFormat(timeZone).format(startsAt)}, ${clock(startsAt, timeZone)}–${clock(endsAt, timeZone)}`;
}

/** "Thu 10 Jun 2027 (whole day)", "Thu 10 Jun 2027 – Sun 13 Jun 2027 (whole days)" or with times. */
export function formatTimeOff(startsAt: Date, endsAt: Date, timeZone: string): string {
  const d = dateFormat(timeZone);
  const startClock = clock(startsAt, timeZone);
  const endClock = clock(endsAt, timeZone);
  if (startClock === "00:00" && endClock === "00:00") {
    const lastDay = new Date(endsAt.getTime() - 1);
    const first = d.format(startsAt);
    const last = d.format(lastDay);
    return first === last ? `${first} (whole day)` : `${first} – ${last} (whole days)`;
  }
  const first = d.format(startsAt);
  const last = d.format(endsAt);
  return first === last ? `${first}, ${startClock}–${endClock}` : `${first}, ${startClock} – ${last}, ${endClock}`;
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** The date today in `timeZone`, as YYYY-MM-DD (the earliest a date input for time off offers). */
export function todayIn(timeZone: string, now = new Date()): string {
  let f = dayFormats.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    dayFormats.set(timeZone, f);
  }
  const parts = f.formatToParts(now);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}
