import { network, open, signedIn } from "./helpers.ts";
import { expect, test } from "@playwright/test";
import { OutboxMailer } from "../core/platform/mail/index.ts";
import { welcomeEmail } from "../core/mail/templates.ts";
import { E2E_OUTBOX_DIR } from "./env.ts";

test.use(network(15));

test("a visitor sees topics and experts, and filters the directory", async ({ page }) => {
  await open(page, "/");
  await expect(page.getByRole("heading", { level: 1, name: "Talk to someone who understands" })).toBeVisible();
  const topics = page.getByTestId("categories").getByRole("listitem");
  expect(await topics.count()).toBeGreaterThanOrEqual(8);
  await expect(page.getByTestId("experts").getByRole("article").first()).toBeVisible();

  // A topic card is one link named by what it shows: the topic, then its description.
  await page.getByRole("link", { name: /^Sleep\b/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Experts in Sleep" })).toBeVisible();
  await expect(page.getByText("Jonas Lindqvist")).toBeVisible();

  await page.getByLabel("Topic", { exact: true }).selectOption({ label: "All topics" });
  await page.getByRole("button", { name: "Show experts" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "All experts" })).toBeVisible();
  await expect(page.getByText(/\b1[0-9] experts\b/)).toBeVisible();
});

test("a profile served from the page cache runs its scripts: its CSP allows them by hash", async ({ page }) => {
  const refused: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) refused.push(m.text());
  });
  await page.addInitScript(() =>
    document.addEventListener("securitypolicyviolation", (e) =>
      console.error(`Content Security Policy: ${e.violatedDirective}`),
    ),
  );
  // The first visit renders it, and its script stores the visitor's time zone, which pages are cached by; the
  // second renders it for that zone; the third is answered from the cache (no nonce: hashes in the policy).
  await open(page, "/experts/amara-okafor");
  await open(page, "/experts/amara-okafor");
  const cached = page.waitForResponse((r) => r.url().endsWith("/experts/amara-okafor"));
  await open(page, "/experts/amara-okafor");
  const res = await cached;
  expect(res.status()).toBe(200);
  expect(res.headers()["x-cache"]).toMatch(/HIT|STALE/);
  expect(res.headers()["content-security-policy"]).toContain("'sha256-");
  // Hydrated (open waits for it), and the app navigates on the client: the booking link opens without a reload.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));
  await page
    .getByRole("link", { name: /^Book a session/ })
    .first()
    .click();
  await page.waitForURL("**/book/amara-okafor");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  expect(refused).toEqual([]);
});

test("the keyboard reaches the main content first", async ({ page }) => {
  await open(page, "/");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
});

test("a mail in outbox mode appears on the outbox page", async ({ page }) => {
  const to = `e2e-${Date.now()}@example.com`;
  await new OutboxMailer(E2E_OUTBOX_DIR, "test@mindnamo.test").send(welcomeEmail(to, "Eve"));
  await open(page, "/dev/outbox");
  const item = page.getByRole("listitem").filter({ hasText: to });
  await expect(item).toBeVisible();
  await item.getByText("Show message").click();
  await expect(item.getByText("Hello Eve,")).toBeVisible();
});

test("the privacy policy is published", async ({ page }) => {
  await open(page, "/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Privacy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy policy" })).toBeVisible();
  await expect(page.getByText("We do not sell or rent your data")).toBeVisible();
});

test("a signed-in person's profile view records its preference in the background and loads nothing again", async ({
  browser,
}) => {
  const { context, page } = await signedIn(browser, "demo@mindnamo.test", { to: "/account" });
  const calls: string[] = [];
  page.on("request", (r) => {
    if (r.resourceType() === "fetch" && !r.url().includes("/__manifest"))
      calls.push(`${r.method()} ${new URL(r.url()).pathname}`);
  });
  const recorded = page.waitForResponse((r) => r.url().includes("/preferences") && r.request().method() === "POST");
  // A client-side navigation, as from the directory: the profile's data, then the preference.
  await page.getByRole("link", { name: "Find an expert" }).first().click();
  await page
    .getByRole("link", { name: /Lukas Brenner/ })
    .first()
    .click();
  await expect(page.getByRole("heading", { level: 1, name: "Lukas Brenner" })).toBeVisible();
  expect((await recorded).status()).toBe(204);
  // Give a revalidation the time it would take to start: none may (it would run every loader of the page again).
  await page.waitForTimeout(750);
  expect(calls).toEqual(["GET /experts.data", "GET /experts/lukas-brenner.data", "POST /preferences"]);
  await context.close();
});
