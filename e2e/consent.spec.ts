// Consent and opt-out as people meet them (privacy promises P8, P16, P24): the analytics banner on a first visit
// (keyboard usable, no layout shift on a phone, never blocking the page without JavaScript), the choice kept in
// this browser under `mn.consent.v1` and changeable from the footer and the privacy page; and the newsletter: a
// reader opts in, an admin sends one from the back-office, it arrives in the outbox with one-click unsubscribe
// headers, and the reader unsubscribes from the mail while signed out.
import { AxeBuilder } from "@axe-core/playwright";
import { devices, expect, test, type BrowserContext, type Page } from "@playwright/test";
import { NEWSLETTER_WORLD } from "./fixtures/newsletter-world.ts";
import { enrolTotp, network, open, signIn } from "./helpers.ts";
import { mailTo } from "./outbox.ts";
import { listOutbox } from "../core/platform/mail/index.ts";
import { E2E_OUTBOX_DIR } from "./env.ts";

/**
 * A visitor's cookies besides `mn_tz`, which holds only the browser's time zone for this browser session (no
 * expiry, no identifier): times are written in the visitor's zone. It must stay a session cookie.
 */
async function visitorCookies(context: BrowserContext) {
  const cookies = await context.cookies();
  for (const c of cookies.filter((c) => c.name === "mn_tz")) expect(c.expires, "mn_tz is a session cookie").toBe(-1);
  return cookies.filter((c) => c.name !== "mn_tz");
}

test.use(network(17));

const stored = (page: Page) =>
  page.evaluate(() => JSON.parse(window.localStorage.getItem("mn.consent.v1") ?? "null") as unknown);
const banner = (page: Page) => page.getByRole("region", { name: "Your privacy choice" });

