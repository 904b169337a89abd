// Migration runner: applies prisma/migrations/<name>/migration.sql in lexical order and records each one in
// `_prisma_migrations` exactly the way Prisma does, so `prisma migrate deploy/status` stay compatible wherever
// the real CLI can run. Works on embedded PGlite and on a PostgreSQL server through a tiny SqlExecutor.
//
// Each migration runs in its own transaction together with its `_prisma_migrations` row, under a transaction-
// scoped advisory lock; the "already applied?" check is repeated after taking the lock, so two processes
// starting at once apply each migration exactly once (the second one waits, then skips).
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { PGlite, Transaction } from "@electric-sql/pglite";
import pg from "pg";
import { ADVISORY_LOCKS } from "./advisory-locks.ts";

export interface SqlExecutor {
  /** One statement, extended protocol (parameters allowed). */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** Any number of statements, simple query protocol, no parameters. */
  exec(sql: string): Promise<void>;
  /** Runs fn inside BEGIN/COMMIT (ROLLBACK on throw). Nested calls reuse the outer transaction. */
  transaction<R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R>;
}

export interface ApplyMigrationsOptions {
  /** Folder holding <timestamp>_<name>/migration.sql; defaults to the repo's prisma/migrations. */
  migrationsDir?: string;
  log?: (msg: string) => void;
}

export const DEFAULT_MIGRATIONS_DIR = fileURLToPath(new URL("../../../prisma/migrations", import.meta.url));

// Same DDL as Prisma's schema engine (postgres flavour).
const CREATE_MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | string | null;
}

export interface MigrationFileInfo {
  name: string;
  sql: string;
  /** sha256 hex of the file's bytes: what Prisma stores in _prisma_migrations.checksum. */
  checksum: string;
  /** Also accepted when checking, like Prisma does: the checksum with CRLF line endings turned into LF. */
  lfChecksum: string;
}

const sha256 = (data: Buffer | string) => createHash("sha256").update(data).digest("hex");

