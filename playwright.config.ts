import { defineConfig, devices } from "@playwright/test";
import { E2E_PORT, E2E_URL } from "./e2e/env.ts";

// Debian's Chromium, never a downloaded browser (see docs/testing.md).
const chromium = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  // CI asks for machine-readable results as well (see .ci/run).
  reporter: process.env.CI_RESULTS_DIR
    ? [["list"], ["json", { outputFile: `${process.env.CI_RESULTS_DIR}/playwright.json` }]]
    : [["list"]],
  use: {
    baseURL: E2E_URL,
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: chromium,
      args: [
        "--no-sandbox",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { ...devices["Desktop Chrome"] }, testIgnore: "**/*.mobile.spec.ts" },
    { name: "mobile", use: { ...devices["Pixel 7"] }, testMatch: "**/*.mobile.spec.ts" },
  ],
  webServer: {
    command: "./node_modules/.bin/tsx e2e/server.ts",
    url: `${E2E_URL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
    env: { PORT: String(E2E_PORT), LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? "warn" },
  },
});
