// Which crisis lines a page shows: the person's own choice (a cookie set on /help-now), else their time zone (the
// account's, the page's ?tz= or the browser's zone cookie), else the browser's language. Never cached with a page
// shared between visitors: every route that renders lines computes them per request.
import type { AppLoadContext } from "@remix-run/node";
import { chooseRegion, helplinesFor, isRegion, isValidTimeZone, regionNames, type Region } from "~/core.server";
import { getSession } from "~/utils/session.server";

export const REGION_COOKIE = "mn_region";
/** The browser's zone, written by the first page's script (shared with the time formatting). */
const ZONE_COOKIE = "mn_tz";

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

export interface CrisisView {
  region: Region;
  regionName: string;
  /** True when the region was guessed (zone or language), so the page says how to change it. */
  guessed: boolean;
  lines: { name: string; action: string; href: string; hours: string; emergency: boolean }[];
}

export async function crisisFor(request: Request, context: AppLoadContext): Promise<CrisisView> {
  const url = new URL(request.url);
  const session = await getSession(request, context);
  // The session already carries the person's zone: no query of its own.
  const zones = [url.searchParams.get("tz"), readCookie(request, ZONE_COOKIE), session?.user.timezone].filter(
    (z): z is string => !!z && z.length <= 64 && z !== "UTC" && isValidTimeZone(z),
  );
  const chosen = readCookie(request, REGION_COOKIE);
  const { region, from } = chooseRegion({
    chosen: isRegion(chosen) ? chosen : null,
    tz: zones[0] ?? null,
    acceptLanguage: request.headers.get("accept-language")?.slice(0, 200) ?? null,
  });
  return {
    region,
    regionName: regionNames[region],
    guessed: from !== "choice",
    lines: helplinesFor(region).map((h) => ({
      name: h.name,
      action: h.action,
      href: h.href,
      hours: h.hours,
      emergency: h.emergency === true,
    })),
  };
}

export function regionCookie(context: AppLoadContext, region: Region): string {
  const secure = context.services.config.isProduction ? "; Secure" : "";
  // A year: where someone is rarely changes, and the cookie holds nothing but the region's code.
  return `${REGION_COOKIE}=${region}; Max-Age=31536000; Path=/; SameSite=Lax${secure}`;
}