/** The migration folders on disk, in lexical order (Prisma's order), with their sha256 checksums. */
export function readMigrationFiles(migrationsDir: string = DEFAULT_MIGRATIONS_DIR): MigrationFileInfo[] {
  if (!fs.existsSync(migrationsDir)) return [];
  return fs
    .readdirSync(migrationsDir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .flatMap((name) => {
      const file = path.join(migrationsDir, name, "migration.sql");
      if (!fs.existsSync(file)) return []; // Prisma ignores folders without a migration.sql too
      const bytes = fs.readFileSync(file);
      const sql = bytes.toString("utf8");
      return [{ name, sql, checksum: sha256(bytes), lfChecksum: sha256(sql.replaceAll("\r\n", "\n")) }];
    });
}

/** Rows that count: Prisma ignores rows marked rolled back (`migrate resolve --rolled-back`). */
async function recordedMigrations(exec: SqlExecutor): Promise<Map<string, MigrationRow>> {
  const rows = await exec.query<MigrationRow>(
    `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
     WHERE rolled_back_at IS NULL ORDER BY started_at`,
  );
  return new Map(rows.map((row) => [row.migration_name, row]));
}

/** Throws on a failed or edited migration; returns true when `file` is already applied. */
function checkRecorded(file: MigrationFileInfo, row: MigrationRow | undefined): boolean {
  if (!row) return false;
  if (row.finished_at === null) {
    throw new Error(
      `migration ${file.name} failed earlier (its _prisma_migrations row has no finished_at): ` +
        `fix the database by hand, then delete or mark that row rolled back before migrating again`,
    );
  }
  if (row.checksum !== file.checksum && row.checksum !== file.lfChecksum) {
    throw new Error(
      `migration ${file.name} was changed after it was applied (checksum ${row.checksum} in the database, ` +
        `${file.checksum} on disk): restore the file and put the change in a new migration`,
    );
  }
  return true;
}

export async function applyMigrations(
  exec: SqlExecutor,
  opts: ApplyMigrationsOptions = {},
): Promise<{ applied: string[] }> {
  const log = opts.log ?? (() => {});
  const files = readMigrationFiles(opts.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);

  // Under the lock too: two concurrent CREATE TABLE IF NOT EXISTS can still collide on pg_type.
  await exec.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCKS.migrate]);
    await tx.exec(CREATE_MIGRATIONS_TABLE);
  });

  // Validate the whole history before changing anything.
  const recorded = await recordedMigrations(exec);
  const pending = files.filter((file) => !checkRecorded(file, recorded.get(file.name)));

  const applied: string[] = [];
  for (const file of pending) {
    const done = await exec.transaction(async (tx) => {
      await tx.query("SELECT pg_advisory_xact_lock($1)", [ADVISORY_LOCKS.migrate]);
      // Another process may have applied it while we waited for the lock.
      const rows = await tx.query<MigrationRow>(
        `SELECT migration_name, checksum, finished_at FROM "_prisma_migrations"
         WHERE migration_name = $1 AND rolled_back_at IS NULL`,
        [file.name],
      );
      if (checkRecorded(file, rows[0])) return false;
      log(`applying migration ${file.name}`);
      try {
        await tx.exec(file.sql);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`migration ${file.name} failed: ${message}`, { cause: error });
      }
      await tx.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, clock_timestamp(), 1)`,
        [randomUUID(), file.checksum, file.name],
      );
      return true;
    });
    if (done) applied.push(file.name);
  }
  log(applied.length ? `applied ${applied.length} migration(s)` : "database schema is up to date");
  return { applied };
}

// ---------------------------------------------------------------------------------------------------------
// Adapters

type PgliteQueryable = PGlite | Transaction;

function pgliteQueryable(db: PgliteQueryable): SqlExecutor {
  const self: SqlExecutor = {
    query: async <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await db.query<T>(sql, params)).rows,
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: async <R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> => {
      if (!("transaction" in db)) return fn(self); // already inside one (a PGlite Transaction)
      return db.transaction((tx) => fn(pgliteQueryable(tx)));
    },
  };
  return self;
}

/** SqlExecutor over a PGlite instance (db.query / db.exec / db.transaction). */
export function pgliteExecutor(db: PGlite): SqlExecutor {
  return pgliteQueryable(db);
}

function pgQueryable(client: pg.Pool | pg.PoolClient | pg.Client, inTransaction: boolean): SqlExecutor {
  const self: SqlExecutor = {
    query: async <T = Record<string, unknown>>(sql: string, params?: unknown[]) =>
      // pg's row type is constrained to QueryResultRow; our T is the caller's promise about the row shape.
      (await client.query(sql, params)).rows as T[],
    exec: async (sql) => {
      await client.query(sql); // no parameters => simple query protocol => multiple statements allowed
    },
    transaction: async <R>(fn: (tx: SqlExecutor) => Promise<R>): Promise<R> => {
      if (inTransaction) return fn(self);
      // A pool hands out a different connection per query: pin one for the whole transaction.
      const pooled = client instanceof pg.Pool ? await client.connect() : undefined;
      const conn = pooled ?? client;
      let broken: Error | undefined; // a connection whose ROLLBACK failed must not go back to the pool
      try {
        await conn.query("BEGIN");
        try {
          const result = await fn(pgQueryable(conn, true));
          await conn.query("COMMIT");
          return result;
        } catch (error) {
          await conn.query("ROLLBACK").catch((rollbackError: Error) => {
            broken = rollbackError; // keep throwing the original error
          });
          throw error;
        }
      } finally {
        pooled?.release(broken);
      }
    },
  };
  return self;
}

/** SqlExecutor over node-postgres; with a Pool, each transaction runs on one checked-out client. */
export function pgExecutor(client: pg.Pool | pg.Client): SqlExecutor {
  return pgQueryable(client, false);
}