/** axe-core: no serious or critical violation on the page as it is now. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    what,
  ).toEqual([]);
}

test("a first visit on a phone shows the banner without shifting the page; the keyboard choice is kept in this browser and can be changed from the footer and the privacy page", async ({
  browser,
}) => {
  const context = await browser.newContext({ ...devices["Pixel 7"], ...network(17) });
  const page = await context.newPage();
  // Record every layout shift from the very start of the page.
  await page.addInitScript(() => {
    const w = window as unknown as { __shifts: number[] };
    w.__shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[])
        if (!e.hadRecentInput) w.__shifts.push(e.value);
    }).observe({ type: "layout-shift", buffered: true });
  });
  await open(page, "/");
  await expect(banner(page)).toBeVisible();
  await expect(banner(page).getByRole("link", { name: "Details" })).toHaveAttribute("href", "/privacy#consent");
  // Read the shifts once the page has settled: nothing left to load, fonts in, two frames painted.
  await page.waitForLoadState("networkidle");
  await page.evaluate(async () => {
    await document.fonts.ready;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  });
  const shift = await page.evaluate(() =>
    (window as unknown as { __shifts: number[] }).__shifts.reduce((a, b) => a + b, 0),
  );
  expect(shift, "cumulative layout shift").toBeLessThan(0.01);
  expect(await stored(page)).toBeNull();
  await expectAccessible(page, "home with the banner, on a phone");

  // Keyboard: the two choices are ordinary buttons in the tab order.
  const allow = banner(page).getByRole("button", { name: "Allow anonymous analytics" });
  await banner(page).getByRole("button", { name: "Essential only" }).focus();
  await page.keyboard.press("Tab");
  await expect(allow).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(banner(page)).toHaveCount(0);
  expect(await stored(page)).toMatchObject({ analytics: true, source: "banner" });
  const first = (await stored(page)) as { at: string };
  expect(new Date(first.at).toISOString()).toBe(first.at);
  expect(await visitorCookies(context), "no cookie for a visitor but the zone, for this session (P8)").toEqual([]);

  // Remembered on the next page and after a reload.
  await open(page, "/experts");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(banner(page)).toHaveCount(0);

  // The footer reopens it, focused on the first choice.
  await page.getByRole("link", { name: "Cookies and analytics choices" }).click();
  await expect(banner(page)).toBeVisible();
  await expect(banner(page).getByRole("button", { name: "Essential only" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(banner(page)).toHaveCount(0);
  expect(await stored(page)).toMatchObject({ analytics: false, source: "banner" });

  // The privacy page shows the current choice and changes it.
  await open(page, "/privacy#consent");
  await expect(page.getByTestId("consent-current")).toContainText("Essential only");
  await page.getByTestId("consent-settings").getByRole("button", { name: "Allow anonymous analytics" }).click();
  await expect(page.getByTestId("consent-current")).toContainText("Anonymous analytics allowed");
  expect(await stored(page)).toMatchObject({ analytics: true, source: "settings" });
  await expect(page.getByTestId("dpo-contact")).toContainText("privacy@mindnamo.com");
  await expect(page.getByRole("link", { name: "your privacy center" })).toHaveAttribute("href", "/account/privacy");
  expect(await visitorCookies(context)).toEqual([]);
  await context.close();
});

test("without JavaScript the banner never appears and the page works", async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, ...network(17) });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(banner(page)).toHaveCount(0);
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Privacy" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Privacy policy" })).toBeVisible();
  // The footer's link leads to the settings, which still record a choice with a plain form.
  await page.getByRole("link", { name: "Cookies and analytics choices" }).click();
  await page.getByTestId("consent-settings").getByRole("button", { name: "Essential only" }).click();
  await expect(page.getByText("Your choice was recorded.")).toBeVisible();
  await context.close();
});

test("a reader opts in, an admin sends a newsletter, and the reader unsubscribes from the mail with one click while signed out", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { reader, never, admin } = NEWSLETTER_WORLD;

  // The reader opts in on their email settings (the newsletter is off until they do).
  const readerCtx = await browser.newContext(network(17));
  const readerPage = await readerCtx.newPage();
  await signIn(readerPage, reader.email, "/account/communications");
  await expect(readerPage.getByText("Always sent", { exact: true })).toBeVisible();
  const box = readerPage.getByRole("checkbox", { name: /Send me the Mind Namo newsletter/ });
  await expect(box).not.toBeChecked();
  await box.check();
  await readerPage.getByRole("button", { name: "Save email settings" }).click();
  await expect(readerPage.getByText("You get the newsletter.", { exact: false })).toBeVisible();
  await expect(readerPage.getByTestId("consent-history")).toContainText("Subscribed");
  await expectAccessible(readerPage, "/account/communications");

  // The admin composes and sends it from the back-office (second factor first).
  const adminCtx = await browser.newContext(network(17));
  const adminPage = await adminCtx.newPage();
  await signIn(adminPage, admin.email, "/admin");
  await enrolTotp(adminPage);
  await adminPage.getByRole("link", { name: "Newsletter" }).click();
  const subject = `Calmer evenings ${Date.now()}`;
  await adminPage.getByLabel("Subject").fill(subject);
  await adminPage.getByLabel("Message").fill("Three small habits for calmer evenings.\n\nSee you soon.");
  await adminPage.getByRole("button", { name: "Review and send" }).click();
  await expect(adminPage.getByText(`Send “${subject}” to`)).toBeVisible();
  const before = Date.now();
  await adminPage.getByRole("button", { name: "Yes, send the newsletter" }).click();
  await expect(adminPage.getByText("Newsletter queued.")).toBeVisible();
  await expect(adminPage.getByTestId("newsletter-row").filter({ hasText: subject })).toBeVisible();
  await expectAccessible(adminPage, "/admin/newsletter");

  // It arrives, with its own one-click link and headers; nobody who never opted in gets it.
  const mail = await mailTo(reader.email, "newsletter", before - 1000, 30_000);
  expect(mail.subject).toBe(subject);
  expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  const link = /^<(.+)>$/.exec(mail.headers["List-Unsubscribe"] ?? "")![1]!;
  expect(mail.text).toContain(link);
  expect(mail.text).toContain("privacy@mindnamo.com");
  expect(
    (await listOutbox(E2E_OUTBOX_DIR, 1000)).some((m) => m.to === never.email && m.template === "newsletter"),
  ).toBe(false);

  // Signed out (a fresh browser), a tampered link is refused, the real one unsubscribes with one click.
  const mailCtx = await browser.newContext(network(17));
  const mailPage = await mailCtx.newPage();
  const tampered = link.replace(/t=([0-9a-f])/, (_, c: string) => `t=${c === "a" ? "b" : "a"}`);
  await open(mailPage, tampered.replace(/^https?:\/\/[^/]+/, ""));
  await expect(mailPage.getByRole("alert")).toContainText("This unsubscribe link is not valid");
  await open(mailPage, link.replace(/^https?:\/\/[^/]+/, ""));
  await expectAccessible(mailPage, "/unsubscribe");
  await mailPage.getByRole("button", { name: "Unsubscribe" }).click();
  await expect(mailPage.getByRole("heading", { name: "You are unsubscribed" })).toBeVisible();
  expect(await visitorCookies(mailCtx)).toEqual([]);

  // The reader's settings show it, with where it happened.
  await readerPage.reload();
  await expect(readerPage.getByRole("checkbox", { name: /Send me the Mind Namo newsletter/ })).not.toBeChecked();
  await expect(readerPage.getByTestId("consent-history")).toContainText("an unsubscribe link");
  for (const c of [readerCtx, adminCtx, mailCtx]) await c.close();
});
