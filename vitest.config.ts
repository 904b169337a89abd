import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: { "~": here("./app"), "@core": here("./core"), "@admin": here("./admin") },
  },
  test: {
    include: [
      "core/**/*.test.ts",
      "admin/**/*.test.ts",
      "server/**/*.test.ts",
      "app/**/*.test.ts",
      "tests/**/*.test.ts",
    ],
    exclude: ["e2e/**", "node_modules/**"],
    environment: "node",
    // Each file opens its own database (PGlite in memory, or a fresh database on the server): files are isolated,
    // and two cores are all we have.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 60_000,
    // CI asks for machine-readable results as well (see .ci/run).
    reporters: process.env.CI_RESULTS_DIR ? ["default", "json"] : ["default"],
    outputFile: process.env.CI_RESULTS_DIR ? { json: `${process.env.CI_RESULTS_DIR}/vitest.json` } : undefined,
    hookTimeout: 120_000,
  },
});
