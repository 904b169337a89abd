// The staff console's layout at desktop (1280 px) and tablet (768 px) width, for every page of every staff role
// (the same measurements as e2e/layout.spec.ts for the site): no horizontal scroll of the page, no text spilling
// out of its box, targets of at least 24×24 px, no console error or warning. With SCREENSHOTS=1 it also writes the
// 1280 px pictures of docs/design.md's "Console" section to docs/images/console-*.png: viewport crops, not full
// pages, so the committed files stay small.
import fs from "node:fs";
import path from "node:path";
import type { Page } from "@playwright/test";
import { CONSOLE_HEADER } from "../admin/shared/console-header.ts";
import { CONSOLE_FIGURES, CONSOLE_WORLD } from "./fixtures/console-world.ts";
import { network, open, signedIn } from "./helpers.ts";
import { measure } from "./measure.ts";
import { expect, test } from "./test.ts";

const WIDTHS = [1280, 768] as const;
const SHOTS = process.env.SCREENSHOTS === "1" ? path.resolve("docs/images") : null;
const OCTET = 47;

/** Collects console errors and warnings (and uncaught errors) of a page from now on. */
function listen(page: Page) {
  const noise: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error" || m.type() === "warning") noise.push(`${m.type()}: ${m.text()}`);
  });
  page.on("pageerror", (e) => noise.push(`pageerror: ${e.message}`));
  return noise;
}

/** Opens a console page at each width, waits until its data is in, and measures it; `shot` names its picture. */
async function check(page: Page, url: string, shot?: string, prepare?: (page: Page) => Promise<unknown>) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await open(page, url);
    await prepare?.(page);
    await expect(page.locator("main h1").first()).toBeVisible();
    await expect(page.getByText("Loading…")).toHaveCount(0, { timeout: 15_000 });
    const m = await measure(page);
    const where = `${url} at ${width} px`;
    expect.soft(m.horizontalScroll, `${where}: horizontal scroll (${m.wide.join(", ")})`).toBeLessThanOrEqual(0);
    expect.soft(m.overflowing, `${where}: text overflowing its box`).toEqual([]);
    expect.soft(m.small, `${where}: targets under 24×24 px`).toEqual([]);
    if (SHOTS && shot && width === 1280) {
      fs.mkdirSync(SHOTS, { recursive: true });
      await page.screenshot({ path: path.join(SHOTS, `console-${shot}.png`) });
    }
  }
}

/** The first link of a list page that leads to one item (a ticket, a privacy request). */
async function firstItem(page: Page, listUrl: string, prefix: string) {
  await open(page, listUrl);
  const link = page.locator(`main a[href^="${prefix}"]`).first();
  await expect(link).toBeVisible();
  return (await link.getAttribute("href"))!;
}

test("support's console pages fit 1280 and 768 px", async ({ staffConsole }) => {
  test.setTimeout(120_000);
  const page = await staffConsole(CONSOLE_WORLD.layoutSupport.email, { octet: OCTET });
  const noise = listen(page);
  // A desk with some work on it: calls and emails logged as an agent does, and a canned reply.
  const tag = `L${Date.now().toString(36)}`;
  const call = (procedure: string, data: unknown) =>
    page.request.post(`/admin/api/trpc/${procedure}`, {
      headers: { [CONSOLE_HEADER]: "1", "content-type": "application/json" },
      data,
    });
  for (const [subject, channel, category, priority, email] of [
    ["Session moved twice without notice", "PHONE", "BOOKING", "HIGH", "noor.haddad@example.com"],
    ["Camera stays black in the session room", "EMAIL", "TECHNICAL", "URGENT", "jonas.weber@example.com"],
    ["Cannot reset my password", "PHONE", "ACCOUNT", "LOW", "maria.silva@example.com"],
    ["Please send me a copy of my data", "EMAIL", "PRIVACY", "NORMAL", "kofi.mensah@example.com"],
  ] as const) {
    const res = await call("tickets.logOnBehalf", {
      email,
      subject: `${subject} (${tag})`,
      channel,
      category,
      priority,
      privacyType: "ACCESS",
      message: `${subject}. Called in about it today and asked for help.`,
    });
    expect(res.status()).toBe(200);
  }
  expect(
    (
      await call("tickets.saveCannedReply", {
        title: `Camera permissions (${tag})`,
        body: "Please allow the camera in your browser settings, then join the session again.",
      })
    ).status(),
  ).toBe(200);

  await check(page, "/admin", "dashboard");
  await check(page, `/admin/tickets?q=${tag}`, "tickets");
  await check(page, await firstItem(page, `/admin/tickets?q=${tag}`, "/admin/tickets/"), "ticket");
  await check(page, "/admin/canned-replies", "canned-replies");
  await check(page, "/admin/reviews", "reviews");
  await check(page, "/admin/account");

  // On a phone the navigation folds behind a Menu button: the page starts with its content, the menu opens and
  // closes with the button, and choosing a page folds it again.
  await page.setViewportSize({ width: 390, height: 800 });
  await open(page, "/admin/canned-replies");
  const menu = page.getByRole("button", { name: /^Menu/ });
  const nav = page.getByRole("navigation", { name: "Back-office" });
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(nav).toBeHidden();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeHidden();
  await menu.click();
  await expect(menu).toHaveAttribute("aria-expanded", "true");
  await expect(nav).toBeVisible();
  await nav.getByRole("link", { name: "Tickets", exact: true }).click();
  await expect(page).toHaveURL(/\/admin\/tickets$/);
  await expect(nav).toBeHidden();
  await expect(menu).toHaveAttribute("aria-expanded", "false");
  await expect(page.locator("main h1")).toHaveText("Tickets");
  // At desktop width there is no button: the sidebar is always there.
  await page.setViewportSize({ width: 1280, height: 800 });
  await expect(menu).toBeHidden();
  await expect(nav).toBeVisible();
  expect(noise).toEqual([]);
});

