// The bench's load generator. wrk (Debian's `wrk` package: C, one thread here) when it is installed, autocannon
// otherwise. autocannon parses responses in JavaScript and appends each body to a string (`req.body += data` in its
// pipelined-request queue): on a 2-core host that caps it near 9,000 responses a second once a response is a few
// kilobytes, whatever the server does (measured 2026-12-06: node:http answering 5,500 bytes, 9,158 req/s under
// autocannon, 44,570 under wrk; answering 2 bytes, 44,345 and 47,223). Through autocannon the anonymous pages
// measured the load generator, not the server. The signed-in pages are far below either ceiling, so both tools agree
// on them within the noise; wrk also leaves more of the second core to the database.
import { spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import autocannon from "autocannon";

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds. */
  duration: number;
  headers?: Record<string, string>;
}

export interface LoadResult {
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses completed in the window. */
  completed: number;
  /** Bytes read in the window (headers and bodies, as sent). */
  bytes: number;
}

export type LoadTool = "wrk" | "autocannon";

/** Whether wrk can be run here (`wrk -v` prints its version and exits 1, so its output tells). */
export function wrkInstalled(): boolean {
  const probe = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return !probe.error && /wrk/i.test(`${probe.stdout}${probe.stderr}`);
}

/** wrk when it can be run (or BENCH_LOAD=autocannon chooses the JavaScript one), autocannon otherwise. */
export function chooseLoadTool(): LoadTool {
  if (process.env.BENCH_LOAD === "autocannon") return "autocannon";
  const found = wrkInstalled();
  if (process.env.BENCH_LOAD === "wrk" && !found) {
    throw new Error("BENCH_LOAD=wrk, but wrk is not installed (Debian: apt-get install wrk)");
  }
  return found ? "wrk" : "autocannon";
}

/** wrk's own Lua hook: one JSON line at the end with what the bench reads, in wrk's units (µs, bytes). */
const WRK_REPORT = `
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"bytes":%d,"durationUs":%d,"p50":%d,"p99":%d,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d}\\n',
    summary.requests, summary.bytes, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
`;

let wrkScript: string | undefined;
function wrkReportFile(): string {
  if (!wrkScript) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-wrk-"));
    // One file for the whole bench process, gone with it.
    process.once("exit", () => fs.rmSync(dir, { recursive: true, force: true }));
    wrkScript = path.join(dir, "report.lua");
    fs.writeFileSync(wrkScript, WRK_REPORT);
  }
  return wrkScript;
}

function runWrk(o: LoadOptions): Promise<LoadResult> {
  const args = ["-t1", `-c${o.connections}`, `-d${o.duration}s`, "--timeout", "10s", "-s", wrkReportFile()];
  for (const [name, value] of Object.entries(o.headers ?? {})) args.push("-H", `${name}: ${value}`);
  args.push(o.url);
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.once("error", reject);
    // "close", not "exit": the report line may still be in the pipe when the process has exited.
    child.once("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("{"));
      if (code !== 0 || !line) return reject(new Error(`wrk failed (exit ${code}): ${err || out}`));
      const r = JSON.parse(line) as Record<string, number>;
      const seconds = r.durationUs! / 1e6;
      resolve({
        rps: Math.round(r.requests! / seconds),
        p50: Math.round(r.p50! / 100) / 10,
        p99: Math.round(r.p99! / 100) / 10,
        errors: r.connect! + r.read! + r.write!,
        timeouts: r.timeout!,
        // wrk counts only a status above 399; the bench checks each page answers 200 before loading it (a lost
        // session would redirect), and a page that changed under load shows in its bytes per response.
        non2xx: r.status!,
        completed: r.requests!,
        bytes: r.bytes!,
      });
    });
  });
}

async function runAutocannon(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({ url: o.url, connections: o.connections, duration: o.duration, headers: o.headers });
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    completed: r.requests.total,
    bytes: r.throughput.total,
  };
}

export function runLoad(tool: LoadTool, o: LoadOptions): Promise<LoadResult> {
  return tool === "wrk" ? runWrk(o) : runAutocannon(o);
}
