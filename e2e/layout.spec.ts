// Layout of every public and signed-in page at 320, 390, 768 and 1280 px: no horizontal scroll, no text spilling
// out of its box, the header in one row, tap targets of at least 24×24 px (WCAG 2.2, 2.5.8), no console error or
// warning, and no serious or critical axe violation. With SCREENSHOTS=1 (`npm run screenshots`) it also writes a
// full-page PNG of every page at phone and desktop width to screenshots/ (not committed).
import fs from "node:fs";
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { open, signedIn } from "./helpers.ts";
import { measure } from "./measure.ts";
import { DEMO_PASSWORD } from "../prisma/seed.ts";
import { FEEDBACK_WORLD } from "./fixtures/feedback-world.ts";
import { E2E_PASSWORD } from "./fixtures/world.ts";

const WIDTHS = [320, 390, 768, 1280] as const;
const SHOTS = process.env.SCREENSHOTS === "1" ? path.resolve("screenshots") : null;

type Who = "visitor" | "client" | "expert" | "reviewer";
const pages: { who: Who; url: string; name: string }[] = [
  { who: "visitor", url: "/", name: "home" },
  { who: "visitor", url: "/experts", name: "directory" },
  { who: "visitor", url: "/experts?category=sleep", name: "directory-topic" },
  { who: "visitor", url: "/experts/amara-okafor", name: "profile" },
  { who: "visitor", url: "/help-now", name: "help-now" },
  { who: "visitor", url: "/privacy", name: "privacy" },
  { who: "visitor", url: "/contact", name: "contact" },
  { who: "visitor", url: "/privacy/confirm", name: "privacy-confirm" },
  { who: "visitor", url: "/login", name: "login" },
  { who: "visitor", url: "/signup", name: "signup" },
  { who: "visitor", url: "/forgot-password", name: "forgot-password" },
  { who: "visitor", url: "/feedback", name: "feedback" },
  { who: "visitor", url: "/no-such-page", name: "not-found" },
  { who: "client", url: "/", name: "home-signed-in" },
  { who: "client", url: "/book/amara-okafor", name: "booking" },
  { who: "client", url: "/sessions", name: "sessions" },
  { who: "client", url: "/help", name: "help" },
  { who: "client", url: "/account", name: "account" },
  { who: "client", url: "/account/communications", name: "account-email-settings" },
  { who: "client", url: "/account/privacy", name: "account-privacy" },
  { who: "client", url: "/account/sessions", name: "account-devices" },
  // A person with a past session: the table of what we keep about it has a row.
  { who: "reviewer", url: "/sessions/records", name: "session-records" },
  { who: "expert", url: "/expert", name: "expert-workspace" },
  { who: "expert", url: "/expert/profile", name: "expert-profile" },
  { who: "expert", url: "/expert/availability", name: "expert-availability" },
];

const logins: Record<Exclude<Who, "visitor">, { email: string; password: string }> = {
  client: { email: "demo@mindnamo.test", password: DEMO_PASSWORD },
  expert: { email: "amara-okafor@experts.mindnamo.test", password: DEMO_PASSWORD },
  reviewer: { email: FEEDBACK_WORLD.user.email, password: E2E_PASSWORD },
};
const states = new Map<Who, string>();

// Each role signs in once; every page test starts from the stored session instead of the form.
test.beforeAll(async ({ browser }) => {
  test.setTimeout(60_000);
  for (const who of ["client", "expert", "reviewer"] as const) {
    const { context } = await signedIn(browser, logins[who].email, { to: {}, password: logins[who].password });
    const file = test.info().outputPath(`${who}.json`);
    await context.storageState({ path: file });
    await context.close();
    states.set(who, file);
  }
});

for (const p of pages) {
  test(`${p.who} ${p.url}: fits 320–1280 px, targets ≥ 24 px, no console noise, axe clean`, async ({ browser }) => {
    test.setTimeout(90_000);
    const context = await browser.newContext({
      storageState: p.who === "visitor" ? undefined : states.get(p.who),
      timezoneId: "America/New_York",
      locale: "en-US",
    });
    // The consent choice is made, so the banner is not part of every page's layout (its own spec covers it).
    await context.addInitScript(() => {
      if (!localStorage.getItem("mn.consent.v1"))
        localStorage.setItem(
          "mn.consent.v1",
          JSON.stringify({ analytics: false, at: new Date().toISOString(), source: "banner" }),
        );
    });
    const page = await context.newPage();
    const noise: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error" || m.type() === "warning") noise.push(`${m.type()}: ${m.text()}`);
    });
    page.on("pageerror", (e) => noise.push(`pageerror: ${e.message}`));
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width < 768 ? 800 : 900 });
      await open(page, p.url);
      const m = await measure(page);
      const where = `${p.url} at ${width} px`;
      expect.soft(m.horizontalScroll, `${where}: horizontal scroll (${m.wide.join(", ")})`).toBeLessThanOrEqual(0);
      expect.soft(m.overflowing, `${where}: text overflowing its box`).toEqual([]);
      expect.soft(m.small, `${where}: tap targets under 24×24 px`).toEqual([]);
      expect.soft(m.headerRows, `${where}: header rows`).toBe(1);
      expect.soft(m.headerHeight, `${where}: header height`).toBeLessThanOrEqual(72);
      if (width === 390 || width === 1280) {
        const axe = await new AxeBuilder({ page }).analyze();
        const blocking = axe.violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
        expect.soft(blocking, `${where}: axe serious/critical`).toEqual([]);
        if (SHOTS) {
          fs.mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SHOTS, `${p.name}-${width}.png`), fullPage: true });
        }
      }
    }
    // A 404 is logged by the browser as a failed resource load for the document itself; nothing else may be.
    const expected = p.name === "not-found" ? /status of 404/ : null;
    expect(noise.filter((n) => !(expected && expected.test(n)))).toEqual([]);
    await context.close();
  });
}

test("the consent banner takes at most a fifth of a phone screen", async ({ browser }) => {
  for (const [width, height] of [
    [320, 568],
    [390, 844],
  ] as const) {
    const context = await browser.newContext({ viewport: { width, height } });
    const page = await context.newPage();
    await open(page, "/experts/amara-okafor");
    const banner = page.getByTestId("consent-banner");
    await expect(banner).toBeVisible();
    const box = await banner.boundingBox();
    expect(box?.height ?? Infinity, `${width}×${height}`).toBeLessThanOrEqual(height * 0.2);
    // Both choices are on screen and equally easy to reach.
    for (const name of ["Essential only", "Allow anonymous analytics"]) {
      const b = await page.getByRole("button", { name }).boundingBox();
      expect(b && b.height >= 24 && b.y + b.height <= height, name).toBe(true);
    }
    await context.close();
  }
});

test("on a phone a table of a few columns shows every column: one block per row, each value named", async ({
  browser,
}) => {
  const context = await browser.newContext({
    storageState: states.get("reviewer"),
    viewport: { width: 390, height: 844 },
  });
  const page = await context.newPage();
  await open(page, "/sessions/records");
  const cells = page.getByTestId("session-record").first().locator("td");
  await expect(cells).toHaveCount(4);
  for (const cell of await cells.all()) {
    const box = (await cell.boundingBox())!;
    // Inside the screen, not cut off at the edge of a box that scrolls sideways.
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    const label = await cell.evaluate((td) => getComputedStyle(td, "::before").content);
    expect(label).toBe(`"${await cell.getAttribute("data-label")}"`);
  }
  await context.close();
});