test("the DPO's console pages fit 1280 and 768 px", async ({ staffConsole }) => {
  test.setTimeout(120_000);
  const page = await staffConsole(CONSOLE_WORLD.layoutDpo.email, { octet: OCTET });
  const noise = listen(page);
  await check(page, "/admin", "dashboard-dpo");
  // Every request, including the one logged by phone above that still waits for its identity check.
  const all = (p: Page) =>
    p.getByLabel("Show").selectOption({ label: "All (including those awaiting the identity check)" });
  await check(page, "/admin/privacy", "privacy", all);
  await open(page, "/admin/privacy");
  await all(page);
  const first = page.locator('main a[href^="/admin/privacy/"]').first();
  await expect(first).toBeVisible();
  const request = (await first.getAttribute("href"))!;
  await check(page, request, "privacy-request");
  await check(page, "/admin/incidents", "incidents");
  // The fixture's assessed incident (e2e/fixtures/console-world.ts), its clock running.
  await open(page, "/admin/incidents");
  const incident = page.getByRole("link", { name: CONSOLE_FIGURES.incident.title });
  await expect(incident).toBeVisible();
  await check(page, (await incident.getAttribute("href"))!, "incident");
  await check(page, "/admin/audit");
  expect(noise).toEqual([]);
});

test("the admin's console pages fit 1280 and 768 px", async ({ staffConsole }) => {
  test.setTimeout(150_000);
  const page = await staffConsole(CONSOLE_WORLD.layoutAdmin.email, { octet: OCTET });
  const noise = listen(page);
  await check(page, "/admin", "dashboard-admin");
  await check(page, "/admin/staff", "staff");
  await check(page, "/admin/audit", "audit");
  await check(page, "/admin/analytics", "analytics");
  await check(page, "/admin/errors", "errors");
  await check(page, "/admin/security", "security");
  await check(page, "/admin/categories", "categories");
  await check(page, "/admin/experts", "experts");
  await check(page, "/admin/newsletter", "newsletter");

  // An invite is a privilege change: it goes through the dialog that names what happens to that address and asks
  // for a fresh code (the tRPC tests prove the server refuses it without one).
  await page.setViewportSize({ width: 1280, height: 800 });
  await open(page, "/admin/staff");
  await page.locator("#inv-email").fill("demo@mindnamo.test");
  await page.getByLabel("Name", { exact: true }).fill("Demo Person");
  await page.getByLabel("Role", { exact: true }).selectOption({ label: "Data protection officer" });
  await page.getByRole("button", { name: "Send invitation…" }).click();
  const dialog = page.getByRole("dialog", { name: "Invite demo@mindnamo.test as Data protection officer?" });
  await expect(dialog).toContainText("already has an account");
  await expect(dialog).toContainText("signed out on every device");
  await expect(dialog.getByLabel("Code from your authenticator app")).toBeVisible();
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await expect(dialog).toBeHidden();
  expect(noise).toEqual([]);
});

test("two-factor enrolment fits 1280 and 768 px", async ({ browser }) => {
  test.setTimeout(90_000);
  // Signed in, not enrolled: the console shows only its two-factor step (the key stays the same across reloads).
  const { page, context } = await signedIn(browser, CONSOLE_WORLD.layoutEnrol.email, {
    context: network(OCTET),
    to: { lands: "/admin" },
    password: CONSOLE_WORLD.password,
  });
  const noise = listen(page);
  await check(page, "/admin", "enrol", async (p) => {
    await p.getByRole("button", { name: "Set up an authenticator app" }).click();
    await expect(p.getByTestId("totp-secret")).toBeVisible();
  });
  expect(noise).toEqual([]);
  await context.close();
});
