// The data map is the one source: every model and every field of a personal model is annotated in
// prisma/schema.prisma, and the files generated from it (core/privacy/datamap.generated.ts,
// docs/records-of-processing.md) are exactly what `npm run datamap` renders. Fixtures prove the check fails on an
// unannotated field and on a drifted generated file.
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ratePolicies } from "../platform/rate-limit.ts";
import {
  OUTSIDE_STORES,
  parseDataMap,
  PURPOSES,
  RECIPIENTS,
  RETENTION_PERIODS,
  retentionPeriod,
  type RetentionKey,
} from "./datamap.ts";
import { driftedFiles, renderDataMap, ROOT, SCHEMA_PATH } from "./datamap-render.ts";
import { exportSections } from "./export.ts";
import { retentionRules } from "./retention.ts";

const schema = await fs.readFile(path.join(ROOT, SCHEMA_PATH), "utf8");

const FIXTURE = `
/// @datamap purpose=account retention=account erasure=delete export=account category="Account" holds="Your account row." how="Deleted."
model User {
  /// @pd identifier
  id    String @id
  /// @pd contact
  email String
  /// @pd name
  name  String
  notes Note[]
}

/// @datamap purpose=support retention=ticket erasure=delete export=tickets category="Notes" holds="Notes you wrote." how="Deleted with the account."
model Note {
  /// @pd none
  id     String @id
  /// @pd identifier
  userId String
  body   String
  user   User   @relation(fields: [userId], references: [id])
}

/// @datamap personal=no reason="Catalogue texts written by staff, about no person."
model Category {
  id   String @id
  slug String
}
`;

describe("data map: annotations", () => {
  it("every model and every field of a personal model in prisma/schema.prisma is annotated", () => {
    const { models, problems } = parseDataMap(schema);
    expect(problems).toEqual([]);
    expect(models.length).toBeGreaterThan(30);
    const user = models.find((m) => m.name === "User");
    expect(user?.fields.find((f) => f.name === "email")).toMatchObject({ kind: "contact", exported: true });
    expect(user?.fields.find((f) => f.name === "passwordHash")).toMatchObject({ kind: "credential", exported: false });
    // The export carries the IP of the person's own calls, so the map says so (export=own), not export=no.
    expect(models.find((m) => m.name === "AuditEvent")?.fields.find((f) => f.name === "ip")).toMatchObject({
      retention: "audit-ip",
      exported: true,
      ownRowsOnly: true,
    });
  });

  it("the rate-limit period's words cover the longest counter window", () => {
    const longest = Math.max(...Object.values(ratePolicies).map((p) => p.duration));
    const words = RETENTION_PERIODS["rate-limit"].words;
    expect(words).toMatch(longest > 3600 ? /a day/ : /an hour/);
    expect(longest).toBeLessThanOrEqual(24 * 3600);
    expect(OUTSIDE_STORES.find((s) => s.name.startsWith("Rate-limit keys"))?.retention).toBe(words);
  });

  it("fixture: a field's export is no or own, nothing else", () => {
    const body = (v: string) => FIXTURE.replace("  body   String", `  /// @pd text export=${v}\n  body   String`);
    expect(parseDataMap(body("own")).problems).toEqual([]);
    expect(
      parseDataMap(body("own"))
        .models.find((m) => m.name === "Note")
        ?.fields.at(-1),
    ).toMatchObject({
      name: "body",
      exported: true,
      ownRowsOnly: true,
    });
    expect(parseDataMap(body("maybe")).problems).toEqual([`Note.body: export must be no or own (found "maybe")`]);
  });

  it("fixture: a field without an annotation fails, naming the model and field", () => {
    const { problems } = parseDataMap(FIXTURE);
    expect(problems).toEqual([`Note.body: needs exactly one "/// @pd <kind>" line (found 0)`]);
    const fixed = FIXTURE.replace("  body   String", "  /// @pd text\n  body   String");
    expect(parseDataMap(fixed).problems).toEqual([]);
  });

  it("fixture: a model without @datamap, an unknown kind or period, and an identifier in a 'not personal' model fail", () => {
    const annotated = FIXTURE.replace("  body   String", "  /// @pd text\n  body   String");
    expect(
      parseDataMap(annotated.replace(/\/\/\/ @datamap personal=no[^\n]*\n/, "")).problems.some((p) =>
        p.startsWith("Category: needs exactly one"),
      ),
    ).toBe(true);
    expect(parseDataMap(annotated.replace("/// @pd name", "/// @pd nickname")).problems).toEqual([
      expect.stringContaining('User.name: unknown kind "nickname"'),
    ]);
    expect(parseDataMap(annotated.replace("retention=ticket", "retention=forever")).problems).toEqual([
      expect.stringContaining('unknown retention "forever"'),
    ]);
    expect(parseDataMap(annotated.replace("  slug String", "  slug String\n  userId String")).problems).toEqual([
      "Category.userId: looks like personal data, but the model is declared personal=no",
    ]);
    expect(
      parseDataMap(annotated.replace("erasure=delete export=tickets", "erasure=keep export=tickets")).problems,
    ).toEqual(['Note: erasure=keep needs basis="…"']);
  });
});

