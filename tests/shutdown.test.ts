import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { freePort } from "./helpers/production.ts";

describe("the server process", () => {
  it("starts on the embedded database, then shuts down gracefully on SIGTERM and releases the data directory", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-shutdown-"));
    const port = await freePort();
    const child = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        SEED_DEMO_DATA: "never",
        DATABASE_URL: "",
        LOG_LEVEL: "warn",
        NODE_ENV: "development",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    try {
      // Until it answers or the poll times out; once the process has exited, each poll reports that with what it
      // said, so a failure shows the reason rather than only a missing 200.
      await expect
        .poll(
          async () => {
            if (child.exitCode !== null || child.signalCode !== null)
              return `exited with ${child.exitCode ?? child.signalCode}: ${output}`;
            return (await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null))?.status;
          },
          { timeout: 120_000, interval: 250 },
        )
        .toBe(200)
        .catch((error: unknown) => {
          throw new Error(`no 200 from /healthz; the server said:\n${output}`, { cause: error });
        });
      // The server answers while its job queue is still starting; the start is complete when it says so.
      await expect
        .poll(() => output, { timeout: 30_000 })
        .toContain(`Mind Namo is running at http://localhost:${port}`);
      expect(fs.existsSync(path.join(dataDir, "pglite", "mindnamo.lock"))).toBe(true);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(fs.existsSync(path.join(dataDir, "pglite", "mindnamo.lock"))).toBe(false);
    } finally {
      child.kill("SIGKILL");
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
