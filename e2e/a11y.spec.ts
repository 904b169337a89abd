// Accessibility of every key page: axe-core finds no serious or critical violation, every form can be
// reached, filled and submitted with the keyboard alone, every tab stop shows a visible focus ring, and with
// `prefers-reduced-motion: reduce` nothing animates or transitions.
import path from "node:path";
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { E2E_PORT } from "./env.ts";
import { enrolTotp, open, signedIn, type SignedInOptions } from "./helpers.ts";
import { mailTo } from "./outbox.ts";
import { DEMO_PASSWORD } from "../prisma/seed.ts";

// This spec sends several codes (sign-up, sign-in, reset, email change). The e2e server counts mail per client IP
// (`mail:ip`, 10 per 15 minutes) for the whole run, so the spec talks to the same server from its own loopback
// address (127.0.0.2 — on Linux all of 127/8 is the loopback interface) and leaves the other specs' budget alone.
// Where only 127.0.0.1 exists (macOS), set E2E_A11Y_HOST=localhost.
const A11Y_URL = `http://${process.env.E2E_A11Y_HOST ?? "127.0.0.2"}:${E2E_PORT}`;
test.use({ baseURL: A11Y_URL, timezoneId: "Asia/Kolkata" });

const PASSWORD = "quiet lanterns over the lake";
const NEW_PASSWORD = "slow tide under a wide sky";

function codeFrom(text: string): string {
  const m = /(\d{4}) (\d{4})/.exec(text);
  if (!m) throw new Error("no code in the mail");
  return `${m[1]}${m[2]}`;
}

