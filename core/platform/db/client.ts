// The one place that opens the database: a PostgreSQL server when DATABASE_URL is set, otherwise embedded
// PGlite under DATA_DIR (or in memory for tests). Both give the same Prisma client over a driver adapter.
import fs from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { ensureComplete } from "./embedded-dir.ts";
import { lockDataDir, type DirLock } from "./lock.ts";
import { statementNamer } from "./statement-names.ts";
import { applyMigrations, pgExecutor, pgliteExecutor, type SqlExecutor } from "./migrate.ts";

/** The embedded database's directory exists but could not be opened (damaged, unreadable, not a database). */
export class EmbeddedOpenError extends Error {
  constructor(
    public readonly dir: string,
    cause: unknown,
  ) {
    // PGlite's file-system errors carry only an errno (20: a path part is not a directory; 44: no such file).
    const errno = (cause as { errno?: unknown } | null)?.errno;
    const why =
      cause instanceof Error && cause.message
        ? cause.message
        : typeof errno === "number"
          ? `file-system error ${errno}`
          : String(cause);
    super(
      `The embedded database in ${dir} could not be opened (${why}). If it holds nothing you need, move the ` +
        `folder away and start again: a new database is created. Otherwise restore it from a backup.`,
      { cause },
    );
    this.name = "EmbeddedOpenError";
  }
}

export type DatabaseTarget = { kind: "server"; url: string } | { kind: "embedded"; dir: string } | { kind: "memory" };

