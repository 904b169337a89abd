import { network, open } from "./helpers.ts";
import { mailTo } from "./outbox.ts";
import { expect, test } from "./test.ts";

test.use(network(12));

// The person books from India; the expert works from Lagos.
test.use({ timezoneId: "Asia/Kolkata" });
test.use({ freshPersonName: "Bela Booker" });

const EXPERT = { email: "amara-okafor@experts.mindnamo.test", password: "calm-harbour-morning-42" };

// Email has no browser to ask for a locale: outside the US zones it writes a 24-hour clock.
const kolkata24 = (iso: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "Asia/Kolkata", hour: "2-digit", minute: "2-digit" }).format(
    new Date(iso),
  );

test("a person finds an expert by topic and language, books in their own time zone, reschedules; the expert sees only name and topic", async ({
  page,
  browser,
  freshPerson,
}) => {
  test.setTimeout(120_000);
  const { email } = freshPerson;

  // Find the expert by topic and language.
  await open(page, "/experts");
  await page.getByLabel("Topic", { exact: true }).selectOption({ label: "Anxiety & Stress" });
  await page.getByLabel("Language", { exact: true }).selectOption("Yoruba");
  await page.getByRole("button", { name: "Show experts" }).click();
  await expect(page.getByText("1 expert", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Dr. Amara Okafor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dr. Amara Okafor" })).toBeVisible();
  await expect(page.getByText("Times in Kolkata time (GMT+5:30).")).toBeVisible();
  await page.getByRole("link", { name: "Book a session" }).click();

  // Times shown in the person's zone, named in words; choose a topic, a day and a time, then confirm.
  await expect(page.getByRole("heading", { name: "Book a session with Dr. Amara Okafor" })).toBeVisible();
  await expect(page.getByTestId("zone-note")).toHaveText("Times are in Kolkata time (GMT+5:30).");
  await page.getByRole("link", { name: "Anxiety & Stress" }).click();
  await expect(page.getByRole("link", { name: "Anxiety & Stress" })).toHaveAttribute("aria-current", "true");
  // A time a few days ahead, so it can still be changed (the expert's cancellation window is 24 hours).
  await page.locator("a.cal-day.free").nth(3).click();
  const first = page.locator(".slot-button").first();
  const localTime = (await first.textContent())!.trim().replace(/\s?[AP]M$/i, "");
  const clock24 = kolkata24((await first.getAttribute("data-starts-at"))!);
  await first.click();
  await expect(page.getByTestId("booking-summary")).toContainText(localTime);
  // The health-data consent is its own step, separate from the terms and never pre-ticked: without it, no booking.
  const consentBox = page.getByRole("checkbox", {
    name: /I explicitly agree that Mind Namo processes health information/,
  });
  await expect(page.getByRole("group", { name: "Your health information" })).toBeVisible();
  await expect(consentBox).not.toBeChecked();
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await expect(page.getByRole("alert")).toContainText("explicit consent to the processing of your health information");
  await expect(page.getByRole("heading", { name: "Your session is booked" })).toHaveCount(0);
  await consentBox.check();
  const t = Date.now();
  await page.getByRole("button", { name: "Confirm booking" }).click();
  await expect(page.getByRole("heading", { name: "Your session is booked" })).toBeVisible();
  await open(page, "/sessions");
  const booking = page.getByTestId("upcoming-booking");
  await expect(booking).toHaveCount(1);
  await expect(booking).toContainText(localTime);
  await expect(booking).toContainText("Kolkata time");

  // The confirmation carries the same local time and a calendar invitation.
  const confirmation = await mailTo(email, "booking-confirmation", t);
  expect(confirmation.text).toContain(clock24);
  expect(confirmation.text).toContain("Kolkata time");
  expect(confirmation.attachments[0]?.filename).toBe("mindnamo-session.ics");

  // Reschedule to the second offered time.
  await booking.getByRole("link", { name: "Reschedule" }).click();
  await expect(page.getByRole("heading", { name: "Reschedule your session" })).toBeVisible();
  const second = page.locator(".slot-day").nth(4).locator('input[name="startsAt"]').nth(1);
  const newLabel = (await second.getAttribute("aria-label"))!;
  const newTime = /(\d{1,2}:\d{2})/.exec(newLabel)![1]!;
  const newClock24 = kolkata24((await second.getAttribute("value"))!);
  await second.check();
  const t2 = Date.now();
  await page.getByRole("button", { name: "Move my session" }).click();
  await expect(page.getByTestId("upcoming-booking")).toContainText(newTime);
  const moved = await mailTo(email, "booking-rescheduled", t2);
  expect(moved.text).toContain(newClock24);

  // The consent is recorded and shown in the privacy center, withdrawable; the next booking form no longer asks.
  await open(page, "/account/privacy");
  await expect(page.getByTestId("health-consent")).toContainText("You gave your consent");
  await open(page, "/book/amara-okafor");
  await expect(page.getByRole("group", { name: "Your health information" })).toHaveCount(0);

  // The expert sees the booking with the client's first name and topic, never the email or surname.
  const expertContext = await browser.newContext({ timezoneId: "Africa/Lagos" });
  const expertPage = await expertContext.newPage();
  await open(expertPage, "/login");
  await expertPage.getByLabel("Email", { exact: true }).fill(EXPERT.email);
  await expertPage.getByLabel("Password", { exact: true }).fill(EXPERT.password);
  await expertPage.getByRole("button", { name: "Sign in" }).click();
  // Experts land in their workspace.
  await expect(expertPage).toHaveURL(/\/expert$/);
  const row = expertPage.getByText("Bela", { exact: true }).first();
  await expect(row).toBeVisible();
  await expect(expertPage.locator("main")).toContainText("Anxiety & Stress");
  await expect(expertPage.locator("main")).not.toContainText(email);
  await expect(expertPage.locator("main")).not.toContainText("Booker");
  await expertContext.close();
});

test("a visitor may look at the times, but confirming asks for an account; the page names the crisis lines", async ({
  page,
}) => {
  await open(page, "/book/amara-okafor?topic=anxiety");
  await page.locator(".slot-button").first().click();
  await expect(page.getByRole("button", { name: "Confirm booking" })).toHaveCount(0);
  await expect(page.getByRole("link", { name: "Create an account to confirm" })).toBeVisible();
  // A forged post without a session books nothing: it is sent to sign in.
  const res = await page.request.post("/book/amara-okafor", {
    form: { categorySlug: "anxiety", startsAt: new Date(Date.now() + 7 * 86_400_000).toISOString() },
    headers: { Origin: new URL(page.url()).origin },
    maxRedirects: 0,
  });
  expect([302, 303]).toContain(res.status());
  expect(res.headers()["location"]).toMatch(/^\/login\?next=/);
  await open(page, "/experts/amara-okafor");
  // The shared (cached) profile links to the regional lines; /help-now names them.
  await page.getByRole("complementary", { name: "Crisis help" }).getByRole("link", { name: "Get help now" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Get help now" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Call / }).first()).toBeVisible();
});
