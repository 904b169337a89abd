// Prisma CLI configuration. The CLI's native schema engine cannot be downloaded on our machines (no internet
// but the npm registry). `prisma generate` never runs it, so any existing file satisfies the check; migrations
// are created with the wasm schema engine (scripts/db-migration.ts) and applied by core/platform/db/migrate.ts.
import { defineConfig } from "prisma/config";
import { fileURLToPath } from "node:url";

process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= fileURLToPath(import.meta.url);

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
});
