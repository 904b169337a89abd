// The embedded database's directory survives a first start cut short (core/platform/db/embedded-dir.ts): a process
// killed while PostgreSQL creates the database leaves nothing that stops the next start, and a database that was
// complete — made before the marker existed too — is opened as it is, never made again.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../core/platform/db/client.ts";
import { READY_FILE, stagingDir } from "../core/platform/db/embedded-dir.ts";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "mn-embedded-"));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

async function opensAndWorks(dir: string): Promise<void> {
  const db = await openDatabase({ kind: "embedded", dir });
  try {
    await db.migrate();
    await db.prisma.category.create({ data: { slug: "calm", name: "Calm", description: "written after" } });
    expect(await db.prisma.category.count()).toBe(1);
  } finally {
    await db.close();
  }
  expect(fs.existsSync(path.join(dir, READY_FILE))).toBe(true);
  expect(fs.existsSync(stagingDir(dir))).toBe(false);
}

describe("the embedded database's directory", { timeout: 180_000 }, () => {
  it("a process killed while the database is being created: the next start creates it again and opens", async () => {
    const dir = path.join(root, "killed", "pglite");
    const child = spawn(process.execPath, ["--import", "tsx", "tests/fixtures/create-embedded.ts", dir], {
      stdio: "ignore",
    });
    const exited = new Promise((resolve) => child.on("exit", resolve));
    // Killed once PostgreSQL has begun writing the new database, before it completes.
    const written = () => fs.existsSync(stagingDir(dir)) && fs.readdirSync(stagingDir(dir)).length > 0;
    const until = Date.now() + 60_000;
    while (!written() && Date.now() < until) await new Promise((r) => setTimeout(r, 5));
    await new Promise((r) => setTimeout(r, 100));
    const completeWhenKilled = fs.existsSync(path.join(dir, READY_FILE));
    child.kill("SIGKILL");
    await exited;
    expect(completeWhenKilled).toBe(false); // the kill did land during creation
    expect(fs.readdirSync(stagingDir(dir)).length).toBeGreaterThan(0); // half made, as a crash leaves it

    await opensAndWorks(dir);
  });

  it("what a new database is prepared with (migrations, demo data) is in it whole or not at all", async () => {
    const dir = path.join(root, "prepared", "pglite");
    const failure = new Error("the seed stopped half-way");
    const halfway = openDatabase(
      { kind: "embedded", dir },
      {
        prepareNew: async (db) => {
          await db.migrate();
          await db.prisma.category.create({ data: { slug: "half", name: "Half", description: "written first" } });
          throw failure;
        },
      },
    );
    await expect(halfway).rejects.toBe(failure); // the caller's own error, not "could not be opened"
    expect(fs.existsSync(path.join(dir, READY_FILE))).toBe(false);

    let prepared = 0;
    const db = await openDatabase(
      { kind: "embedded", dir },
      {
        prepareNew: async (fresh) => {
          prepared++;
          await fresh.migrate();
          await fresh.prisma.category.create({ data: { slug: "whole", name: "Whole", description: "all of it" } });
        },
      },
    );
    try {
      expect((await db.prisma.category.findMany({ select: { slug: true } })).map((c) => c.slug)).toEqual(["whole"]);
    } finally {
      await db.close();
    }
    // Complete now: opened again, it is not prepared again.
    const again = await openDatabase({ kind: "embedded", dir }, { prepareNew: () => Promise.resolve(void prepared++) });
    await again.close();
    expect(prepared).toBe(1);
  });

  it("what an interrupted creation used to leave in the directory itself is replaced", async () => {
    const dir = path.join(root, "old-leftover", "pglite");
    fs.mkdirSync(path.join(dir, "pg_wal", "archive_status"), { recursive: true });
    await opensAndWorks(dir);
    expect(fs.existsSync(path.join(dir, "global", "pg_control"))).toBe(true);
  });

  it("a complete database made before the marker existed is opened with its data, not made again", async () => {
    const dir = path.join(root, "before-marker", "pglite");
    fs.mkdirSync(dir, { recursive: true });
    const old = new PGlite(dir);
    await old.exec("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('written before');");
    await old.close();
    expect(fs.existsSync(path.join(dir, READY_FILE))).toBe(false);

    const db = await openDatabase({ kind: "embedded", dir });
    try {
      expect((await db.executeSql("SELECT note FROM kept")).rows).toEqual([{ note: "written before" }]);
    } finally {
      await db.close();
    }
  });
});
