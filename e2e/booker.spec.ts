import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_URL } from "./env.ts";
import { network, open } from "./helpers.ts";
import { mailTo } from "./outbox.ts";

// The booker as a new visitor meets it: times in their own zone from the first paint, the journey through
// sign-up that keeps the chosen topic and time, the confirmation page and its discreet calendar file.
test.use(network(41));

const PASSWORD = "a steady boat on calm water";
// Amara works from Lagos: her hours are New York's night and early morning.
const EXPERT = "amara-okafor";

async function visitor(browser: Browser, timezoneId: string, locale = "en-US") {
  const context = await browser.newContext({ timezoneId, locale, ...network(41) });
  return { context, page: await context.newPage() };
}

/** The booker's shown times: every slot button and the zone note. */
async function shownTimes(page: Page) {
  return {
    slots: await page.locator(".slot-button").allTextContents(),
    note: (await page.getByTestId("zone-note").textContent()) ?? "",
  };
}

test("a visitor chooses a topic and time, signs up with a code, comes back to the same choice, confirms and sees the confirmation page", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const { context, page } = await visitor(browser, "America/New_York");
  await open(page, `/experts/${EXPERT}`);
  await page.getByRole("link", { name: "Book a session" }).click();
  await expect(page.getByRole("heading", { name: /Book a session with/ })).toBeVisible();
  await expect(page.getByTestId("zone-note")).toHaveText("Times are in New York time (GMT-5).");

  // Topic, a day with free times, a time: each is a link, so the choice lives in the address.
  await page.getByRole("link", { name: "Anxiety & Stress" }).click();
  await expect(page.getByRole("link", { name: "Anxiety & Stress" })).toHaveAttribute("aria-current", "true");
  const day = page.locator("a.cal-day.free").nth(2);
  const date = new URL((await day.getAttribute("href"))!, E2E_URL).searchParams.get("date");
  await day.click();
  // The first free day is pre-selected: wait for the chosen day's times before reading one.
  await expect(page).toHaveURL((url) => url.searchParams.get("date") === date);
  const slot = page.locator(".slot-button").first();
  const startsAt = (await slot.getAttribute("data-starts-at"))!;
  const time = (await slot.textContent())!.trim();
  expect(time).toMatch(/^\d{1,2}:\d{2}\s?[AP]M$/); // 12-hour clock for en-US
  await slot.click();
  const summary = page.getByTestId("booking-summary");
  await expect(summary).toContainText("Anxiety & Stress");
  await expect(summary).toContainText(time);
  await expect(summary).toContainText("New York time");

  // Sign up from the summary; the emailed code brings the person back to the same choice.
  const email = `booker-${Date.now()}@example.com`;
  await page.getByRole("link", { name: "Create an account to confirm" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Your name", { exact: true }).fill("Nora Newyork");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const t = Date.now();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const code = /(\d{4}) (\d{4})/
    .exec((await mailTo(email, "verify-email", t)).text)!
    .slice(1)
    .join("");
  await page.getByLabel("Code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Confirm email" }).click();

  await expect(page).toHaveURL(
    (url) => url.pathname === `/book/${EXPERT}` && url.searchParams.get("start") === startsAt,
  );
  await expect(summary).toContainText("Anxiety & Stress");
  await expect(summary).toContainText(time);
  // A topic is health data: a new person gives its separate, explicit consent before confirming.
  await page.getByRole("checkbox", { name: /I explicitly agree that Mind Namo processes health information/ }).check();
  const t2 = Date.now();
  await page.getByRole("button", { name: "Confirm booking" }).click();

  // The confirmation page: the same time in the person's zone, what happens next, the rules, crisis help.
  await expect(page.getByRole("heading", { name: "Your session is booked" })).toBeVisible();
  const booked = page.getByTestId("booked");
  await expect(booked).toContainText("Anxiety & Stress");
  await expect(booked).toContainText(time.replace(/\s?[AP]M$/, ""));
  await expect(booked).toContainText("New York time");
  await expect(page.getByRole("heading", { name: "What happens next" })).toBeVisible();
  await expect(page.getByText(/reschedule or cancel for free up to \d+ hours before/)).toBeVisible();
  await expect(page.getByRole("heading", { name: "In crisis or need help right now?" })).toBeVisible();

  // The calendar file is discreet: "Mind Namo session", no expert, no topic.
  const href = (await page.getByRole("link", { name: "Add to calendar" }).getAttribute("href"))!;
  const ics = await (await page.request.get(href)).text();
  expect(ics).toMatch(/^SUMMARY:Mind Namo session\r?$/m);
  expect(ics).not.toContain("Amara");
  expect(ics).not.toContain("Anxiety");
  // So is the confirmation email, and its own invitation.
  const mail = await mailTo(email, "booking-confirmation", t2);
  expect(mail.subject).toBe("Mind Namo session booked");
  expect(mail.text).not.toContain("Amara");
  expect(mail.text).toContain("New York time");

  // Signed out, the calendar file is not handed out: the request is sent to sign in.
  const other = await browser.newContext(network(41));
  const otherPage = await other.newPage();
  expect((await otherPage.request.get(`${E2E_URL}${href}`, { maxRedirects: 0 })).status()).toBe(302);
  await other.close();
  await context.close();
});

