// The bench's load generators (bench/load.ts) read the same server the same way: requests, bytes, latency and
// failures as the bench's verdicts use them. wrk is Debian's package (.ci/run installs it); without it only the
// autocannon half runs here.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLoad, wrkInstalled, type LoadTool } from "../bench/load.ts";

const hasWrk = wrkInstalled();
const BODY = Buffer.alloc(3000, "x");

let server: http.Server;
let base = "";
const seenHeaders: Record<string, string | undefined>[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (seenHeaders.length < 5) seenHeaders.push({ cookie: req.headers.cookie });
    if (req.url === "/broken") {
      res.writeHead(500, { "content-length": 2 });
      res.end("no");
      return;
    }
    if (req.url === "/slow") {
      setTimeout(() => res.end(BODY), 20);
      return;
    }
    res.writeHead(200, { "content-type": "text/plain", "content-length": BODY.length });
    res.end(BODY);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const tools: LoadTool[] = hasWrk ? ["wrk", "autocannon"] : ["autocannon"];

describe.each(tools)("%s through bench/load.ts", (tool) => {
  it("counts responses and the bytes of each, and sends the headers it is given", async () => {
    seenHeaders.length = 0;
    const r = await runLoad(tool, {
      url: `${base}/`,
      connections: 4,
      duration: 1,
      headers: { cookie: "mn_session=abc" },
    });
    expect(r.completed).toBeGreaterThan(100);
    expect(r.rps).toBeGreaterThan(50);
    // The body plus a few dozen bytes of status line and headers.
    const perResponse = r.bytes / r.completed;
    expect(perResponse).toBeGreaterThan(BODY.length);
    expect(perResponse).toBeLessThan(BODY.length + 200);
    expect(r.non2xx + r.errors + r.timeouts).toBe(0);
    expect(seenHeaders[0]?.cookie).toBe("mn_session=abc");
  });

  it("reports latency in milliseconds", async () => {
    const r = await runLoad(tool, { url: `${base}/slow`, connections: 2, duration: 1 });
    expect(r.p50).toBeGreaterThanOrEqual(19);
    expect(r.p50).toBeLessThan(200);
    expect(r.p99).toBeGreaterThanOrEqual(r.p50);
  });

  it("counts failing answers", async () => {
    const r = await runLoad(tool, { url: `${base}/broken`, connections: 2, duration: 1 });
    expect(r.completed).toBeGreaterThan(10);
    expect(r.non2xx).toBe(r.completed);
  });
});