describe("data map: generated files", () => {
  it("core/privacy/datamap.generated.ts and docs/records-of-processing.md are what `npm run datamap` renders", async () => {
    const rendered = await renderDataMap(schema);
    expect(rendered.problems).toEqual([]);
    expect(await driftedFiles(rendered), "run `npm run datamap`").toEqual([]);
  });

  it("fixture: a drifted generated file is found (and a schema with problems renders nothing)", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "datamap-"));
    try {
      const rendered = await renderDataMap(schema);
      for (const [rel, content] of Object.entries(rendered.files)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), content);
      }
      expect(await driftedFiles(rendered, dir)).toEqual([]);
      const md = Object.keys(rendered.files).find((f) => f.endsWith(".md"))!;
      await fs.appendFile(path.join(dir, md), "\n| HandEdited | kept forever |\n");
      expect(await driftedFiles(rendered, dir)).toEqual([md]);
      const broken = await renderDataMap(
        schema.replace(/\n\s*\/\/\/ @pd contact processors=email\n(\s*email\s)/, "\n$1"),
      );
      expect(broken.problems).toEqual([`User.email: needs exactly one "/// @pd <kind>" line (found 0)`]);
      expect(broken.files).toEqual({});
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("data map: processors", () => {
  const PROCESSOR =
    '/// @processor key=email name="Mailer" role="Delivers email" purpose="Sending our emails." data="Your email address" location="EU" transfer="No transfer." source="core/platform/mail"\n';
  const annotated = FIXTURE.replace("  body   String", "  /// @pd text\n  body   String");

  it("the processors page's facts come from the schema: every processor, with the fields marked for it", async () => {
    const { processors } = parseDataMap(schema);
    expect(processors.map((p) => p.key)).toEqual(["hosting", "database", "email", "video"]);
    expect(processors.find((p) => p.key === "email")?.fields).toEqual([
      "User.email",
      "User.name",
      "SupportTicket.contactEmail",
      "SupportTicket.contactName",
    ]);
    expect(processors.find((p) => p.key === "video")?.fields).toEqual(["User.name", "Booking.roomName"]);
    expect(processors.find((p) => p.key === "hosting")).toMatchObject({ scope: "all", fields: [] });
    // What /privacy/processors renders is the generated list, which --check keeps equal to the schema.
    const { PROCESSORS } = await import("./processors.ts");
    expect(PROCESSORS).toEqual(processors);
  });

  it("fixture: an unknown processor on a field, a processor receiving nothing, or a missing fact fail", () => {
    const marked = annotated.replace("/// @pd contact", "/// @pd contact processors=email");
    expect(parseDataMap(PROCESSOR + marked).problems).toEqual([]);
    expect(parseDataMap(marked).problems).toEqual([
      'User.email: unknown processor "email" (declare it with /// @processor)',
    ]);
    expect(parseDataMap(PROCESSOR + annotated).problems).toEqual([
      "processor email: no field is marked processors=email, and it is not scope=all",
    ]);
    expect(parseDataMap(PROCESSOR.replace(' location="EU"', "") + marked).problems).toEqual([
      "processor email: location missing",
    ]);
  });

  it("fixture: a processor changed in the schema but not regenerated is a drifted file", async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), "datamap-processors-"));
    try {
      const rendered = await renderDataMap(schema);
      for (const [rel, content] of Object.entries(rendered.files)) {
        await fs.mkdir(path.dirname(path.join(dir, rel)), { recursive: true });
        await fs.writeFile(path.join(dir, rel), content);
      }
      const moved = await renderDataMap(schema.replace('location="United States"', 'location="Canada"'));
      expect(moved.problems).toEqual([]);
      expect((await driftedFiles(moved, dir)).sort()).toEqual(Object.keys(rendered.files).sort());
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe("data map: health data and recipients in the records of processing", () => {
  it("names booking topics and wellness preferences as health data on explicit consent, with the DPIA", async () => {
    const md = (await renderDataMap(schema)).files["docs/records-of-processing.md"]!;
    expect(md).not.toMatch(/No special-category/i);
    expect(md).toMatch(/wellness topic[\s\S]*health data[\s\S]*explicit consent \(Art\. 9\(2\)\(a\)\)/);
    expect(md).toContain("docs/dpia.md");
    expect(PURPOSES.recommendations.basis).toContain("9(2)(a)");
    expect(PURPOSES.recommendations.basis).not.toMatch(/legitimate interest/i);
    expect(PURPOSES.sessions.basis).toContain("9(2)(a)");
  });

  it("the recipients are the declared processors, then experts (first name only) and authorities", () => {
    const { processors } = parseDataMap(schema);
    expect(RECIPIENTS.map((r) => r.recipient)).toEqual([...processors.map((p) => p.name), "Experts", "Authorities"]);
    const text = RECIPIENTS.map((r) => r.receives).join(" ");
    expect(text).not.toMatch(/participant id|the client's name/);
    expect(RECIPIENTS.find((r) => r.recipient === "LiveKit")?.receives).toMatch(/pseudonym made for that one booking/);
    expect(RECIPIENTS.find((r) => r.recipient === "Experts")?.receives).toMatch(/first name only/);
  });
});

describe("data map: what it drives", () => {
  const { models } = parseDataMap(schema);

  it("every export section named in the map exists, and every section carries at least one mapped model", () => {
    const named = new Set(models.flatMap((m) => (m.exportSection ? [m.exportSection] : [])));
    expect([...named].filter((s) => !(s in exportSections))).toEqual([]);
    expect(Object.keys(exportSections).filter((s) => !named.has(s) && s !== "aboutProcessing")).toEqual([]);
  });

  it("every time-bound retention period used in the map has a retention rule", () => {
    const used = new Set<RetentionKey>(
      models.flatMap((m) => [...(m.retention ? [m.retention] : []), ...m.fields.flatMap((f) => f.retention ?? [])]),
    );
    const ruleNames = new Set(retentionRules.map((r) => r.model));
    const missing = [...used].flatMap((k) => {
      const p = retentionPeriod(k);
      return p.rule && !ruleNames.has(p.rule) ? [`${k} → ${p.rule}`] : [];
    });
    expect(missing).toEqual([]);
  });
});
