// Where a person lands after signing in, verifying their email or resetting their password: back where they were
// (the `next` they carried through, already checked by the route with safeNext), else their own area: experts their workspace, staff the
// back-office, everyone else their account.
import type { AppLoadContext } from "@remix-run/node";
import { setAccountTimeZone, deps } from "~/core.server";
import { cookieZone } from "./viewer.server";

type Role = "USER" | "EXPERT" | "SUPPORT" | "DPO" | "ADMIN";

/** `back` is safeNext(next, ""): a path on our own site, or "" when there is none. */
export function landingFor(role: Role, back: string): string {
  if (back) return back;
  if (role === "EXPERT") return "/expert";
  if (role === "USER") return "/account";
  return "/admin";
}

/** `?next=…` for a redirect that carries the way back (`back` checked by safeNext), or "" when there is none. */
export function nextQuery(back: string, join: "?" | "&" = "?"): string {
  return back ? `${join}next=${encodeURIComponent(back)}` : "";
}

/**
 * A new account's zone is the column's default, UTC: take the browser's zone (the mn_tz cookie) instead, so the
 * first emails are in the person's own time.
 */
export async function adoptBrowserZone(request: Request, context: AppLoadContext, userId: string): Promise<void> {
  const tz = cookieZone(request);
  if (!tz) return;
  await setAccountTimeZone({ db: deps(context).db, userId, timezone: tz, onlyIfDefault: true });
}
