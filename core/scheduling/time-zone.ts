// The one rule for time zones, everywhere a zone comes in (an expert's profile, the browser's zone on booking, an
// account, the admin's expert form): IANA names only, checked with Intl, stored as the database spells them. A form
// also takes a zone in words, the way the booking page's picker does ("London", "Kolkata time (GMT+5:30)"), and
// stores the IANA name it stands for.
import { z } from "zod";
import { findTimeZone, zoneName } from "../time/format.ts";

const TIME_ZONE_SHAPE = /^(?:UTC|[A-Za-z]+(?:\/[A-Za-z0-9_+-]+){1,2})$/i;

function knownZones(): string[] {
  return [...Intl.supportedValuesOf("timeZone"), "UTC"];
}

/**
 * An IANA time zone name ("Europe/London", "Asia/Kolkata", "UTC"), spelled the way the time zone database spells
 * it. Abbreviations ("EST") and offsets ("+05:30") are refused: they do not follow daylight saving time.
 */
export function normaliseTimeZone(input: string): string | null {
  const value = input.trim();
  if (value.length > 64 || !TIME_ZONE_SHAPE.test(value)) return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: value });
  } catch {
    return null;
  }
  const listed = knownZones().find((z) => z.toLowerCase() === value.toLowerCase());
  if (listed) return listed;
  // A valid name this runtime lists under another spelling (e.g. Asia/Kolkata for Asia/Calcutta): keep the name
  // given, with each word capitalised as the database writes it.
  return value.replace(/(^|[/_])([a-z])/g, (_m, sep: string, c: string) => sep + c.toUpperCase());
}

/** True when `timeZone` is an IANA zone name this runtime knows (the rule of normaliseTimeZone). */
export function isValidTimeZone(timeZone: string): boolean {
  return normaliseTimeZone(timeZone) !== null;
}

/** A zone in words ("London", "Kolkata time (GMT+5:30)") as the IANA name it stands for, or null. */
function zoneFromWords(input: string): string | null {
  const found = findTimeZone(input);
  // Taken as typed: only what normaliseTimeZone accepts (it refuses abbreviations such as "EST").
  if (!found || found === input.trim()) return null;
  // The runtime lists a few zones under their old names (Asia/Calcutta, Europe/Kiev): store the name of the city
  // people use now when it is a valid zone name too (Asia/Kolkata, Europe/Kyiv).
  const [region, ...rest] = found.split("/");
  if (rest.length !== 1) return found;
  return (
    normaliseTimeZone(
      `${region}/${zoneName(found)
        .replace(/ time$/, "")
        .replaceAll(" ", "_")}`,
    ) ?? found
  );
}

/**
 * A time zone field: an IANA name, returned in the database's spelling, or a city or zone in words as the pickers
 * show them, returned as its IANA name; anything else is a sentence to show.
 */
export const timeZoneSchema = z
  .string({ error: "Enter your time zone, for example London or Europe/London." })
  .transform((tz, ctx) => {
    const zone = normaliseTimeZone(tz) ?? zoneFromWords(tz);
    if (!zone) {
      ctx.addIssue({
        code: "custom",
        message:
          `"${tz.slice(0, 64)}" is not a time zone we know. Type a city, such as London or Kolkata, or a zone ` +
          "name such as Europe/London.",
      });
      return z.NEVER;
    }
    return zone;
  });
