// The guard and the display helpers of the expert workspace (/expert). Every loader and action calls
// requireExpert (or requireExpertWith) itself: no session → /login?next=…; signed in but not an expert → a 403
// page that says why.
import type { AppLoadContext } from "@remix-run/node";
import { expertWorkspace, isDomainError, localDateOf, remember, type ValidSession, deps } from "~/core.server";
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

// Formatted on the server, in the expert's zone: the browser's own time zone and ICU data play no part. Building a
// formatter costs ~0.3 ms and using one microseconds, and a page writes two clocks and a date per session: one of
// each per zone is kept (zones here are experts' own, checked when saved; the memo is bounded all the same).
const formats = new Map<string, Intl.DateTimeFormat>();
const formatIn = (kind: "date" | "clock", timeZone: string) =>
  remember(
    formats,
    `${kind}|${timeZone}`,
    () =>
      new Intl.DateTimeFormat(
        "en-GB",
        kind === "date"
          ? { timeZone, weekday: "short", day: "numeric", month: "short", year: "numeric" }
          : { timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" },
      ),
    1000,
  );
const dateFormat = (timeZone: string) => formatIn("date", timeZone);

/** "10:50" in `timeZone`. */
export function clockIn(date: Date, timeZone: string): string {
  const parts = formatIn("clock", timeZone).formatToParts(date);
  const h = parts.find((p) => p.type === "hour")?.value ?? "00";
  const m = parts.find((p) => p.type === "minute")?.value ?? "00";
  return `${h}:${m}`;
}

/** "Mon, 7 Jun 2027, 10:00–10:50" in `timeZone`. */
export function formatSessionTime(startsAt: Date, endsAt: Date, timeZone: string): string {
  return `${dateFormat(timeZone).format(startsAt)}, ${clockIn(startsAt, timeZone)}–${clockIn(endsAt, timeZone)}`;
}

/** "Thu 10 Jun 2027 (whole day)", "Thu 10 Jun 2027 – Sun 13 Jun 2027 (whole days)" or with times. */
export function formatTimeOff(startsAt: Date, endsAt: Date, timeZone: string): string {
  const d = dateFormat(timeZone);
  const startClock = clockIn(startsAt, timeZone);
  const endClock = clockIn(endsAt, timeZone);
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

/** The date today in `timeZone`, as YYYY-MM-DD (the earliest a date input for time off offers). */
export function todayIn(timeZone: string, now = new Date()): string {
  const { year, month, day } = localDateOf(now, timeZone);
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
