import { describe, expect, it } from "vitest";
import { chooseRegion, HELPLINES, helplinesFor, REGIONS } from "./helplines.ts";

describe("crisis lines by region", () => {
  it("every line names its source page and the day it was last checked", () => {
    for (const line of HELPLINES) {
      expect(line.source, line.name).toMatch(/^https:\/\/[a-z0-9.-]+\.[a-z]{2,}\//);
      expect(line.checked, line.name).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Number.isNaN(Date.parse(line.checked)), line.name).toBe(false);
      expect(line.href, line.name).toMatch(/^(tel:\d+|sms:\d+\?body=[A-Z]+|https:\/\/)/);
    }
  });

  it("has lines for every region, and every region but the fallback also gets the international directory", () => {
    for (const region of REGIONS) expect(helplinesFor(region).length, region).toBeGreaterThan(0);
    expect(helplinesFor("US").map((h) => h.action)).toContain("Call or text 988");
    expect(helplinesFor("US").some((h) => h.href === "https://findahelpline.com/")).toBe(true);
    expect(helplinesFor("EU").map((h) => h.action)).toContain("Call 112");
    expect(helplinesFor("UK").map((h) => h.action)).toContain("Call 116 123");
    expect(helplinesFor("IN").map((h) => h.action)).toContain("Call 14416");
  });

  it("never offers a New York visitor India's lines", () => {
    const { region } = chooseRegion({ tz: "America/New_York", acceptLanguage: "en-US,en;q=0.9" });
    expect(region).toBe("US");
    expect(helplinesFor(region).some((h) => h.action.includes("14416"))).toBe(false);
  });

  it("follows the zone first, then the browser language, then falls back to the international directory", () => {
    expect(chooseRegion({ tz: "Asia/Kolkata", acceptLanguage: "en-US" })).toEqual({ region: "IN", from: "zone" });
    expect(chooseRegion({ tz: "Europe/London" }).region).toBe("UK");
    expect(chooseRegion({ tz: "Europe/Berlin" }).region).toBe("EU");
    expect(chooseRegion({ tz: "America/Indiana/Indianapolis" }).region).toBe("US");
    expect(chooseRegion({ tz: "Pacific/Honolulu" }).region).toBe("US");
    // Toronto is not the United States: a US line there would be wrong.
    expect(chooseRegion({ tz: "America/Toronto" })).toEqual({ region: "INTL", from: "fallback" });
    expect(chooseRegion({ tz: "UTC", acceptLanguage: "hi" })).toEqual({ region: "IN", from: "language" });
    expect(chooseRegion({ acceptLanguage: "fr-FR,fr;q=0.8" }).region).toBe("EU");
    expect(chooseRegion({ acceptLanguage: "en-GB" }).region).toBe("UK");
    expect(chooseRegion({ acceptLanguage: "en" })).toEqual({ region: "INTL", from: "fallback" });
  });

  it("a person's own choice wins; an unknown choice is ignored", () => {
    expect(chooseRegion({ chosen: "UK", tz: "Asia/Kolkata" })).toEqual({ region: "UK", from: "choice" });
    expect(chooseRegion({ chosen: "XX", tz: "Asia/Kolkata" }).region).toBe("IN");
  });
});
