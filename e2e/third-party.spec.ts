// No third-party code (privacy promise P15): every public page, and a signed-in journey, make requests to our own
// origin only — no trackers, fonts, CDNs or analytics of anyone else. Every request the browser makes is recorded
// (context.on("request"), which also sees workers and redirects); any other origin fails the test. The page's
// scripts are ours too: same-origin files, inline ones only with the response's nonce (or, on a cached public page,
// their hash in its policy). And the error reporter (P7)
// reports a crash to our own origin.
import crypto from "node:crypto";
import { expect, test, type BrowserContext, type Page } from "@playwright/test";
import { DEMO_PASSWORD } from "../prisma/seed.ts";
import { E2E_URL } from "./env.ts";
import { network, open } from "./helpers.ts";

test.use(network(16));

const OURS = new URL(E2E_URL).origin;

/** Every request of the context, to check at the end. data: and blob: URLs never leave the browser. */
function recordRequests(context: BrowserContext) {
  const seen: { url: string; from: string }[] = [];
  context.on("request", (request) => {
    const frame = (() => {
      try {
        return request.frame().url();
      } catch {
        return "(worker)";
      }
    })();
    seen.push({ url: request.url(), from: frame });
  });
  return {
    seen,
    foreign: () => seen.filter(({ url }) => !/^(data|blob):/.test(url) && new URL(url).origin !== OURS),
  };
}

/**
 * Scripts on the page: files from our origin only; inline scripts only with the response's nonce or, on a page from
 * the public page cache (which carries no nonce), with their hash in the page's policy.
 */
async function expectOnlyOurScripts(page: Page, policy: string) {
  const scripts = await page.evaluate(() =>
    [...document.querySelectorAll("script")].map((s) => ({
      src: s.src,
      nonce: s.nonce || s.getAttribute("nonce") || "",
      type: s.type,
      text: s.textContent ?? "",
    })),
  );
  for (const s of scripts) {
    if (s.src) expect(new URL(s.src).origin, s.src).toBe(OURS);
    else if (s.type === "application/json") continue;
    else if (s.nonce === "") {
      const hash = crypto.createHash("sha256").update(s.text, "utf8").digest("base64");
      expect(policy, "inline script with neither the nonce nor its hash in the policy").toContain(`'sha256-${hash}'`);
    }
  }
  expect(await page.locator("iframe").count()).toBe(0);
}

const PUBLIC_PAGES = [
  "/",
  "/experts",
  "/experts?category=sleep",
  "/experts/amara-okafor",
  "/privacy",
  "/login",
  "/login/code",
  "/signup",
  "/forgot-password",
  "/reset-password",
  "/verify",
  "/contact",
  "/security/not-me",
  "/no-such-page",
];

test("every public page requests nothing from any origin but ours", async ({ browser }) => {
  test.setTimeout(120_000);
  const context = await browser.newContext(network(16));
  const requests = recordRequests(context);
  const page = await context.newPage();

  // The listed pages, and every page their links lead to (one level), signed out.
  const visited = new Set<string>();
  const queue = [...PUBLIC_PAGES];
  for (const path of PUBLIC_PAGES.slice(0, 4)) {
    await open(page, path);
    const links = await page.locator("a[href^='/']").evaluateAll((as) => as.map((a) => a.getAttribute("href") ?? ""));
    for (const href of links) if (!/^\/(logout|dev|admin|build)\b/.test(href)) queue.push(href);
  }
  for (const path of queue) {
    const key = path.split("#")[0]!;
    if (visited.has(key) || visited.size >= 45) continue;
    visited.add(key);
    // Links may lead to files (photos) as well as pages; wait until the network is quiet either way.
    const response = await page.goto(key, { waitUntil: "networkidle" });
    const headers = response?.headers() ?? {};
    if (headers["content-type"]?.startsWith("text/html"))
      await expectOnlyOurScripts(page, headers["content-security-policy"] ?? "");
  }
  expect(visited.size).toBeGreaterThanOrEqual(PUBLIC_PAGES.length);
  // The privacy page says which scripts run and why.
  await open(page, "/privacy");
  const scripts = page.getByTestId("scripts");
  await expect(scripts.getByRole("heading", { name: "The scripts that run on our pages" })).toBeVisible();
  for (const item of ["The site itself", "The error reporter", "Anonymous usage counting", "The video room"])
    await expect(scripts.getByText(item)).toBeVisible();
  expect(requests.seen.length).toBeGreaterThan(visited.size); // pages, scripts, styles, images were all seen
  expect(requests.seen.some((r) => r.url.includes("/build/"))).toBe(true);
  expect(requests.foreign(), JSON.stringify(requests.foreign(), null, 1)).toEqual([]);
  await context.close();
});

