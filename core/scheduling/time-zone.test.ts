// Every door a time zone comes in by follows one rule: IANA names only (abbreviations and offsets refused).
import { describe, expect, it } from "vitest";
import { expertInputSchema } from "../catalog/index.ts";
import { newUserSchema } from "../identity/users.ts";
import { isValidTimeZone, timeZoneSchema } from "./time-zone.ts";

const expert = (timezone: string) => ({
  email: "zone@example.com",
  name: "Zone Expert",
  slug: "zone-expert",
  headline: "Helps with time",
  bio: "Twenty characters or more of biography.",
  languages: ["English"],
  timezone,
  categorySlugs: ["sleep"],
});

describe("one time-zone rule", () => {
  it.each(["EST", "PST", "+05:30", "GMT+1", "Mars/Olympus", ""])("refuses %j at every door", (zone) => {
    expect(isValidTimeZone(zone)).toBe(false);
    expect(timeZoneSchema.safeParse(zone).success).toBe(false);
    expect(expertInputSchema.safeParse(expert(zone)).success).toBe(false);
    expect(newUserSchema.safeParse({ email: "z@example.com", name: "Zed", timezone: zone }).success).toBe(false);
  });

  it.each(["Europe/London", "asia/kolkata", "UTC", "America/Argentina/Buenos_Aires"])("accepts %j", (zone) => {
    expect(isValidTimeZone(zone)).toBe(true);
    expect(expertInputSchema.safeParse(expert(zone)).success).toBe(true);
    expect(newUserSchema.parse({ email: "z@example.com", name: "Zed", timezone: zone }).timezone).toBe(
      timeZoneSchema.parse(zone),
    );
  });

  it("stores the database's spelling", () => {
    expect(timeZoneSchema.parse(" europe/london ")).toBe("Europe/London");
  });

  it("takes a zone in words in a form, as the pickers write it, and stores its IANA name", () => {
    expect(timeZoneSchema.parse("London")).toBe("Europe/London");
    expect(timeZoneSchema.parse(" kolkata ")).toBe("Asia/Kolkata");
    expect(timeZoneSchema.parse("Kyiv")).toBe("Europe/Kyiv");
    expect(timeZoneSchema.parse("New York time (GMT-5)")).toBe("America/New_York");
    expect(expertInputSchema.parse(expert("Lagos")).timezone).toBe("Africa/Lagos");
    expect(newUserSchema.parse({ email: "z@example.com", name: "Zed", timezone: "Tokyo" }).timezone).toBe("Asia/Tokyo");
    // Words are for forms: the strict check (a zone from a cookie or a URL) still wants the IANA name.
    expect(isValidTimeZone("London")).toBe(false);
    expect(timeZoneSchema.safeParse("Atlantis").error?.issues[0]?.message).toBe(
      '"Atlantis" is not a time zone we know. Type a city, such as London or Kolkata, or a zone name such as ' +
        "Europe/London.",
    );
  });
});
