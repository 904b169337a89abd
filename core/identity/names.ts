// How a person's name is shown. Names are stored as one free-text field; titles ("Dr.", "Prof.") and
// post-nominals ("PhD") are part of it for experts, so taking the first word as a first name reads "Account (Dr.)".
// Every page and email that addresses someone by a short name goes through these helpers.

const TITLES = new Set([
  "dr",
  "prof",
  "professor",
  "mr",
  "mrs",
  "ms",
  "mx",
  "miss",
  "sir",
  "dame",
  "rev",
  "fr",
  "sr",
  "shri",
  "smt",
  "kumari",
]);

/** Words written after a name that are not part of it: "Jane Doe, PhD", "A. Rao MD". */
const POST_NOMINALS = new Set(["phd", "md", "psyd", "lcsw", "lpc", "mft", "msc", "ma", "mba", "rn", "jr", "sr"]);

export interface NameParts {
  /** "Dr." or "" */
  title: string;
  /** The name a person is greeted with: "Amara" for "Dr. Amara Okafor". */
  given: string;
  /** Everything after the given name, without post-nominals: "Okafor", "Lin Chen". */
  family: string;
  /** The whole name as written, trimmed and with single spaces. */
  full: string;
}

function bare(word: string): string {
  return word.replace(/[.,]/g, "").toLowerCase();
}

export function nameParts(raw: string): NameParts {
  const full = raw.trim().replace(/\s+/g, " ");
  // "Doe, PhD" — anything after a comma is a qualification, not a name.
  const words = (full.split(",")[0] ?? "").split(" ").filter((w) => w.length > 0);
  const titles: string[] = [];
  while (words.length > 1 && TITLES.has(bare(words[0]!))) titles.push(words.shift()!);
  while (words.length > 1 && POST_NOMINALS.has(bare(words[words.length - 1]!))) words.pop();
  const given = words.shift() ?? full;
  return { title: titles.join(" "), given, family: words.join(" "), full };
}

/** The short name to greet or refer to someone by; never a title. */
export function firstName(raw: string): string {
  return nameParts(raw).given;
}

/** Up to two letters for a monogram: given and last family initial ("AO" for "Dr. Amara Okafor"). */
export function initials(raw: string): string {
  const { given, family } = nameParts(raw);
  const last = family.split(" ").filter(Boolean).pop() ?? "";
  const letters = [given, last].map((w) => Array.from(w)[0] ?? "").join("");
  return letters.toLocaleUpperCase() || "?";
}
