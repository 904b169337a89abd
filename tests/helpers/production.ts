// Starting the compiled server as production starts it (scripts/production-runtime.mjs: node flags and C-library
// settings; plain node on build/, no --import tsx from the test runner), for the tests that check the process itself.
import { spawn, type ChildProcess } from "node:child_process";
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from "../../scripts/production-runtime.mjs";

export { freePort } from "../../scripts/free-port.ts";

export interface ProductionProcess {
  child: ChildProcess;
  exited: Promise<number | null>;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
}

/** `node <flags> <args>` with production's settings; `env` adds to (or overrides) the defaults below. */
export function startProduction(
  args: string[],
  opts: { port: number; dataDir: string; databaseUrl?: string; env?: Record<string, string> },
): ProductionProcess {
  const child = spawn(process.execPath, [...PRODUCTION_NODE_FLAGS, ...args], {
    env: {
      ...process.env,
      ...PRODUCTION_ENV,
      NODE_ENV: "production",
      APP_URL: `http://localhost:${opts.port}`,
      SESSION_SECRET: "p".repeat(40),
      MAIL_TRANSPORT: "outbox",
      DATA_DIR: opts.dataDir,
      PORT: String(opts.port),
      HOST: "127.0.0.1",
      DATABASE_URL: opts.databaseUrl ?? "",
      LOG_LEVEL: "warn",
      NODE_OPTIONS: "", // no --import tsx inherited from the test runner
      ...opts.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Waits for `url` to answer 200; returns the milliseconds since `started`. */
export async function firstOk(url: string, timeoutMs: number, started = Date.now()): Promise<number> {
  while (Date.now() - started < timeoutMs) {
    const res = await fetch(url).catch(() => null);
    if (res?.status === 200) return Date.now() - started;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** SIGTERM, then the exit code. */
export async function stopProduction(p: ProductionProcess): Promise<number | null> {
  p.child.kill("SIGTERM");
  return p.exited;
}
