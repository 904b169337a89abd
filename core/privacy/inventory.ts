// The deletion inventory (docs/privacy.md, "Deletion design"), derived from the data map: every model of
// prisma/schema.prisma carries a `/// @datamap` line and every field of a personal model a `/// @pd` line
// (core/privacy/datamap.ts explains them; `npm run datamap` regenerates core/privacy/datamap.generated.ts).
// Nothing here is kept by hand: to change what erasure does to a model, change its annotation and regenerate.
import { DATA_MAP } from "./datamap.generated.ts";
import { RETENTION_PERIODS, type MapModel } from "./datamap.ts";

export type Erasure =
  /** The rows are deleted (by the erasure job or by ON DELETE CASCADE from User). */
  | { action: "delete"; how: string }
  /** The rows stay, with every identifier removed or replaced (e.g. bookings move to the "former client"). */
  | { action: "anonymize"; how: string }
  /** The rows stay as they are, for a documented legal basis and a bounded time. Shown on the user's receipt. */
  | { action: "keep"; legalBasis: string; retention: string; how?: string };

export type ExportPlacement =
  /** Key of a section in core/privacy/export.ts (exportSections) that lists this model. */
  | { section: string }
  /** Deliberately not exported, and why (e.g. only hashes of one-time codes). */
  | { excluded: string };

export interface InventoryEntry {
  /** Heading in the privacy center's "what we hold" summary. */
  category: string;
  /** What it holds, in plain words (shown to the user). */
  holds: string;
  /** Fields that hold a person's identifier (id, email, name, IP, free text that may name them). */
  identifierFields: readonly string[];
  erasure: Erasure;
  export: ExportPlacement;
  /** The retention period, in words. */
  retention: string;
}

const IDENTIFYING_KINDS = new Set([
  "identifier",
  "contact",
  "name",
  "text",
  "network",
  "pseudonym",
  "content",
  "staff",
]);

function entryOf(m: MapModel): InventoryEntry {
  const how = m.how ?? "";
  const retention = m.retention ? RETENTION_PERIODS[m.retention].words : "";
  const erasure: Erasure =
    m.erasure === "keep"
      ? { action: "keep", legalBasis: m.basis ?? "", retention, how }
      : { action: m.erasure ?? "delete", how };
  return {
    category: m.category ?? "",
    holds: m.holds ?? "",
    identifierFields: m.fields.filter((f) => IDENTIFYING_KINDS.has(f.kind)).map((f) => f.name),
    erasure,
    export: m.exportSection ? { section: m.exportSection } : { excluded: m.excluded ?? "" },
    retention,
  };
}

export const dataMap: readonly MapModel[] = DATA_MAP;

export const deletionInventory: Record<string, InventoryEntry> = Object.fromEntries(
  DATA_MAP.filter((m) => m.personal).map((m) => [m.name, entryOf(m)]),
);

/** Models that hold no personal data at all, and why. */
export const notPersonalData: Record<string, string> = Object.fromEntries(
  DATA_MAP.filter((m) => !m.personal).map((m) => [m.name, m.reason ?? ""]),
);

export const inventoryEntries = (): Array<[string, InventoryEntry]> => Object.entries(deletionInventory);

/** Models carried by one export section, as the map says. */
export const modelsInSection = (section: string): string[] =>
  DATA_MAP.filter((m) => m.exportSection === section).map((m) => m.name);

/** What erasure will do, grouped for the privacy center and the receipt. */
export function erasurePlan() {
  const plan = {
    deleted: [] as Array<{ model: string; category: string; how: string }>,
    anonymized: [] as Array<{ model: string; category: string; how: string }>,
    kept: [] as Array<{ model: string; category: string; legalBasis: string; retention: string; how?: string }>,
  };
  for (const [model, e] of inventoryEntries()) {
    const erasure: Erasure = e.erasure;
    if (erasure.action === "delete") plan.deleted.push({ model, category: e.category, how: erasure.how });
    else if (erasure.action === "anonymize") plan.anonymized.push({ model, category: e.category, how: erasure.how });
    else
      plan.kept.push({
        model,
        category: e.category,
        legalBasis: erasure.legalBasis,
        retention: erasure.retention,
        how: erasure.how,
      });
  }
  return plan;
}
