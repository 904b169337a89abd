import { describe, expect, it } from "vitest";
import {
  dayKey,
  findTimeZone,
  formatDate,
  formatDateTime,
  formatSession,
  formatTime,
  localeFrom,
  minuteOfDay,
  uses12Hours,
  zoneLabel,
  zoneName,
} from "./format.ts";

// 2026-12-02 20:30 UTC: 15:30 in New York (EST), 02:00 the next day in Kolkata.
const at = new Date("2026-12-02T20:30:00Z");
const end = new Date("2026-12-02T21:20:00Z");
// Intl may use narrow/thin spaces around AM/PM and dashes: compare with plain spaces.
const plain = (s: string) => s.replace(/[\u202f\u2009\u00a0]/g, " ");

describe("time formatting", () => {
  it("writes a time in the viewer's zone, 12 h for en-US and 24 h for en-GB", () => {
    expect(plain(formatTime(at, { tz: "America/New_York", locale: "en-US" }))).toBe("3:30 PM");
    expect(formatTime(at, { tz: "Asia/Kolkata", locale: "en-GB" })).toBe("02:00");
    expect(uses12Hours("en-US")).toBe(true);
    expect(uses12Hours("en-GB")).toBe(false);
    expect(uses12Hours("de-DE")).toBe(false);
  });

  it("lets the person's own choice of 12 or 24 hours win over the locale", () => {
    expect(formatTime(at, { tz: "America/New_York", locale: "en-US", hourCycle: "24" })).toBe("15:30");
    expect(plain(formatTime(at, { tz: "Asia/Kolkata", locale: "en-GB", hourCycle: "12" }))).toMatch(/^2:00 am$/i);
  });

  it("puts the date on the viewer's side of midnight", () => {
    expect(formatDate(at, { tz: "America/New_York", locale: "en-US" })).toBe("Wednesday, December 2, 2026");
    expect(formatDate(at, { tz: "Asia/Kolkata", locale: "en-GB" })).toBe("Thursday, 3 December 2026");
    expect(dayKey(at, "America/New_York")).toBe("2026-12-02");
    expect(dayKey(at, "Asia/Kolkata")).toBe("2026-12-03");
    expect(minuteOfDay(at, "Asia/Kolkata")).toBe(120);
  });

  it("names the zone in words, never as an IANA id, and knows old aliases", () => {
    expect(zoneName("America/New_York")).toBe("New York time");
    expect(zoneName("Asia/Calcutta")).toBe("Kolkata time");
    expect(zoneName("UTC")).toBe("UTC");
    expect(zoneLabel("Asia/Kolkata", at)).toBe("Kolkata time (GMT+5:30)");
    expect(zoneLabel("America/New_York", at)).toBe("New York time (GMT-5)");
    const s = plain(formatSession(at, end, { tz: "America/New_York", locale: "en-US" }));
    expect(s).toBe("Wednesday, December 2, 2026, 3:30 – 4:20 PM New York time");
    expect(formatDateTime(at, { tz: "Europe/London", locale: "en-GB" })).toBe(
      "Wednesday, 2 December 2026, 20:30 London time",
    );
  });

  it("never writes an ISO string or UTC for a viewer in another zone", () => {
    const s = formatSession(at, end, { tz: "Asia/Kolkata", locale: "en-IN" });
    expect(s).not.toMatch(/\d{4}-\d{2}-\d{2}|T\d{2}:|UTC|Z\b/);
    expect(s).toContain("Kolkata time");
  });

  it("reads the locale from Accept-Language, ignoring junk", () => {
    expect(localeFrom("en-US,en;q=0.9")).toBe("en-US");
    expect(localeFrom("de-DE;q=1, en;q=0.5")).toBe("de-DE");
    expect(localeFrom("*")).toBe("en-GB");
    expect(localeFrom("<script>")).toBe("en-GB");
    expect(localeFrom(null)).toBe("en-GB");
  });
});

describe("finding a zone a person typed", () => {
  it("accepts ids, the picker's words and plain city names; nothing else", () => {
    expect(findTimeZone("America/New_York")).toBe("America/New_York");
    expect(findTimeZone("New York time (GMT-5)")).toBe("America/New_York");
    expect(findTimeZone("kolkata")).toMatch(/^Asia\/(Kolkata|Calcutta)$/);
    expect(findTimeZone("UTC")).toBe("UTC");
    expect(findTimeZone("Atlantis")).toBeNull();
    expect(findTimeZone("")).toBeNull();
  });
});