/** axe-core on the whole page (all rules); serious and critical violations fail, lesser ones are noted. */
async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  for (const v of results.violations.filter((v) => !blocking.includes(v))) {
    test
      .info()
      .annotations.push({ type: `axe ${v.impact ?? "unknown"}`, description: `${what}: ${v.id} ×${v.nodes.length}` });
  }
  const described = blocking.map(
    (v) => `${v.id} [${v.impact}] ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
  expect(described, `serious or critical axe violations on ${what}`).toEqual([]);
}

interface FocusInfo {
  what: string;
  visible: boolean;
  /** The element tabTo is looking for (marked with data-tab-target). */
  target: boolean;
}

/** The focused element, and whether it shows a focus ring (an outline of 2px or more, matched by :focus-visible). */
async function focused(page: Page): Promise<FocusInfo | null> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!(el instanceof HTMLElement) || el === document.body) return null;
    const style = getComputedStyle(el);
    const rect = el.getBoundingClientRect();
    const ring = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    const onScreen = rect.width > 0 && rect.height > 0 && rect.right > 0 && rect.bottom > 0;
    const label = el.getAttribute("aria-label") ?? el.textContent?.trim().slice(0, 40) ?? "";
    return {
      what:
        `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.getAttribute("name") ? ` name=${el.getAttribute("name")}` : ""}> ` +
        `"${label}"`,
      visible: ring && el.matches(":focus-visible") && onScreen,
      target: el.hasAttribute("data-tab-target"),
    };
  });
}

/** Presses Tab until `target` has focus (so it is in the tab order), checking that every stop on the way shows focus. */
async function tabTo(page: Page, target: Locator, max = 120) {
  await expect(target).toBeVisible();
  await target.evaluate((el) => el.setAttribute("data-tab-target", ""));
  try {
    for (let i = 0; i < max; i++) {
      await page.keyboard.press("Tab");
      const info = await focused(page);
      if (info) expect(info.visible, `visible focus on ${info.what}`).toBe(true);
      if (info?.target) return;
    }
  } finally {
    await target.evaluate((el) => el.removeAttribute("data-tab-target"));
  }
  throw new Error(`Tab never reached ${target.toString()}`);
}

/** Walks every tab stop of the page from the top; each must show a visible focus ring. Returns the number of stops. */
async function everyTabStopShowsFocus(page: Page, max = 250): Promise<number> {
  await fromTop(page);
  let stops = 0;
  for (; stops < max; stops++) {
    await page.keyboard.press("Tab");
    const info = await focused(page);
    if (!info || info.what.includes("Skip to content")) break; // past the last stop, or wrapped around
    expect(info.visible, `visible focus on ${info.what}`).toBe(true);
  }
  expect(stops, "the page has tab stops, and Tab leaves the last one").toBeGreaterThan(3);
  expect(stops).toBeLessThan(max);
  return stops;
}

/** Focuses a field by Tab and types into it with the keyboard (Control+A first replaces what is there). */
async function typeInto(page: Page, field: Locator, text: string) {
  await tabTo(page, field);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type(text);
  await expect(field).toHaveValue(text);
}

/** Tabs to a button or link and activates it with Enter. */
async function press(page: Page, control: Locator) {
  await tabTo(page, control);
  await page.keyboard.press("Enter");
}

/** Starts keyboard navigation from the top of the page: focus on the skip link, the first stop of every page. */
async function fromTop(page: Page) {
  await page.getByRole("link", { name: "Skip to content" }).focus();
}

const publicPages: { url: string; heading: string }[] = [
  { url: "/", heading: "Talk to someone who understands" },
  { url: "/experts", heading: "All experts" },
  { url: "/experts?category=anxiety&language=Yoruba", heading: "Experts in Anxiety & Stress" },
  { url: "/experts?q=nobody-is-called-this", heading: "All experts" },
  { url: "/experts/amara-okafor", heading: "Dr. Amara Okafor" },
  { url: "/privacy", heading: "Privacy policy" },
  { url: "/contact", heading: "Contact us" },
  { url: "/privacy/confirm?request=00000000-0000-4000-8000-000000000000", heading: "Confirm your privacy request" },
  { url: "/login", heading: "Sign in" },
  { url: "/login/code", heading: "Sign in with a code" },
  { url: "/signup", heading: "Create your account" },
  { url: "/forgot-password", heading: "Reset your password" },
  { url: "/verify?email=someone%40example.com", heading: "Check your email" },
  { url: "/reset-password?email=someone%40example.com", heading: "Choose a new password" },
  { url: "/no-such-page", heading: "We can’t find that page" },
  { url: "/help-now", heading: "Get help now" },
];

for (const p of publicPages) {
  test(`${p.url}: no serious or critical axe violations, and every tab stop shows focus`, async ({ page }) => {
    test.setTimeout(60_000);
    await open(page, p.url);
    await expect(page.getByRole("heading", { level: 1, name: p.heading, exact: true })).toBeVisible();
    await expectAccessible(page, p.url);
    await everyTabStopShowsFocus(page);
  });
}

test("the skip link appears when focused and moves focus to the main content", async ({ page }) => {
  await open(page, "/experts");
  await page.keyboard.press("Tab");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await expect(skip).toBeFocused();
  const box = await skip.boundingBox();
  expect(box && box.x >= 0 && box.y >= 0 && box.width > 0).toBe(true);
  await page.keyboard.press("Enter");
  await expect(page.locator("main#main")).toBeFocused();
  // The next Tab goes into the page's own content, not back to the header.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("searchbox", { name: "Search" })).toBeFocused();
});

test("public forms work with the keyboard alone: directory filters, sign-in errors, sign-in code, password reset", async ({
  page,
}) => {
  test.setTimeout(120_000);

  // Directory: type a search, pick a topic and a language by typing, submit with Enter on the button.
  await open(page, "/experts");
  await typeInto(page, page.getByLabel("Search", { exact: true }), "Amara");
  await tabTo(page, page.getByLabel("Topic", { exact: true }));
  await page.keyboard.type("Anxiety");
  await expect(page.getByLabel("Topic", { exact: true })).toHaveValue("anxiety");
  await tabTo(page, page.getByLabel("Language", { exact: true }));
  await page.keyboard.type("Yoruba");
  await expect(page.getByLabel("Language", { exact: true })).toHaveValue("Yoruba");
  await press(page, page.getByRole("button", { name: "Show experts" }));
  await expect(page).toHaveURL(/q=Amara&category=anxiety&language=Yoruba/);
  await expect(page.getByText("1 expert", { exact: true })).toBeVisible();
  await expectAccessible(page, "/experts with a search and both filters");
  // Follow the result and the profile's booking link by keyboard (signed out: the sign-in page).
  await fromTop(page);
  await press(page, page.getByRole("link", { name: "Dr. Amara Okafor" }));
  await expect(page.getByRole("heading", { level: 1, name: "Dr. Amara Okafor" })).toBeVisible();
  await fromTop(page);
  // Signed out, the booker opens all the same (sign-in comes at the confirm step).
  await press(page, page.getByRole("link", { name: "Book a session" }));
  await expect(page.getByRole("heading", { level: 1, name: "Book a session with Dr. Amara Okafor" })).toBeVisible();

  // Sign-in with a wrong password: the error is announced, and the page stays accessible.
  await open(page, "/login");
  await typeInto(page, page.getByLabel("Email", { exact: true }), "nobody-here@example.com");
  await typeInto(page, page.getByLabel("Password", { exact: true }), "not the right password at all");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toBeVisible();
  await expectAccessible(page, "/login with an error");

  // Sign-in code: the first step by keyboard, and the code step's page.
  const stranger = `a11y-nobody-${Date.now()}@example.com`;
  await open(page, "/login/code");
  await typeInto(page, page.getByLabel("Email", { exact: true }), stranger);
  await press(page, page.getByRole("button", { name: "Email me a code" }));
  await expect(page.getByLabel("Code", { exact: true })).toBeVisible();
  await expectAccessible(page, "/login/code, code step");
  await typeInto(page, page.getByLabel("Code", { exact: true }), "12345678");
  await page.keyboard.press("Enter");
  await expect(page.locator(".alert, .field-error").first()).toBeVisible();
  await expectAccessible(page, "/login/code with a wrong code");

  // Forgot password by keyboard.
  await open(page, "/forgot-password");
  await typeInto(page, page.getByLabel("Email", { exact: true }), stranger);
  await press(page, page.getByRole("button", { name: "Send reset email" }));
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page, "/forgot-password, sent");

  // Reset password form (code step) by keyboard: a wrong code is refused with an announced error.
  await open(page, `/reset-password?email=${encodeURIComponent(stranger)}`);
  await typeInto(page, page.getByLabel("Code from the email", { exact: true }), "87654321");
  await typeInto(page, page.getByLabel("New password", { exact: true }), NEW_PASSWORD);
  await press(page, page.getByRole("button", { name: "Save new password" }));
  await expect(page.locator(".alert, .field-error").first()).toBeVisible();
  await expectAccessible(page, "/reset-password with an error");
});

/** Signs in on a new browser context with the password form, by keyboard; returns the context. */
async function keyboardSignIn(browser: Browser, email: string, password: string) {
  const context = await browser.newContext({ baseURL: A11Y_URL, timezoneId: "Asia/Kolkata" });
  const page = await context.newPage();
  await open(page, "/login");
  await typeInto(page, page.getByLabel("Email", { exact: true }), email);
  await typeInto(page, page.getByLabel("Password", { exact: true }), password);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  return context;
}

test("account pages pass axe and every form on them works with the keyboard", async ({ page, browser }) => {
  test.setTimeout(300_000);
  const email = `a11y-${Date.now()}@example.com`;

  // Sign up and confirm the email, keyboard only.
  await open(page, "/signup");
  await typeInto(page, page.getByLabel("Your name", { exact: true }), "Kavya Keyboard");
  await typeInto(page, page.getByLabel("Email", { exact: true }), email);
  await typeInto(page, page.getByLabel("Password", { exact: true }), PASSWORD);
  const t0 = Date.now();
  await press(page, page.getByRole("button", { name: "Create account" }));
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await expectAccessible(page, "/verify");
  const verification = await mailTo(email, "verify-email", t0);
  await typeInto(page, page.getByLabel("Code", { exact: true }), codeFrom(verification.text));
  await press(page, page.getByRole("button", { name: "Confirm email" }));
  await expect(page.getByText("Your email is confirmed")).toBeVisible();

  // Account page: axe, every tab stop, then each form by keyboard.
  await expectAccessible(page, "/account");
  await everyTabStopShowsFocus(page);
  await fromTop(page);
  await typeInto(page, page.getByLabel("Name", { exact: true }), "Kavya K.");
  await page.keyboard.press("Enter");
  await expect(page.getByText("Your name was saved.")).toBeVisible();

  // The picture: the file input opens the chooser from the keyboard (Space), upload and removal by keyboard.
  await fromTop(page);
  await tabTo(page, page.getByLabel("Upload a picture"));
  const chooser = page.waitForEvent("filechooser");
  await page.keyboard.press("Space");
  await (await chooser).setFiles(path.join(import.meta.dirname, "fixtures", "avatar.png"));
  await press(page, page.getByRole("button", { name: "Upload picture" }));
  await expect(page.getByText("Your picture was updated.")).toBeVisible();
  await expectAccessible(page, "/account with a picture");
  await fromTop(page);
  await press(page, page.getByRole("button", { name: "Remove picture" }));
  await expect(page.getByText("Your picture was removed.")).toBeVisible();

  // Reminders: a checkbox toggled with Space.
  await fromTop(page);
  const reminders = page.getByRole("checkbox", { name: /Remind me/ });
  await tabTo(page, reminders);
  await expect(reminders).toBeChecked();
  await page.keyboard.press("Space");
  await expect(reminders).not.toBeChecked();
  await press(page, page.getByRole("button", { name: "Save email settings" }));
  await expect(page.getByText("Session reminders are off.", { exact: false })).toBeVisible();

  // Change email (a fresh sign-in, so no re-authentication yet): request a code, confirm it — keyboard only.
  await open(page, "/account/email");
  await expect(page.getByRole("heading", { name: "Change your email" })).toBeVisible();
  await expectAccessible(page, "/account/email");
  const newEmail = `a11y-moved-${Date.now()}@example.com`;
  await typeInto(page, page.getByLabel("New email", { exact: true }), newEmail);
  const t1 = Date.now();
  await press(page, page.getByRole("button", { name: "Send confirmation code" }));
  await expect(page.getByLabel("Code", { exact: true })).toBeFocused(); // autoFocus on the code step
  await expectAccessible(page, "/account/email, code step");
  const change = await mailTo(newEmail, "change-email", t1);
  await page.keyboard.type(codeFrom(change.text));
  await press(page, page.getByRole("button", { name: "Confirm new email" }));
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);

  // Change password by keyboard.
  await open(page, "/account/password");
  await expectAccessible(page, "/account/password");
  await typeInto(page, page.getByLabel("New password", { exact: true }), NEW_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByText("Your password was changed.")).toBeVisible();
  await expectAccessible(page, "/account/password, changed");

  // Re-authentication page by keyboard (it works whether or not the session is still fresh).
  await open(page, "/reauth?next=%2Faccount");
  await expect(page.getByRole("heading", { name: "Confirm it's you" })).toBeVisible();
  await expectAccessible(page, "/reauth");
  await typeInto(page, page.getByLabel("Password", { exact: true }), NEW_PASSWORD);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();

  // Devices and sessions: two more sign-ins (password form, keyboard), then end them by keyboard.
  const second = await keyboardSignIn(browser, newEmail, NEW_PASSWORD);
  const third = await keyboardSignIn(browser, newEmail, NEW_PASSWORD);
  await open(page, "/account/sessions");
  await expect(page.getByTestId("session-row")).toHaveCount(3);
  await expectAccessible(page, "/account/sessions");
  await fromTop(page);
  await press(
    page,
    page
      .getByTestId("session-row")
      .filter({ hasNotText: "this device" })
      .first()
      .getByRole("button", { name: "Sign out" }),
  );
  await expect(page.getByText("That session was signed out.")).toBeVisible();
  await fromTop(page);
  await press(page, page.getByRole("button", { name: "Sign out all other sessions" }));
  await expect(page.getByText(/Signed out 1 other session/)).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await second.close();
  await third.close();

  // Sign-in with a code (the success path), keyboard only, on a new device.
  const codeContext = await browser.newContext({ baseURL: A11Y_URL });
  const codePage = await codeContext.newPage();
  await open(codePage, "/login/code");
  await typeInto(codePage, codePage.getByLabel("Email", { exact: true }), newEmail);
  const t2 = Date.now();
  await codePage.keyboard.press("Enter");
  await expect(codePage.getByLabel("Code", { exact: true })).toBeFocused();
  const login = await mailTo(newEmail, "login-code", t2);
  await codePage.keyboard.type(codeFrom(login.text));
  await codePage.keyboard.press("Enter");
  await expect(codePage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await codeContext.close();

  // Sign out from the header by keyboard.
  await open(page, "/account");
  await press(page, page.getByRole("navigation", { name: "Main" }).getByRole("button", { name: "Sign out" }));
  await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sign in" })).toBeVisible();
});

/** How many time choices the first `days` days of a slot picker offer (arrow presses to reach the next day). */
async function timesBefore(page: Page, days: number): Promise<number> {
  return page
    .locator(".slot-day")
    .evaluateAll(
      (els, n) => els.slice(0, n).reduce((sum, d) => sum + d.querySelectorAll('input[name="startsAt"]').length, 0),
      days,
    );
}

test("booking pages pass axe, and booking, rescheduling and cancelling work with the keyboard", async ({ page }) => {
  test.setTimeout(180_000);
  // A fresh, confirmed account (sign-up by keyboard is covered above).
  const email = `a11y-booker-${Date.now()}@example.com`;
  await open(page, "/signup");
  await page.getByLabel("Your name", { exact: true }).fill("Bodhi Booker");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const t0 = Date.now();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.getByLabel("Code", { exact: true }).fill(codeFrom((await mailTo(email, "verify-email", t0)).text));
  await page.getByRole("button", { name: "Confirm email" }).click();
  await expect(page.getByText("Your email is confirmed")).toBeVisible();

  // My sessions, empty.
  await open(page, "/sessions");
  await expect(page.getByRole("heading", { name: "My sessions" })).toBeVisible();
  await expectAccessible(page, "/sessions, empty");

  // Booking, keyboard only: the topic, the day and the time are links (Tab to them, Enter to choose).
  await open(page, "/book/amara-okafor");
  await expect(page.getByRole("heading", { name: "Book a session with Dr. Amara Okafor" })).toBeVisible();
  await expect(page.getByTestId("zone-note")).toContainText("Kolkata time");
  await expectAccessible(page, "/book/amara-okafor");
  await everyTabStopShowsFocus(page);
  await fromTop(page);
  await press(page, page.getByRole("link", { name: "Anxiety & Stress" }));
  await expect(page.getByRole("link", { name: "Anxiety & Stress" })).toHaveAttribute("aria-current", "true");
  // A day a few days ahead, so the time can still be changed (the expert's window is 24 hours).
  await fromTop(page);
  await press(page, page.locator("a.cal-day.free").nth(3));
  await expect(page.locator("a.cal-day.free").nth(3)).toHaveAttribute("aria-current", "date");
  await fromTop(page);
  await press(page, page.locator(".slot-button").first());
  await expect(page.getByTestId("booking-summary")).toBeVisible();
  await expectAccessible(page, "/book/amara-okafor, summary");
  // The separate, explicit health-data consent: a checkbox, never pre-ticked.
  const consent = page.locator('input[name="healthConsent"]');
  await expect(consent).not.toBeChecked();
  await tabTo(page, consent);
  await page.keyboard.press("Space");
  await expect(consent).toBeChecked();
  await fromTop(page);
  await press(page, page.getByRole("button", { name: "Confirm booking" }));
  await expect(page.getByRole("heading", { name: "Your session is booked" })).toBeVisible();
  await expectAccessible(page, "/sessions/:id/booked");
  await open(page, "/sessions");
  await expect(page.getByTestId("upcoming-booking")).toHaveCount(1);
  await expectAccessible(page, "/sessions with a booking");

  // Reschedule by keyboard.
  await fromTop(page);
  await press(page, page.getByTestId("upcoming-booking").getByRole("link", { name: "Reschedule" }));
  await expect(page.getByRole("heading", { name: "Reschedule your session" })).toBeVisible();
  await expectAccessible(page, "/sessions/:id/reschedule");
  const later = page.locator(".slot-day").nth(4).locator('input[name="startsAt"]').nth(1);
  await fromTop(page);
  await tabTo(page, page.locator('input[name="startsAt"]').first());
  for (let i = (await timesBefore(page, 4)) + 1; i > 0; i--) await page.keyboard.press("ArrowRight");
  await expect(later).toBeChecked();
  await press(page, page.getByRole("button", { name: "Move my session" }));
  await expect(page.getByRole("heading", { name: "My sessions" })).toBeVisible();
  await expect(page.getByTestId("upcoming-booking")).toHaveCount(1);

  // Cancel by keyboard: the link opens the confirmation as a modal dialog whose first focus is the safe way out;
  // Escape closes it and keeps the session; the button in it cancels.
  await fromTop(page);
  await press(page, page.getByTestId("upcoming-booking").getByRole("link", { name: "Cancel" }));
  const dialog = page.getByRole("dialog", { name: "Cancel this session?" });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole("link", { name: "No, keep it" })).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(dialog).toHaveCount(0);
  await expect(page).toHaveURL((url) => !url.searchParams.has("cancel"));
  await expect(page.getByTestId("upcoming-booking")).toHaveCount(1);
  await fromTop(page);
  await press(page, page.getByTestId("upcoming-booking").getByRole("link", { name: "Cancel" }));
  await expect(dialog).toBeVisible();
  await expect(page.getByRole("button", { name: "Yes, cancel the session" })).toBeVisible();
  await expectAccessible(page, "/sessions, cancel confirmation");
  await fromTop(page);
  await press(page, page.getByRole("button", { name: "Yes, cancel the session" }));
  await expect(page.getByText(/was cancelled/)).toBeVisible();
  await expectAccessible(page, "/sessions after cancelling");
});

test("with prefers-reduced-motion: reduce nothing animates or transitions", async ({ page }) => {
  // An element given a running animation and a transition through the CSSOM (allowed by our CSP, unlike inline
  // styles): with no preference it animates — the probe can see motion — and with `reduce` the stylesheet stops it.
  const probe = async () =>
    page.evaluate(async () => {
      const sheet = Array.from(document.styleSheets).find((s) => s.href?.includes("/build/"));
      if (!sheet) throw new Error("no app stylesheet");
      if (!Array.from(sheet.cssRules).some((r) => r instanceof CSSKeyframesRule && r.name === "a11y-probe")) {
        sheet.insertRule("@keyframes a11y-probe { from { opacity: 0.2; } to { opacity: 1; } }", sheet.cssRules.length);
      }
      const el = document.createElement("div");
      el.textContent = "probe";
      el.style.animation = "a11y-probe 1s linear infinite";
      el.style.transition = "opacity 2s linear";
      document.body.append(el);
      await new Promise((r) => requestAnimationFrame(() => r(null)));
      const style = getComputedStyle(el);
      const probeAnimations = el.getAnimations().length;
      const probeAnimationName = style.animationName;
      const probeTransition = style.transitionDuration;
      el.remove();
      // Every element of the page: no animation name and no transition time.
      const moving = Array.from(document.querySelectorAll("*")).filter((node) => {
        const s = getComputedStyle(node);
        return s.animationName !== "none" || s.transitionDuration.split(",").some((d) => parseFloat(d) > 0);
      }).length;
      return { probeAnimations, probeAnimationName, probeTransition, moving, running: document.getAnimations().length };
    });

  await page.emulateMedia({ reducedMotion: "no-preference" });
  await open(page, "/");
  const normal = await probe();
  expect(normal.probeAnimations).toBeGreaterThan(0);
  expect(normal.probeAnimationName).toBe("a11y-probe");

  await page.emulateMedia({ reducedMotion: "reduce" });
  for (const url of ["/", "/experts", "/experts/amara-okafor", "/login", "/signup"]) {
    await open(page, url);
    await page.getByRole("link", { name: "Find an expert", exact: true }).first().hover();
    const reduced = await probe();
    expect(reduced, url).toEqual({
      probeAnimations: 0,
      probeAnimationName: "none",
      probeTransition: "0s",
      moving: 0,
      running: 0,
    });
  }
});

/** Signed in with the password form (the keyboard path is covered above), in this spec's own address and zone. */
const SIGNED_IN: SignedInOptions = {
  context: { baseURL: A11Y_URL, timezoneId: "Asia/Kolkata" },
  password: DEMO_PASSWORD,
};

test("help (signed in) and the expert's workspace pass axe, and every tab stop shows focus", async ({ browser }) => {
  test.setTimeout(120_000);
  const client = await signedIn(browser, "demo@mindnamo.test", { ...SIGNED_IN, to: "/help" });
  await expect(client.page.getByRole("heading", { level: 1, name: "Help", exact: true })).toBeVisible();
  await expectAccessible(client.page, "/help");
  await everyTabStopShowsFocus(client.page);
  await client.context.close();

  const expert = await signedIn(browser, "amara-okafor@experts.mindnamo.test", { ...SIGNED_IN, to: "/expert" });
  for (const [url, heading] of [
    ["/expert", "Your sessions"],
    ["/expert/profile", "Your profile"],
    ["/expert/availability", "Availability and time off"],
  ] as const) {
    await open(expert.page, url);
    await expect(expert.page.getByRole("heading", { level: 1, name: heading, exact: true })).toBeVisible();
    await expectAccessible(expert.page, url);
    await everyTabStopShowsFocus(expert.page);
  }
  await expert.context.close();
});

test("the back-office console: the two-factor step and every section an admin sees pass axe", async ({ browser }) => {
  test.setTimeout(180_000);
  // The admin demo account (no other spec uses it): the console stays closed until a TOTP code is verified.
  const { context, page } = await signedIn(browser, "admin@mindnamo.test", { ...SIGNED_IN, to: "/admin" });
  await expect(page.getByRole("heading", { level: 1, name: "Two-factor sign-in" })).toBeVisible();
  await expectAccessible(page, "/admin, two-factor step");
  await enrolTotp(page, { beforeCode: () => expectAccessible(page, "/admin, two-factor enrolment") });
  const nav = page.getByRole("navigation", { name: "Back-office" });
  await expect(nav).toBeVisible();
  await expectAccessible(page, "/admin");

  const sections = await nav
    .locator('a[href^="/admin/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
  expect(sections.length, "an admin sees the console's sections").toBeGreaterThanOrEqual(5);
  for (const href of sections) {
    await open(page, href);
    await expect(page.getByRole("navigation", { name: "Back-office" })).toBeVisible();
    await expect(page.locator("h1").first()).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0, { timeout: 15_000 });
    await expectAccessible(page, href);
  }
  // A ticket's page, when the queue has one.
  await open(page, "/admin/tickets");
  const firstTicket = page.locator('main a[href^="/admin/tickets/"]').first();
  if ((await firstTicket.count()) > 0) {
    await firstTicket.click();
    await expect(page.locator("h1#ticket-title")).toBeVisible();
    await expectAccessible(page, "/admin/tickets/:id");
  }
  await context.close();
});
