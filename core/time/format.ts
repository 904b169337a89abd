// The one way Mind Namo writes a date or a time for a person: always in the viewer's own zone and locale, 12 or
// 24 hours as their locale reads them (or as they chose), the zone named in words ("New York time"). Pages, the
// console and every email use these functions, so a time never appears in a zone the reader did not choose and
// never as an ISO string. Pure and Intl-only: it runs on the server and in the browser.
import { remember } from "./memo.ts";

/** Whose eyes a time is written for. */
export interface Viewer {
  /** IANA zone, e.g. "America/New_York". */
  tz: string;
  /** BCP 47 locale, e.g. "en-US". */
  locale: string;
  /** "12" or "24" when the person chose; otherwise their locale decides. */
  hourCycle?: "12" | "24" | undefined;
}

export const DEFAULT_LOCALE = "en-GB";

/** True when `timeZone` is an IANA zone this runtime knows. */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 64) return false;
  // Asked on every request (the session's zone, the zone cookie); building a formatter to find out costs ~0.1 ms.
  return remember(
    knownZones,
    timeZone,
    () => {
      try {
        new Intl.DateTimeFormat("en", { timeZone });
        return true;
      } catch {
        return false;
      }
    },
    1000,
  );
}
const knownZones = new Map<string, boolean>();

/** The first usable locale of an Accept-Language header (or a single tag), else the default. */
export function localeFrom(acceptLanguage: string | null | undefined): string {
  if (!acceptLanguage) return DEFAULT_LOCALE;
  for (const part of acceptLanguage.slice(0, 200).split(",")) {
    const tag = part.split(";")[0]?.trim();
    if (!tag || tag === "*" || !/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/.test(tag)) continue;
    try {
      const [supported] = Intl.DateTimeFormat.supportedLocalesOf([tag]);
      if (supported) return supported;
    } catch {
      // A malformed tag: try the next one.
    }
  }
  return DEFAULT_LOCALE;
}

/** Whether the locale reads clocks in 12 hours (en-US: true; en-GB, de, fr: false). */
export function uses12Hours(locale: string): boolean {
  // Building a formatter to ask costs ~0.3 ms: a booking page asks once per slot, so remember the answer.
  return remember(
    hourHabit,
    locale,
    () => {
      const cycle = new Intl.DateTimeFormat(locale, { hour: "numeric" }).resolvedOptions().hourCycle;
      return cycle === "h12" || cycle === "h11";
    },
    200,
  );
}
const hourHabit = new Map<string, boolean>();

// Answers for instants that recur: slot times sit on the same grid for every expert and every visitor in a zone.
const ranges = new Map<string, string>();
const dayKeys = new Map<string, string>();
const minutes = new Map<string, number>();

