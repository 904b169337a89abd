// Counts the SQL statements Prisma sends to the database while `fn` runs, on any driver adapter. Prisma wraps
// every statement in a "db_query" span of the tracing helper it finds on globalThis (the contract its
// @prisma/instrumentation package uses); we install a pass-through helper that counts those spans.
// Process-wide: do not run other database work concurrently with `fn`.

interface TracingHelper {
  isEnabled(): boolean;
  getTraceParent(context?: unknown): string;
  dispatchEngineSpans(spans: unknown): void;
  getActiveContext(): unknown;
  runInChildSpan<R>(nameOrOptions: string | { name: string }, callback: () => R): R;
}

const GLOBAL_KEY = "V7_PRISMA_INSTRUMENTATION";

export async function countQueries<T>(fn: () => Promise<T>): Promise<{ result: T; queries: number; sql: string[] }> {
  const sql: string[] = [];
  const helper: TracingHelper = {
    isEnabled: () => true,
    getTraceParent: () => "00-10-10-00",
    dispatchEngineSpans: () => {},
    getActiveContext: () => undefined,
    runInChildSpan: (nameOrOptions, callback) => {
      const options = typeof nameOrOptions === "string" ? { name: nameOrOptions } : nameOrOptions;
      if (options.name === "db_query") {
        const text = (options as { attributes?: Record<string, unknown> }).attributes?.["db.query.text"];
        sql.push(typeof text === "string" ? text : "?");
      }
      return callback();
    },
  };
  const g = globalThis as Record<string, unknown>;
  const previous = g[GLOBAL_KEY];
  g[GLOBAL_KEY] = { helper };
  try {
    const result = await fn();
    return { result, queries: sql.length, sql };
  } finally {
    if (previous === undefined) delete g[GLOBAL_KEY];
    else g[GLOBAL_KEY] = previous;
  }
}
