// Whose clock a page is written for. The zone comes, in order, from an explicit choice on this page (?tz=, the
// zone picker), the signed-in person's account, or the `mn_tz` cookie the first page's inline script sets from
// the browser. When none is known the page renders a placeholder instead of times: never UTC by default.
import type { AppLoadContext } from "@remix-run/node";
import { findTimeZone, isKnownTimeZone, localeFrom, type Viewer } from "~/utils/time";

/** Holds only the browser's zone name; a browser-session cookie (no expiry), no identifier. */
export const TZ_COOKIE = "mn_tz";

function readCookie(request: Request, name: string): string | null {
  const header = request.headers.get("cookie");
  if (!header || header.length > 8192) return null;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(part.slice(eq + 1).trim());
      } catch {
        return null;
      }
    }
  }
  return null;
}

/** The browser's zone from the cookie, when it is a real zone. */
export function cookieZone(request: Request): string | null {
  const z = readCookie(request, TZ_COOKIE);
  return z && isKnownTimeZone(z) ? z : null;
}

export type ZoneSource = "choice" | "account" | "browser";

export interface ResolvedViewer extends Viewer {
  source: ZoneSource;
}

/**
 * The viewer, or null when their zone is not known yet (render a placeholder). An account's zone of "UTC" is the
 * column's default, not a choice: the browser's zone wins over it.
 */
export function resolveViewer(request: Request, accountZone?: string | null): ResolvedViewer | null {
  const url = new URL(request.url);
  const locale = localeFrom(request.headers.get("accept-language"));
  const h = url.searchParams.get("h");
  const hourCycle = h === "12" || h === "24" ? h : undefined;
  const asked = findTimeZone(url.searchParams.get("tz"));
  if (asked) return { tz: asked, locale, hourCycle, source: "choice" };
  const browser = cookieZone(request);
  if (accountZone && isKnownTimeZone(accountZone) && !(accountZone === "UTC" && browser))
    return { tz: accountZone, locale, hourCycle, source: "account" };
  if (browser) return { tz: browser, locale, hourCycle, source: "browser" };
  return null;
}

/** Remembers a zone the person picked, for this browser session (the same cookie the inline script sets). */
export function zoneCookie(context: AppLoadContext, tz: string): string {
  const secure = context.services.config.isProduction ? "; Secure" : "";
  return `${TZ_COOKIE}=${encodeURIComponent(tz)}; Path=/; SameSite=Lax${secure}`;
}

/** For signed-in pages: the resolved viewer, else the account's own zone (always known once signed in). */
export function accountViewer(request: Request, accountZone: string): Viewer {
  return (
    resolveViewer(request, accountZone) ?? {
      tz: accountZone,
      locale: localeFrom(request.headers.get("accept-language")),
    }
  );
}