// Building an Intl.DateTimeFormat costs far more than using one: keep them, bounded (zones come from requests).
const cache = new Map<string, Intl.DateTimeFormat>();
function fmt(v: Viewer, kind: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${v.locale}|${v.tz}|${v.hourCycle ?? ""}|${kind}`;
  let f = cache.get(key);
  if (!f) {
    const clock: Intl.DateTimeFormatOptions =
      "hour" in options && v.hourCycle ? { hourCycle: v.hourCycle === "12" ? "h12" : "h23" } : {};
    f = new Intl.DateTimeFormat(v.locale, { timeZone: v.tz, ...options, ...clock });
    if (cache.size >= 500) cache.clear();
    cache.set(key, f);
  }
  return f;
}

// Old IANA names some runtimes still report, and the name people use for the city.
const CITY_NAMES: Record<string, string> = {
  "Asia/Calcutta": "Kolkata",
  "Asia/Saigon": "Ho Chi Minh City",
  "Asia/Katmandu": "Kathmandu",
  "Asia/Rangoon": "Yangon",
  "Europe/Kiev": "Kyiv",
  "America/Buenos_Aires": "Buenos Aires",
  "Pacific/Truk": "Chuuk",
};

/** The zone in words: "New York time", "Kolkata time", "UTC". */
export function zoneName(tz: string): string {
  if (tz === "UTC" || tz === "Etc/UTC" || tz === "Etc/GMT") return "UTC";
  const city = CITY_NAMES[tz] ?? tz.split("/").pop()?.replace(/_/g, " ") ?? tz;
  return `${city} time`;
}

/** The zone's offset at `at` as people write it: "GMT-5", "GMT+5:30". */
export function zoneOffset(tz: string, at: Date = new Date()): string {
  const part = fmt({ tz, locale: "en-GB" }, "offset", { timeZoneName: "shortOffset" })
    .formatToParts(at)
    .find((p) => p.type === "timeZoneName")?.value;
  return part === "GMT" || !part ? "GMT" : part;
}

/** "New York time (GMT-5)" */
export function zoneLabel(tz: string, at: Date = new Date()): string {
  const name = zoneName(tz);
  return name === "UTC" ? "UTC" : `${name} (${zoneOffset(tz, at)})`;
}

/** 12 or 24 hours for this viewer: their choice, else their locale's habit. */
export function hourCycleOf(v: Viewer): "12" | "24" {
  return v.hourCycle ?? (uses12Hours(v.locale) ? "12" : "24");
}

// 24-hour clocks read "09:05"; 12-hour clocks read "9:05 AM".
const clockOptions = (v: Viewer): Intl.DateTimeFormatOptions => ({
  hour: hourCycleOf(v) === "12" ? "numeric" : "2-digit",
  minute: "2-digit",
});

/** "3:30 PM" (en-US) or "15:30" (en-GB). */
export function formatTime(d: Date, v: Viewer): string {
  return fmt(v, "time", clockOptions(v)).format(d);
}

/** "3:30 – 4:20 PM" style ranges, written by the locale. */
export function formatTimeRange(start: Date, end: Date, v: Viewer): string {
  // formatRange is the costliest call here (~0.1 ms): the same slot is written the same way for everyone.
  const key = `${v.locale}|${v.tz}|${v.hourCycle ?? ""}|${start.getTime()}|${end.getTime()}`;
  return remember(ranges, key, () => fmt(v, "time", clockOptions(v)).formatRange(start, end));
}

/** "Wednesday, 2 December 2026" (en-GB) or "Wednesday, December 2, 2026" (en-US). */
export function formatDate(d: Date, v: Viewer): string {
  return fmt(v, "date", { weekday: "long", day: "numeric", month: "long", year: "numeric" }).format(d);
}

/** "Wed" (en-GB, en-US), "mer." (fr): calendar headings. */
export function formatWeekday(d: Date, v: Viewer): string {
  return fmt(v, "weekday", { weekday: "short" }).format(d);
}

/** "Wed 2 Dec" (en-GB) or "Wed, Dec 2" (en-US): lists and calendars. */
export function formatShortDate(d: Date, v: Viewer): string {
  return fmt(v, "short-date", { weekday: "short", day: "numeric", month: "short" }).format(d);
}

/** "December 2026". */
export function formatMonth(d: Date, v: Viewer): string {
  return fmt(v, "month", { month: "long", year: "numeric" }).format(d);
}

/** "2 December 2026": a day without a time (deadlines, review months). */
export function formatDay(d: Date, v: Viewer): string {
  return fmt(v, "day", { day: "numeric", month: "long", year: "numeric" }).format(d);
}

/** Date and time with the zone in words: "Wednesday, 2 December 2026 at 15:30, London time". */
export function formatDateTime(d: Date, v: Viewer): string {
  return `${formatDate(d, v)}, ${formatTime(d, v)} ${zoneName(v.tz)}`;
}

/** A session: "Wednesday, 2 December 2026, 3:30 – 4:20 PM New York time". */
export function formatSession(start: Date, end: Date, v: Viewer): string {
  return `${formatDate(start, v)}, ${formatTimeRange(start, end, v)} ${zoneName(v.tz)}`;
}

/** The viewer's local calendar day of `d`, "YYYY-MM-DD": a key for grouping, never shown. */
export function dayKey(d: Date, tz: string): string {
  return remember(dayKeys, `${tz}|${d.getTime()}`, () => computeDayKey(d, tz));
}
function computeDayKey(d: Date, tz: string): string {
  const parts = fmt({ tz, locale: "en-CA" }, "key", {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? "";
  return `${get("year")}-${get("month")}-${get("day")}`;
}

/** Minutes after local midnight of `d` in `tz` (0..1439). */
export function minuteOfDay(d: Date, tz: string): number {
  return remember(minutes, `${tz}|${d.getTime()}`, () => computeMinuteOfDay(d, tz));
}
function computeMinuteOfDay(d: Date, tz: string): number {
  const parts = fmt({ tz, locale: "en-GB" }, "hm", {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(d);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
  return (get("hour") % 24) * 60 + get("minute");
}

/** Every zone the runtime knows (for the zone picker), with UTC. */
export function allTimeZones(): string[] {
  const zones =
    typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : ["UTC", "Europe/London"];
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

let byName: Map<string, string> | null = null;

/**
 * The zone a person typed or picked: an IANA id ("Asia/Kolkata") or a name in words as the picker shows it
 * ("Kolkata time (GMT+5:30)", "kolkata"). Null when nothing matches.
 */
export function findTimeZone(input: string | null | undefined): string | null {
  if (!input) return null;
  const text = input.trim().slice(0, 80);
  if (isKnownTimeZone(text)) return text;
  const key = text
    .replace(/\s*\(.*\)\s*$/, "")
    .replace(/\s+time$/i, "")
    .trim()
    .toLowerCase();
  if (!key) return null;
  if (!byName) {
    byName = new Map();
    for (const z of allTimeZones()) {
      const name = zoneName(z)
        .replace(/ time$/, "")
        .toLowerCase();
      if (!byName.has(name)) byName.set(name, z);
    }
    for (const [old, city] of Object.entries(CITY_NAMES))
      if (!byName.has(city.toLowerCase())) byName.set(city.toLowerCase(), old);
  }
  return byName.get(key) ?? null;
}

/**
 * The locale for an email, which has no browser to ask: US English in the Americas' US zones (12-hour clock),
 * British English elsewhere (24-hour clock). A person's own choice would replace this when the product stores one.
 */
export function mailLocale(tz: string): string {
  return /^(America\/(New_York|Chicago|Denver|Phoenix|Los_Angeles|Anchorage|Detroit|Boise|Indiana|Kentucky|North_Dakota|Menominee|Juneau|Sitka|Nome|Yakutat|Metlakatla|Adak)|Pacific\/Honolulu|US\/)/.test(
    tz,
  )
    ? "en-US"
    : DEFAULT_LOCALE;
}
