// Every PostgreSQL advisory lock key the product takes, in one table: two uses sharing a key would wait on each other
// (or, worse, one would run while it believes it holds the other's lock). The values are arbitrary; they must stay
// distinct and must not change while an older version may still run against the same database.
export const ADVISORY_LOCKS = {
  /** Applying migrations (core/platform/db/migrate.ts): one process at a time. */
  migrate: 728_356_190,
  /** Seeding an empty database with demo data, when instances start together (server/boot.ts). */
  seed: 728_356_191,
  /** Starting the job queue, whose own schema setup is not safe to run twice at once (server/boot.ts). */
  jobQueue: 728_356_192,
} as const;
