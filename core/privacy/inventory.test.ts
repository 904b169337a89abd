// The deletion inventory is complete: read prisma/schema.prisma and check that every model is classified, that
// every model holding a user reference (directly, through an identifier-like field, or through a relation to a
// personal model) has an inventory entry, and that every personal model is in the export or excluded with a reason.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { deletionInventory, erasurePlan, notPersonalData } from "./inventory.ts";
import { exportSections, type ExportSection } from "./export.ts";

interface ParsedField {
  name: string;
  type: string;
  /** The related model when this field is the owning side of a relation (`@relation(fields: [...])`). */
  relationTo?: string;
  onDelete?: string;
}

function parseSchema(text: string): Map<string, ParsedField[]> {
  const models = new Map<string, ParsedField[]>();
  const modelRe = /^model\s+(\w+)\s*\{([\s\S]*?)^\}/gm;
  for (const m of text.matchAll(modelRe)) {
    const fields: ParsedField[] = [];
    for (const raw of m[2]!.split("\n")) {
      const line = raw.replace(/\/\/.*$/, "").trim();
      if (!line || line.startsWith("@@")) continue;
      const f = /^(\w+)\s+(\w+)(\[\])?(\?)?(.*)$/.exec(line);
      if (!f) continue;
      const rest = f[5] ?? "";
      const field: ParsedField = { name: f[1]!, type: f[2]! };
      if (/@relation\([^)]*fields:/.test(rest)) {
        field.relationTo = f[2]!;
        field.onDelete = /onDelete:\s*(\w+)/.exec(rest)?.[1];
      }
      fields.push(field);
    }
    models.set(m[1]!, fields);
  }
  return models;
}

const schemaText = fs.readFileSync(path.resolve(import.meta.dirname, "../../prisma/schema.prisma"), "utf8");
const models = parseSchema(schemaText);
const inventory = deletionInventory;
const sections = exportSections as Record<string, ExportSection>;

/** Field names that hold or point at a person (an account id, an email address, a name, an IP address). */
const IDENTIFIER_FIELD =
  /^(userId|\w*UserId|email|\w*Email|requesterId|authorId|assigneeId|actorId|reviewerId|deciderId|\w*ById|ip|ipAddress)$/;

function directlyPersonal(name: string): string | null {
  if (name === "User") return "is the account itself";
  const fields = models.get(name) ?? [];
  const rel = fields.find((f) => f.relationTo === "User");
  if (rel) return `has a relation to User (${rel.name})`;
  const id = fields.find((f) => IDENTIFIER_FIELD.test(f.name));
  if (id) return `has the identifier-like field ${id.name}`;
  return null;
}

/** Personal: directly, or by a relation to a personal model (a booking's reminders are about that user). */
function personalReasons(): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of models.keys()) {
    const why = directlyPersonal(name);
    if (why) out.set(name, why);
  }
  let grew = true;
  while (grew) {
    grew = false;
    for (const [name, fields] of models) {
      if (out.has(name)) continue;
      const rel = fields.find((f) => f.relationTo && out.has(f.relationTo));
      if (rel) {
        out.set(name, `belongs to ${rel.relationTo} (${rel.name})`);
        grew = true;
      }
    }
  }
  return out;
}

describe("deletion inventory", () => {
  it("the schema parser finds the models and their relations (guards the checks below)", () => {
    expect(models.size).toBeGreaterThan(10);
    expect(models.get("Session")?.find((f) => f.name === "user")).toMatchObject({
      relationTo: "User",
      onDelete: "Cascade",
    });
    expect(models.has("User")).toBe(true);
  });

  it("every model in the schema is classified: an inventory entry or a not-personal reason", () => {
    const missing = [...models.keys()].filter((m) => !(m in inventory) && !(m in notPersonalData));
    expect(
      missing,
      `add these models to core/privacy/inventory.ts (deletionInventory, or notPersonalData with a reason)`,
    ).toEqual([]);
  });

  it("every model holding a user reference has an inventory entry (never 'not personal')", () => {
    const personal = personalReasons();
    const wrong = [...personal].filter(([m]) => !(m in inventory)).map(([m, why]) => `${m} ${why}`);
    expect(wrong, "these models hold personal data but have no entry in deletionInventory").toEqual([]);
  });

  it("no inventory entry names a model or a field that does not exist", () => {
    const problems: string[] = [];
    for (const [model, entry] of Object.entries(inventory)) {
      const fields = models.get(model);
      if (!fields) {
        problems.push(`${model}: no such model in schema.prisma`);
        continue;
      }
      for (const f of entry.identifierFields)
        if (!fields.some((x) => x.name === f)) problems.push(`${model}.${f}: no such field`);
      if (entry.identifierFields.length === 0) problems.push(`${model}: list the fields that identify a person`);
    }
    for (const model of Object.keys(notPersonalData))
      if (!models.has(model)) problems.push(`${model} (notPersonalData): no such model`);
    expect(problems).toEqual([]);
  });

  it("every personal model is in an export section, or excluded with a reason", () => {
    const carried = new Set(Object.values(sections).flatMap((s) => s.models));
    const problems: string[] = [];
    for (const [model, entry] of Object.entries(inventory)) {
      if ("section" in entry.export) {
        if (!(entry.export.section in sections))
          problems.push(`${model}: export section "${entry.export.section}" does not exist in export.ts`);
        else if (!sections[entry.export.section]!.models.includes(model))
          problems.push(`${model}: section "${entry.export.section}" does not list it in models`);
      } else if (entry.export.excluded.trim().length < 20) {
        problems.push(`${model}: give a real reason for excluding it from the export`);
      }
    }
    for (const model of carried)
      if (!(model in inventory)) problems.push(`export.ts lists ${model}, which has no inventory entry`);
    expect(problems).toEqual([]);
  });

  it("every 'keep' names a legal basis and a retention period", () => {
    const kept = erasurePlan().kept;
    expect(kept.length).toBeGreaterThan(0);
    for (const k of kept) {
      expect(k.legalBasis.length, k.model).toBeGreaterThan(20);
      expect(k.retention, k.model).toMatch(/\d/);
    }
  });
});
