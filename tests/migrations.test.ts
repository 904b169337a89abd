import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../core/platform/db/client.ts";
import { applyMigrations } from "../core/platform/db/migrate.ts";
import { createServerDatabase, serverTestUrl } from "../core/platform/testing/db.ts";

const migrationNames = fs
  .readdirSync(path.resolve("prisma/migrations"), { withFileTypes: true })
  .filter((d) => d.isDirectory())
  .map((d) => d.name)
  .sort();

async function expectMigratesFromEmpty(db: Database) {
  const first = await db.migrate();
  expect(first.applied).toEqual(migrationNames);
  const rows = await db.sql.query<{ migration_name: string; checksum: string; finished_at: Date | null }>(
    "SELECT migration_name, checksum, finished_at FROM _prisma_migrations ORDER BY migration_name",
  );
  expect(rows.map((r: { migration_name: string }) => r.migration_name)).toEqual(migrationNames);
  for (const r of rows) {
    expect(r.checksum).toMatch(/^[0-9a-f]{64}$/);
    expect(r.finished_at).not.toBeNull();
  }
  // The schema works through Prisma.
  const cat = await db.prisma.category.create({ data: { slug: "calm", name: "Calm", description: "A calm category" } });
  expect(cat.id).toBeTruthy();
  // A second run is a no-op.
  const second = await db.migrate();
  expect(second.applied).toEqual([]);
  const count = await db.sql.query<{ n: number | string }>("SELECT count(*)::int AS n FROM _prisma_migrations");
  expect(Number(count[0]?.n)).toBe(migrationNames.length);
}

describe("migrations", () => {
  it("there is at least one migration", () => {
    expect(migrationNames.length).toBeGreaterThan(0);
  });

  it("apply from empty on PGlite, and a second run is a no-op", async () => {
    const db = await openDatabase({ kind: "memory" });
    try {
      await expectMigratesFromEmpty(db);
    } finally {
      await db.close();
    }
  }, 120_000);

  it("the migration that creates the Former client account takes back a row someone registered under its address", async () => {
    const creating = migrationNames.find((name) => name.endsWith("_attack_fixes"))!;
    expect(creating).toBeDefined();
    // The migrations before it, alone in a folder of their own.
    const earlier = fs.mkdtempSync(path.join(os.tmpdir(), "mn-mig-before-"));
    for (const name of migrationNames.filter((n) => n < creating))
      fs.cpSync(path.resolve("prisma/migrations", name), path.join(earlier, name), { recursive: true });
    const db = await openDatabase({ kind: "memory" });
    try {
      await applyMigrations(db.sql, { migrationsDir: earlier });
      // A squatter signed up with the address, confirmed it somehow, and is signed in.
      await db.sql.exec(`
        INSERT INTO "User" ("id", "email", "name", "passwordHash", "emailVerifiedAt", "role", "updatedAt")
        VALUES ('squatter', 'former-client@erased.invalid', 'Mallory', 'a-password-hash', now(), 'USER', now());
        INSERT INTO "Session" ("id", "secretHash", "userId", "expiresAt", "absoluteExpiresAt", "reauthenticatedAt")
        VALUES ('squatter-session', 'x', 'squatter', now() + interval '1 day', now() + interval '30 days', now());
      `);
      const rest = await db.migrate();
      expect(rest.applied[0]).toBe(creating);
      const rows = await db.sql.query<Record<string, unknown>>(
        `SELECT "id", "name", "passwordHash", "emailVerifiedAt", "status", "deletedAt" FROM "User"
         WHERE "email" = 'former-client@erased.invalid'`,
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        id: "squatter",
        name: "Former client",
        passwordHash: null,
        emailVerifiedAt: null,
      });
      expect(rows[0]!.status).toBe("DELETED");
      expect(rows[0]!.deletedAt).not.toBeNull();
      const sessions = await db.sql.query(`SELECT "id" FROM "Session" WHERE "userId" = 'squatter'`);
      expect(sessions).toEqual([]);
    } finally {
      await db.close();
      fs.rmSync(earlier, { recursive: true, force: true });
    }
  }, 120_000);

  it("apply to an embedded data directory that survives a restart", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-mig-"));
    try {
      const db = await openDatabase({ kind: "embedded", dir });
      expect((await db.migrate()).applied).toEqual(migrationNames);
      await db.close();
      const again = await openDatabase({ kind: "embedded", dir });
      expect((await again.migrate()).applied).toEqual([]);
      await again.close();
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);

  it.skipIf(!serverTestUrl())("apply from empty on the PostgreSQL server, and a second run is a no-op", async () => {
    const server = await createServerDatabase(serverTestUrl()!);
    const db = await openDatabase({ kind: "server", url: server.url });
    try {
      await expectMigratesFromEmpty(db);
    } finally {
      await db.close();
      await server.drop();
    }
  });

  it.skipIf(!serverTestUrl())("two processes starting at once on the server apply each migration once", async () => {
    const server = await createServerDatabase(serverTestUrl()!);
    const a = await openDatabase({ kind: "server", url: server.url });
    const b = await openDatabase({ kind: "server", url: server.url });
    try {
      const [ra, rb] = await Promise.all([a.migrate(), b.migrate()]);
      expect([...ra.applied, ...rb.applied].sort()).toEqual(migrationNames);
    } finally {
      await a.close();
      await b.close();
      await server.drop();
    }
  });
});