test("a signed-in journey requests nothing from any origin but ours, and a crash is reported to our origin only", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const context = await browser.newContext(network(16));
  const requests = recordRequests(context);
  const page = await context.newPage();

  await open(page, "/login?next=/account");
  await page.getByLabel("Email", { exact: true }).fill("demo@mindnamo.test");
  await page.getByLabel("Password", { exact: true }).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`${OURS}/account`);

  for (const path of [
    "/account",
    "/account/sessions",
    "/account/password",
    "/sessions",
    "/help",
    "/experts",
    "/experts/amara-okafor",
    "/book/amara-okafor",
    "/privacy",
  ]) {
    await open(page, path);
    // Signed in, nothing comes from the page cache: every inline script must carry the nonce (no policy to match).
    await expectOnlyOurScripts(page, "");
    await expect(
      page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }),
      path,
    ).toBeVisible();
  }
  // Client-side navigation (data requests) as well.
  await open(page, "/experts");
  await page.getByRole("link", { name: "Privacy", exact: true }).first().click();
  await expect(page).toHaveURL(/\/privacy$/);

  // A crash in the page is reported (P7) — to our own origin, with the path and no query string.
  const reported = page.waitForRequest((r) => r.url().endsWith("/errors") && r.method() === "POST");
  await page.evaluate(() => {
    setTimeout(() => {
      throw new Error("planted crash for planted.person@example.com with code 48213907");
    });
  });
  const request = await reported;
  expect(new URL(request.url()).origin).toBe(OURS);
  const body = request.postDataJSON() as { kind: string; location: string };
  expect(body.kind).toBe("CLIENT_CRASH");
  expect(body.location).toBe("/privacy");
  expect((await request.response())?.status()).toBe(204);

  // A failed API call (a 5xx answer to one of our fetches) and a file that does not load are reported too.
  await page.route(
    (url) => url.pathname === "/broken-api",
    (route) => route.fulfill({ status: 502, body: "bad gateway" }),
  );
  const apiReport = page.waitForRequest(
    (r) => r.url().endsWith("/errors") && (r.postDataJSON() as { kind: string }).kind === "API_FAILURE",
  );
  await page.evaluate(() => fetch("/broken-api?token=abc", { method: "POST" }).then(() => undefined));
  expect((await apiReport).postDataJSON()).toMatchObject({ kind: "API_FAILURE", status: 502, location: "/broken-api" });
  const loadReport = page.waitForRequest(
    (r) => r.url().endsWith("/errors") && (r.postDataJSON() as { kind: string }).kind === "LOAD_FAILURE",
  );
  await page.evaluate(() => {
    const script = document.createElement("script");
    script.nonce = document.querySelector<HTMLScriptElement>("script[nonce]")?.nonce ?? "";
    script.src = "/build/no-such-chunk.js";
    document.body.append(script);
  });
  expect((await loadReport).postDataJSON()).toMatchObject({
    kind: "LOAD_FAILURE",
    location: "/build/no-such-chunk.js",
  });

  await page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${OURS}/`);

  expect(requests.seen.filter((r) => r.url.startsWith(OURS)).length).toBeGreaterThan(10);
  expect(requests.foreign(), JSON.stringify(requests.foreign(), null, 1)).toEqual([]);
  await context.close();
});
