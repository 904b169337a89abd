// `npm run lighthouse`: Lighthouse 12.2.3 (mobile preset: emulated phone, simulated slow 4G and CPU) against a
// local production server with a fresh embedded database and demo data, on home, directory, an expert profile and
// the booking page (signed in as the demo user). Runs Debian's Chromium through chrome-launcher with the same
// headless flags as Playwright. Fails when a page scores under performance 95, accessibility 100 or best
// practices 100. Figures: docs/performance.md; raw reports in bench/results/lighthouse-*.json (not committed).
import { execFileSync, spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const root = path.resolve(import.meta.dirname, "..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const MIN = { performance: 95, accessibility: 100, "best-practices": 100 } as const;
type Category = keyof typeof MIN;

async function waitFor(url: string, ms = 60_000) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`${url} did not come up`);
}

async function signIn(origin: string): Promise<string> {
  const res = await fetch(`${origin}/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin },
    body: new URLSearchParams({ email: "demo@mindnamo.test", password: "calm-harbour-morning-42", next: "/account" }),
  });
  const setCookie = res.headers.get("set-cookie");
  if (res.status !== 302 || !setCookie) throw new Error(`sign-in failed: ${res.status}`);
  return setCookie.split(";")[0]!;
}

async function main() {
  if (!process.argv.includes("--no-build"))
    execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], { cwd: root, stdio: "inherit" });
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-lighthouse-"));
  const port = Number(process.env.LIGHTHOUSE_PORT ?? 3600 + Math.floor(Math.random() * 300));
  const origin = `http://localhost:${port}`;
  const app = spawn(process.execPath, ["--import", "tsx", "server.ts"], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      PORT: String(port),
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      APP_URL: origin,
      SESSION_SECRET: "lighthouse-".repeat(4),
      MAIL_TRANSPORT: "outbox",
      LOG_LEVEL: "silent",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const chrome = await chromeLauncher.launch({
    chromePath: CHROMIUM,
    chromeFlags: [
      "--headless=new",
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
    ],
  });
  const rows: { page: string; scores: Record<Category, number>; lcpMs: number; cls: number; tbtMs: number }[] = [];
  let failed = false;
  try {
    await waitFor(`${origin}/healthz`);
    const cookie = await signIn(origin);
    const pages = [
      { page: "home", url: "/", cookie: null },
      { page: "directory", url: "/experts", cookie: null },
      { page: "expert profile", url: "/experts/amara-okafor", cookie: null },
      { page: "booking (signed in)", url: "/book/amara-okafor", cookie },
    ];
    fs.mkdirSync(path.join(root, "bench/results"), { recursive: true });
    for (const p of pages) {
      const result = await lighthouse(`${origin}${p.url}`, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: Object.keys(MIN),
        ...(p.cookie ? { extraHeaders: { Cookie: p.cookie } } : {}),
      });
      if (!result) throw new Error(`no result for ${p.url}`);
      const lhr = result.lhr;
      const scores = Object.fromEntries(
        (Object.keys(MIN) as Category[]).map((c) => [c, Math.round((lhr.categories[c]?.score ?? 0) * 100)]),
      ) as Record<Category, number>;
      const audit = (id: string) => lhr.audits[id]?.numericValue ?? NaN;
      rows.push({
        page: p.page,
        scores,
        lcpMs: Math.round(audit("largest-contentful-paint")),
        cls: Math.round(audit("cumulative-layout-shift") * 1000) / 1000,
        tbtMs: Math.round(audit("total-blocking-time")),
      });
      const slug = p.page.replace(/[^a-z]+/g, "-");
      fs.writeFileSync(path.join(root, `bench/results/lighthouse-${slug}.json`), String(result.report));
      for (const c of Object.keys(MIN) as Category[]) {
        if (scores[c] < MIN[c]) {
          failed = true;
          const misses = Object.values(lhr.audits)
            .filter((a) => a.score !== null && a.score < 1 && lhr.categories[c]?.auditRefs.some((r) => r.id === a.id))
            .filter((a) => (lhr.categories[c]?.auditRefs.find((r) => r.id === a.id)?.weight ?? 0) > 0)
            .map((a) => `${a.id} (${a.displayValue ?? a.score})`);
          console.error(`${p.page}: ${c} ${scores[c]} < ${MIN[c]}: ${misses.join(", ")}`);
        }
      }
    }
  } finally {
    chrome.kill();
    app.kill("SIGTERM");
    await new Promise((r) => app.once("exit", r));
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.log("| page | performance | accessibility | best practices | LCP | CLS | TBT |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) {
    console.log(
      `| ${r.page} | ${r.scores.performance} | ${r.scores.accessibility} | ${r.scores["best-practices"]} | ${r.lcpMs} ms | ${r.cls} | ${r.tbtMs} ms |`,
    );
  }
  if (failed) process.exit(1);
}

await main();