test("a time chosen on the profile opens the booking page on that day with that time chosen", async ({ browser }) => {
  const { context, page } = await visitor(browser, "Europe/London", "en-GB");
  await open(page, `/experts/${EXPERT}`);
  const times = page.getByTestId("next-slots");
  await expect(times).toBeVisible();
  // Each time is a link named with its day, so a screen reader's list of links still says when it is.
  const day = (await times.getByRole("heading").first().textContent())!.trim();
  const first = times.getByRole("link").first();
  // What a sighted person reads: the time alone (the day is said only to screen readers).
  const time = (await first.evaluate((a) => a.lastChild?.textContent ?? "")).trim();
  expect(time).toMatch(/^\d{2}:\d{2}$/); // 24-hour clock for en-GB
  await expect(first).toHaveAccessibleName(`Book ${day}, ${time}`);
  await first.click();

  await expect(page.getByRole("heading", { name: /Book a session with/ })).toBeVisible();
  await expect(page.locator(".slot-button[aria-current='true']")).toHaveText(time);
  const summary = page.getByTestId("booking-summary");
  await expect(summary).toContainText(day);
  await expect(summary).toContainText(time);
  await expect(summary).toContainText("London time");
  // Amara works in two topics: the topic is still the booker's to choose.
  await expect(summary).toContainText("Choose a topic above");
  await context.close();
});

test("while another day's times load, the slot column shows placeholders, not the previous day's times", async ({
  browser,
}) => {
  const { context, page } = await visitor(browser, "America/New_York");
  await open(page, `/book/${EXPERT}`);
  await expect(page.getByTestId("slot-list")).toBeVisible();
  // Hold the next day's data so the in-between state can be seen (a slow phone network sees it for real).
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    // Remix's single fetch asks for a page's data at <path>.data.
    (url) => url.pathname === `/book/${EXPERT}.data`,
    async (route) => {
      await held;
      await route.continue();
    },
  );
  const day = page.locator("a.cal-day.free").nth(1);
  const date = new URL((await day.getAttribute("href"))!, E2E_URL).searchParams.get("date");
  await day.click();
  await expect(page.getByTestId("slots-loading")).toBeVisible();
  await expect(page.getByTestId("slot-list")).toHaveCount(0);
  await expect(page.locator(".booker-slots")).toHaveAttribute("aria-busy", "true");
  await expect(page.getByText("Loading the free times of the day you chose…")).toBeAttached();
  release();
  await expect(page.getByTestId("slot-list")).toBeVisible();
  await expect(page.getByTestId("slots-loading")).toHaveCount(0);
  await expect(page).toHaveURL((url) => url.searchParams.get("date") === date);
  await context.close();
});

