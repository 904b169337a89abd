// One fresh database per test file: in-memory PGlite by default; a new database on the PostgreSQL server when
// TEST_DATABASE_URL is set (CI does). Migrations are applied the way the product applies them.
import crypto from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../db/client.ts";

export interface TestDatabase {
  db: Database;
  /** The connection string of the server database, if any (for tests that open a second connection). */
  url?: string;
  cleanup(): Promise<void>;
}

export function serverTestUrl(): string | undefined {
  const url = process.env.TEST_DATABASE_URL?.trim();
  return url ? url : undefined;
}

/** Creates an empty database on the server and returns its URL and a function that drops it. */
export async function createServerDatabase(baseUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `mn_test_${crypto.randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function createTestDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const base = serverTestUrl();
  if (base) {
    const server = await createServerDatabase(base);
    const db = await openDatabase({ kind: "server", url: server.url });
    if (opts.migrate !== false) await db.migrate();
    return {
      db,
      url: server.url,
      cleanup: async () => {
        await db.close();
        await server.drop();
      },
    };
  }
  const db = await openDatabase({ kind: "memory" });
  if (opts.migrate !== false) await db.migrate();
  return { db, cleanup: () => db.close() };
}
