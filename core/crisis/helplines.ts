// Crisis lines by region: one entry per line, each with the page it was taken from and the day it was last checked
// against that page. Keep a line's `checked` honest: change it only after reading the source again.
// The 2026-12-02 checks were made where the team had no live web access, against stored copies of the sources and
// of reports quoting them (the numbers, the hours and that the lines are free agree across them); read the live
// pages again before relying on a line in a new region.
// docs/design.md ("Crisis help") says how to add a region.

export const REGIONS = ["IN", "US", "UK", "EU", "INTL"] as const;
export type Region = (typeof REGIONS)[number];

export const regionNames: Record<Region, string> = {
  IN: "India",
  US: "United States",
  UK: "United Kingdom",
  EU: "European Union",
  INTL: "Another country",
};

export interface Helpline {
  region: Region;
  /** What it is, in a few words a person in distress can read. */
  name: string;
  /** What to do: "Call 988", "Text HOME to 741741". */
  action: string;
  /** tel:, sms: or https: link that does it. */
  href: string;
  /** When it answers, in plain words. */
  hours: string;
  emergency?: true;
  source: string;
  checked: string;
}

// prettier-ignore
export const HELPLINES: readonly Helpline[] = [
  { region: "IN", name: "Tele-MANAS, the national mental health helpline (free)", action: "Call 14416", href: "tel:14416", hours: "24 hours, every day, in 20+ languages", source: "https://telemanas.mohfw.gov.in/", checked: "2026-12-02" },
  { region: "IN", name: "Tele-MANAS toll-free number", action: "Call 1-800-891-4416", href: "tel:18008914416", hours: "24 hours, every day", source: "https://telemanas.mohfw.gov.in/", checked: "2026-12-02" },
  { region: "IN", name: "Emergency services (police, fire, ambulance)", action: "Call 112", href: "tel:112", hours: "24 hours", emergency: true, source: "https://112.gov.in/", checked: "2026-12-02" },
  { region: "US", name: "988 Suicide & Crisis Lifeline", action: "Call or text 988", href: "tel:988", hours: "24 hours, every day", source: "https://988lifeline.org/", checked: "2026-12-02" },
  { region: "US", name: "Crisis Text Line", action: "Text HOME to 741741", href: "sms:741741?body=HOME", hours: "24 hours, every day", source: "https://www.crisistextline.org/", checked: "2026-12-02" },
  { region: "US", name: "Emergency services", action: "Call 911", href: "tel:911", hours: "24 hours", emergency: true, source: "https://www.911.gov/", checked: "2026-12-02" },
  { region: "UK", name: "Samaritans (free)", action: "Call 116 123", href: "tel:116123", hours: "24 hours, every day", source: "https://www.samaritans.org/how-we-can-help/contact-samaritan/", checked: "2026-12-02" },
  { region: "UK", name: "Shout text service (free)", action: "Text SHOUT to 85258", href: "sms:85258?body=SHOUT", hours: "24 hours, every day", source: "https://giveusashout.org/", checked: "2026-12-02" },
  { region: "UK", name: "NHS urgent mental health help (England)", action: "Call 111, option 2", href: "tel:111", hours: "24 hours, every day", source: "https://www.nhs.uk/nhs-services/mental-health-services/where-to-get-urgent-help-for-mental-health/", checked: "2026-12-02" },
  { region: "UK", name: "Emergency services", action: "Call 999", href: "tel:999", hours: "24 hours", emergency: true, source: "https://www.gov.uk/guidance/999-and-112-the-uks-national-emergency-numbers", checked: "2026-12-02" },
  { region: "EU", name: "Emotional support line in many EU countries", action: "Call 116 123", href: "tel:116123", hours: "Hours differ by country", source: "https://digital-strategy.ec.europa.eu/en/policies/116-helplines", checked: "2026-12-02" },
  { region: "EU", name: "Emergency services, anywhere in the EU (free)", action: "Call 112", href: "tel:112", hours: "24 hours", emergency: true, source: "https://digital-strategy.ec.europa.eu/en/policies/112", checked: "2026-12-02" },
  { region: "INTL", name: "Find a Helpline: free, confidential lines in your country", action: "Find a line near you", href: "https://findahelpline.com/", hours: "Lists lines in 130+ countries", source: "https://findahelpline.com/", checked: "2026-12-02" },
  { region: "INTL", name: "IASP directory of crisis centres", action: "Open the directory", href: "https://www.iasp.info/crisis-centres-helplines/", hours: "Lists centres worldwide", source: "https://www.iasp.info/crisis-centres-helplines/", checked: "2026-12-02" },
];

