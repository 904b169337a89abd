// The boundary check (.dependency-cruiser.cjs, run by `npm run lint`) on two fixture folders laid out like the
// repository: one that breaks each rule of docs/architecture.md once, one that keeps them all.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("..", import.meta.url));
const fixtures = path.join(root, "tests/fixtures/boundaries");

function cruise(folder: string) {
  const result = spawnSync(
    path.join(root, "node_modules/.bin/depcruise"),
    // The same command and output as `npm run lint:boundaries`, whose exit status fails the lint.
    ["--config", path.join(root, ".dependency-cruiser.cjs"), "core", "app", "admin"],
    { cwd: path.join(fixtures, folder), encoding: "utf8" },
  );
  // "  error <rule>: <from> → <to>", with node_modules paths made relative to the repository.
  const violations = [...result.stdout.matchAll(/^\s*error (\S+): (\S+) → (\S+)$/gm)].map(
    ([, rule, from, to]) => `${rule}: ${from} -> ${to!.replace(/^(\.\.\/)+/, "")}`,
  );
  return { status: result.status, violations, output: result.stdout };
}

describe("boundary check", () => {
  it("fails on a fixture that breaks every import rule, naming each rule and import", () => {
    const { status, violations, output } = cruise("violations");
    expect(status).not.toBe(0);
    expect(output).toContain(`${violations.length} dependency violations`);
    expect(violations).toEqual(
      expect.arrayContaining([
        "domain-imports-no-edge: core/domain.ts -> app/helper.ts",
        expect.stringMatching(/^domain-imports-no-edge: core\/domain\.ts -> node_modules\/react\//),
        expect.stringMatching(/^domain-imports-no-edge: core\/domain\.ts -> node_modules\/@remix-run\/node\//),
        "console-never-imports-core: admin/ui/Page.tsx -> core/domain.ts",
        "console-imports-router-types-only: admin/ui/Page.tsx -> admin/server/routers/thing.ts",
        "edges-never-import-prisma: app/routes/page.tsx -> core/generated/prisma/client.ts",
        expect.stringMatching(/^edges-never-import-prisma: app\/routes\/page\.tsx -> node_modules\/@prisma\/client\//),
        "edges-never-import-prisma: admin/server/routers/thing.ts -> core/generated/prisma/client.ts",
        "edges-never-open-the-database: admin/server/routers/thing.ts -> core/platform/db/client.ts",
        "site-reaches-core-through-core-server: app/helper.ts -> core/domain.ts",
      ]),
    );
  });

  it("passes a fixture that keeps the rules (type-only router import, core through app/core.server.ts)", () => {
    const { status, violations, output } = cruise("clean");
    expect(violations).toEqual([]);
    expect(output).toContain("no dependency violations found");
    expect(status).toBe(0);
  });
});