test("the zone picker changes every shown time, and the chosen zone follows the visitor to the profile", async ({
  browser,
}) => {
  const { context, page } = await visitor(browser, "America/New_York");
  await open(page, `/book/${EXPERT}`);
  await page.locator("a.cal-day.free").first().click();
  const before = await shownTimes(page);
  expect(before.note).toContain("New York time");
  expect(before.slots.length).toBeGreaterThan(0);

  // The suggestions are built when the field is first used, not while the page loads (they cost a slow phone
  // a few hundred milliseconds).
  await expect(page.locator("#tz-options option")).toHaveCount(0);
  await page.getByLabel("Time zone").focus();
  await expect(page.locator('#tz-options option[value^="Kolkata time"]')).toHaveCount(1);
  await page.getByLabel("Time zone").fill("Kolkata");
  await page.getByRole("button", { name: "Show times" }).click();
  await expect(page.getByTestId("zone-note")).toHaveText("Times are in Kolkata time (GMT+5:30).");
  await page.locator("a.cal-day.free").first().click();
  const after = await shownTimes(page);
  // Not one shown time is the same clock reading as before (New York and Kolkata are 10.5 hours apart).
  for (const s of after.slots) expect(before.slots).not.toContain(s);

  // 24-hour clock on request.
  await page.getByRole("link", { name: "24h" }).click();
  await expect(page.locator(".slot-button").first()).toHaveText(/^\d{2}:\d{2}$/);

  await open(page, `/experts/${EXPERT}`);
  await expect(page.getByText("Times in Kolkata time (GMT+5:30).")).toBeVisible();
  await context.close();
});

for (const zone of [
  { id: "America/New_York", words: "New York time" },
  { id: "Asia/Kolkata", words: "Kolkata time" },
]) {
  test(`a first visit from ${zone.id} never shows a UTC time: a placeholder, then the visitor's own zone`, async ({
    browser,
  }) => {
    const { context, page } = await visitor(browser, zone.id, "en-GB");
    const documents: string[] = [];
    page.on("response", async (r) => {
      if (r.request().resourceType() === "document") documents.push(await r.text());
    });
    await open(page, `/experts/${EXPERT}`);
    // The page the server sent before it knew the zone carries no time at all.
    expect(documents[0]).toContain('data-testid="times-placeholder"');
    expect(documents[0]).not.toMatch(/\b\d{2}:\d{2}\b/);
    expect(documents[0]).not.toMatch(/\bUTC\b|GMT\+0\b/);
    // Then the times, in the visitor's own zone.
    await expect(page.getByText(`Times in ${zone.words}`)).toBeVisible();
    await expect(page.getByTestId("next-slots")).toBeVisible();

    await open(page, `/book/${EXPERT}`);
    await expect(page.getByTestId("zone-note")).toContainText(zone.words);
    await expect(page.locator("main")).not.toContainText(/\bUTC\b/);
    const cookies = await context.cookies();
    // The one cookie a visitor gets holds only the zone, for this browser session (no expiry, no identifier).
    expect(cookies.map((c) => [c.name, c.expires])).toEqual([["mn_tz", -1]]);
    await context.close();
  });
}

test("an expert with no times in a Kolkata visitor's daytime says so and offers experts who have some", async ({
  browser,
}) => {
  // Hiroshi works mornings in Tokyo: the small hours in Kolkata.
  const { context, page } = await visitor(browser, "Asia/Kolkata", "en-IN");
  await open(page, "/book/hiroshi-tanaka");
  const notice = page.getByTestId("no-daytime");
  await expect(notice).toContainText("has no free times between 8 am and 9 pm Kolkata time");
  const offered = notice.getByRole("link");
  expect(await offered.count()).toBeGreaterThan(0);
  await offered.first().click();
  await expect(page.getByRole("heading", { name: /Book a session with/ })).toBeVisible();
  await expect(page.getByTestId("no-daytime")).toHaveCount(0);
  await context.close();
});