export function helplinesFor(region: Region): Helpline[] {
  const lines = HELPLINES.filter((h) => h.region === region);
  // Everyone also gets the international directory, so a visitor who is elsewhere is never left without a line.
  return region === "INTL" ? lines : [...lines, ...HELPLINES.filter((h) => h.region === "INTL").slice(0, 1)];
}

export function isRegion(value: unknown): value is Region {
  return typeof value === "string" && (REGIONS as readonly string[]).includes(value);
}

const US_ZONES =
  /^(America\/(New_York|Chicago|Denver|Los_Angeles|Phoenix|Anchorage|Adak|Boise|Detroit|Juneau|Menominee|Metlakatla|Nome|Sitka|Yakutat|Indiana\/.+|Kentucky\/.+|North_Dakota\/.+)|Pacific\/Honolulu|US\/.+)$/;
const EU_ZONES = new Set(
  [
    "Vienna Brussels Sofia Zagreb Prague Copenhagen Tallinn Helsinki Mariehamn Paris Berlin Busingen Athens Budapest",
    "Dublin Rome Riga Vilnius Luxembourg Malta Amsterdam Warsaw Lisbon Bucharest Bratislava Ljubljana Madrid Stockholm",
  ]
    .join(" ")
    .split(" ")
    .map((city) => `Europe/${city}`)
    .concat([
      "Atlantic/Madeira",
      "Atlantic/Azores",
      "Atlantic/Canary",
      "Asia/Nicosia",
      "Asia/Famagusta",
      "Europe/Nicosia",
    ]),
);
const EU_COUNTRIES = new Set(
  "AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE".split(" "),
);
/** Languages spoken almost only in India, for a browser that sends no country ("hi", not "hi-IN"). */
const INDIAN_LANGUAGES = new Set(["hi", "bn", "ta", "te", "mr", "gu", "kn", "ml", "pa", "or", "as"]);

function regionOfZone(tz: string): Region | null {
  if (tz === "Asia/Kolkata" || tz === "Asia/Calcutta") return "IN";
  if (US_ZONES.test(tz)) return "US";
  if (tz === "Europe/London" || tz === "Europe/Belfast" || tz === "GB") return "UK";
  if (EU_ZONES.has(tz)) return "EU";
  return null;
}

function regionOfLanguage(acceptLanguage: string | null): Region | null {
  const first = (acceptLanguage ?? "").split(",")[0]?.split(";")[0]?.trim() ?? "";
  const [lang = "", country = ""] = first.split("-");
  const c = country.toUpperCase();
  if (c === "IN" || INDIAN_LANGUAGES.has(lang.toLowerCase())) return "IN";
  if (c === "US") return "US";
  if (c === "GB" || c === "UK") return "UK";
  if (EU_COUNTRIES.has(c)) return "EU";
  return null;
}

/**
 * The region whose lines a person sees first: their own choice, else their time zone (account or browser), else
 * their browser's language, else the international directory. A zone is a better signal than a language: an
 * English-speaking browser says nothing about where someone is.
 */
export function chooseRegion(input: { chosen?: string | null; tz?: string | null; acceptLanguage?: string | null }): {
  region: Region;
  from: "choice" | "zone" | "language" | "fallback";
} {
  if (isRegion(input.chosen)) return { region: input.chosen, from: "choice" };
  const byZone = input.tz ? regionOfZone(input.tz) : null;
  if (byZone) return { region: byZone, from: "zone" };
  const byLanguage = regionOfLanguage(input.acceptLanguage ?? null);
  if (byLanguage) return { region: byLanguage, from: "language" };
  return { region: "INTL", from: "fallback" };
}
