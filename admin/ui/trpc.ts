// The console's only way to the server: tRPC through TanStack Query. Types come from the router (type-only
// import: no server code reaches the browser).
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../server/root.ts";
import { CONSOLE_HEADER } from "../shared/console-header.ts";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function makeClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/admin/api/trpc", headers: { [CONSOLE_HEADER]: "1" } })],
  });
}

interface WireError {
  message?: string;
  data?: {
    reason?: string;
    code?: string;
    field?: string;
    zodIssues?: { path: (string | number)[]; message: string }[];
  };
}

export interface ErrorInfo {
  message: string;
  reason?: string;
  code?: string;
  /** Messages per form field (zod issues and domain errors naming a field), to show next to the field. */
  fields: Record<string, string>;
}

/**
 * The message, denial reason and field messages of a failed call, as the server's error formatter shapes them.
 * A validation failure's message is the issues as JSON: never shown; the issues become field messages instead.
 */
export function errorInfo(error: unknown): ErrorInfo {
  const e = error as WireError | null;
  const fields: Record<string, string> = {};
  for (const issue of e?.data?.zodIssues ?? []) {
    const key = issue.path.filter((p) => typeof p === "string").join(".") || "form";
    fields[key] ??= issue.message;
  }
  if (e?.data?.field && e.message) fields[e.data.field] = e.message;
  const hasIssues = (e?.data?.zodIssues?.length ?? 0) > 0;
  const message = hasIssues
    ? "Some fields need another look."
    : e?.message && !e.message.trimStart().startsWith("[")
      ? e.message
      : "Something went wrong. Please try again.";
  return { message, reason: e?.data?.reason, code: e?.data?.code, fields };
}

let zone = "UTC";
/** The staff member's own time zone (from their account), used by every date the console shows. */
export function setDisplayZone(timeZone: string) {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone });
    zone = timeZone;
  } catch {
    zone = "UTC";
  }
}

/** Dates cross the wire as ISO strings (no transformer); shown in the staff member's zone, with the zone named. */
export const fmt = (d: Date | string | null | undefined) =>
  d
    ? new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        day: "numeric",
        month: "short",
        year: "numeric",
        hour: "2-digit",
        minute: "2-digit",
        timeZoneName: "short",
      }).format(new Date(d))
    : "—";

/** A day without its time, in the staff member's zone ("3 Feb 2026"): the weeks on the dashboard. */
export const fmtDay = (d: Date | string | null | undefined) =>
  d
    ? new Intl.DateTimeFormat("en-GB", { timeZone: zone, day: "numeric", month: "short", year: "numeric" }).format(
        new Date(d),
      )
    : "—";

/**
 * A calendar day given as "YYYY-MM-DD" (a week's Monday in the dashboard's counts): the same day for everyone,
 * whatever their zone. `fmtDay` would read it as midnight UTC and show the day before west of UTC.
 */
export const fmtDateKey = (key: string) => {
  const at = new Date(`${key}T00:00:00Z`);
  return Number.isNaN(at.getTime())
    ? "—"
    : new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" }).format(at);
};

/** Time until (positive) or since (negative) a moment, in words: "in 3 h 20 min", "2 d overdue". */
export function relative(d: Date | string | null | undefined, now = Date.now()): string {
  if (!d) return "—";
  const ms = new Date(d).getTime() - now;
  const abs = Math.abs(ms);
  const min = Math.round(abs / 60_000);
  const text =
    min < 60
      ? `${min} min`
      : min < 48 * 60
        ? `${Math.floor(min / 60)} h ${min % 60} min`
        : `${Math.floor(min / 1440)} d`;
  return ms >= 0 ? `in ${text}` : `${text} overdue`;
}