export interface Database {
  kind: DatabaseTarget["kind"];
  /** The server's connection string (kind "server"): the outbound allow-list lets the process reach it. */
  url?: string;
  prisma: PrismaClient;
  /** Raw SQL access for the migration runner and health checks. */
  sql: SqlExecutor;
  /** Raw SQL with rows, for the job queue (pg-boss). Several statements are allowed when there are no values. */
  executeSql(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  /** Throws when the database does not answer within timeoutMs. */
  ping(timeoutMs?: number): Promise<void>;
  migrate(log?: (msg: string) => void): Promise<{ applied: string[] }>;
  /**
   * Runs `fn` while no other process runs anything under the same `key` on this database: on the server, a
   * transaction on a connection of its own holds a PostgreSQL advisory lock until `fn` settles (what `fn` does runs
   * on other connections, each statement seeing what the previous holder committed). The embedded database belongs
   * to one process: `fn` just runs. For start-up work that two instances starting together must not do at once.
   */
  exclusive<R>(key: number, fn: () => Promise<R>): Promise<R>;
  /**
   * Calls `onNotify` whenever `channel` is notified, by any process or by a trigger in the database (with the
   * notification's payload; "" when it has none). Returns a function that stops listening.
   */
  listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

const CHANNEL = /^[a-z_][a-z0-9_]{0,62}$/;

/** In-process listeners: the fan-out of one LISTEN (the server's connection, or PGlite's own) to this process's callers. */
function localListeners() {
  const listeners = new Map<string, Set<(payload: string) => void>>();
  return {
    emit(channel: string, payload = "") {
      for (const fn of listeners.get(channel) ?? []) fn(payload);
    },
    add(channel: string, fn: (payload: string) => void) {
      const set = listeners.get(channel) ?? new Set();
      set.add(fn);
      listeners.set(channel, set);
      return () => set.delete(fn);
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Extensions the migrations create (btree_gist: the bookings' exclusion constraint). A PostgreSQL server ships
 * them as contrib; PGlite must be given their bundles when it starts. */
export const pgliteExtensions = { btree_gist };

/**
 * Opens the database `target` names. `prepareNew` runs on an embedded database this call creates, before it counts
 * as complete (migrations and the demo seed go there: a first start cut short then leaves nothing half done).
 */
export async function openDatabase(
  target: DatabaseTarget,
  opts: { prepareNew?: (db: Database) => Promise<void> } = {},
): Promise<Database> {
  if (target.kind === "server") {
    const pool = new pg.Pool({ connectionString: target.url, max: 10, connectionTimeoutMillis: 5_000 });
    // An idle client losing its connection must not crash the process; the next query reports it.
    pool.on("error", () => {});
    const nameOf = statementNamer();
    // The adapter's type wants a string; an unnamed statement is what it sends when given undefined.
    const prisma = new PrismaClient({
      adapter: new PrismaPg(pool, { statementNameGenerator: (query) => nameOf(query.sql) as string }),
    });
    const sql = pgExecutor(pool);
    let closed = false;
    const local = localListeners();
    // One dedicated connection LISTENs for the whole process (a pooled one would be handed back and lose it); it
    // reconnects after a failure, and a missed notification on reconnect only means one cache clear too few for
    // at most a page cache's lifetime (15 s).
    let listener: pg.Client | undefined;
    const channels = new Set<string>();
    const connectListener = async (): Promise<void> => {
      if (closed) return;
      const client = new pg.Client({ connectionString: target.url, connectionTimeoutMillis: 5_000 });
      client.on("notification", (msg) => local.emit(msg.channel, msg.payload ?? ""));
      client.on("error", () => {
        if (listener === client) listener = undefined;
        setTimeout(() => void connectListener().catch(() => {}), 1_000).unref();
      });
      await client.connect();
      for (const channel of channels) await client.query(`LISTEN ${channel}`);
      listener = client;
    };
    return {
      kind: "server",
      url: target.url,
      prisma,
      sql,
      executeSql: async (text, values) => {
        const result = await pool.query(text, values);
        // A multi-statement text returns one result per statement: the rows of the last one matter.
        const last = Array.isArray(result) ? (result.at(-1) as pg.QueryResult | undefined) : result;
        return { rows: last?.rows ?? [] };
      },
      ping: async (timeoutMs = 2_000) => {
        await withTimeout(pool.query("SELECT 1"), timeoutMs, "database ping");
      },
      migrate: (log) => applyMigrations(sql, { log }),
      exclusive: (key, fn) =>
        sql.transaction(async (tx) => {
          await tx.query("SELECT pg_advisory_xact_lock($1)", [key]);
          return fn();
        }),
      listen: async (channel, onNotify) => {
        if (!CHANNEL.test(channel)) throw new Error("invalid channel name");
        const remove = local.add(channel, onNotify);
        if (!channels.has(channel)) {
          channels.add(channel);
          if (listener) await listener.query(`LISTEN ${channel}`);
          else await connectListener();
        }
        return () => {
          remove();
          return Promise.resolve();
        };
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await listener?.end().catch(() => {});
        await prisma.$disconnect();
        await pool.end();
      },
    };
  }

  if (target.kind === "memory") {
    const pglite = new PGlite({ extensions: pgliteExtensions });
    await pglite.waitReady;
    return pgliteDatabase(pglite, "memory");
  }
  const lock = lockDataDir(target.dir);
  let prepareFailure: unknown;
  try {
    fs.mkdirSync(target.dir, { recursive: true });
    await ensureComplete(target.dir, async (staging) => {
      const created = new PGlite(staging, { extensions: pgliteExtensions });
      await created.waitReady;
      const creating = pgliteDatabase(created, "embedded");
      try {
        await opts.prepareNew?.(creating);
      } catch (error) {
        prepareFailure = error; // the caller's failure (a migration, the seed), reported as it is
        throw error;
      } finally {
        await creating.close();
      }
    });
    const pglite = new PGlite(target.dir, { extensions: pgliteExtensions });
    await pglite.waitReady;
    return pgliteDatabase(pglite, "embedded", lock);
  } catch (error) {
    lock.release();
    throw error === prepareFailure ? error : new EmbeddedOpenError(target.dir, error);
  }
}

/** The Database over an open PGlite; `lock` (the data directory's) is released when it closes. */
function pgliteDatabase(pglite: PGlite, kind: "embedded" | "memory", lock?: DirLock): Database {
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) });
  const sql = pgliteExecutor(pglite);
  let closed = false;
  const local = localListeners();
  const pgliteChannels = new Set<string>();
  return {
    kind,
    prisma,
    sql,
    executeSql: async (text, values) => {
      if (values && values.length > 0) return { rows: (await pglite.query(text, values)).rows };
      // No values: simple protocol, which also runs several statements (pg-boss's schema setup does).
      const results = await pglite.exec(text);
      return { rows: results.at(-1)?.rows ?? [] };
    },
    ping: async (timeoutMs = 2_000) => {
      if (closed || pglite.closed) throw new Error("database is closed");
      await withTimeout(pglite.query("SELECT 1"), timeoutMs, "database ping");
    },
    migrate: (log) => applyMigrations(sql, { log }),
    exclusive: (_key, fn) => fn(),
    listen: async (channel, onNotify) => {
      if (!CHANNEL.test(channel)) throw new Error("invalid channel name");
      const remove = local.add(channel, onNotify);
      // Triggers notify inside the database: PGlite hands those to its own listeners, after the commit.
      if (!pgliteChannels.has(channel)) {
        pgliteChannels.add(channel);
        await pglite.listen(channel, (payload) => local.emit(channel, payload));
      }
      return () => {
        remove();
        return Promise.resolve();
      };
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await prisma.$disconnect();
      await pglite.close();
      lock?.release();
    },
  };
}

export type { PrismaClient };
