// `npm run db:migrate`: applies pending migrations to the configured database (the server also does this at start).
import { openDatabase } from "../core/platform/db/client.ts";
import { config } from "../core/platform/env/index.ts";

const cfg = config();
const db = await openDatabase(cfg.database);
try {
  const { applied } = await db.migrate((msg) => console.log(msg));
  console.log(
    applied.length === 0 ? "Database is up to date." : `Applied ${applied.length} migration(s): ${applied.join(", ")}`,
  );
} finally {
  await db.close();
}
