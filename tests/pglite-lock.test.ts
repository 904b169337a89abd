import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../core/platform/db/client.ts";

const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mn-lock-")), "pglite");
afterAll(() => fs.rmSync(path.dirname(dir), { recursive: true, force: true }));

function secondProcess() {
  return spawnSync(process.execPath, ["--import", "tsx", "tests/fixtures/open-embedded.ts", dir], {
    encoding: "utf8",
    timeout: 60_000,
  });
}

describe("embedded database: one process only", { timeout: 90_000 }, () => {
  it("refuses a second process with a clear message, and no write is lost", async () => {
    const db = await openDatabase({ kind: "embedded", dir });
    await db.migrate();
    await db.prisma.category.create({ data: { slug: "before", name: "Before", description: "written before" } });

    const second = secondProcess();
    expect(second.status).toBe(75);
    expect(second.stderr).toContain("is already open in another process");
    expect(second.stderr).toContain(`pid ${process.pid}`);

    await db.prisma.category.create({ data: { slug: "after", name: "After", description: "written after" } });
    await db.close();

    // Reopened: both writes of the first process are there, none of the second.
    const reopened = await openDatabase({ kind: "embedded", dir });
    const slugs = (await reopened.prisma.category.findMany({ select: { slug: true }, orderBy: { slug: "asc" } })).map(
      (c) => c.slug,
    );
    expect(slugs).toEqual(["after", "before"]);
    await reopened.close();
  });

  it("takes over a lock left by a process that is gone", () => {
    fs.writeFileSync(
      path.join(dir, "mindnamo.lock"),
      JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), startedAt: "x" }),
    );
    const second = secondProcess();
    expect(second.stderr).toBe("");
    expect(second.status).toBe(0);
    expect(second.stdout).toContain("OPENED");
    expect(fs.existsSync(path.join(dir, "mindnamo.lock"))).toBe(false);
  });
});
