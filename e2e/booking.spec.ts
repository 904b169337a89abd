import { expect, test, type Page } from "@playwright/test";
import { network, open } from "./helpers.ts";
import { mailTo } from "./outbox.ts";

test.use(network(12));

// The person books from India; the expert works from Lagos.
test.use({ timezoneId: "Asia/Kolkata" });

const PASSWORD = "a steady boat on calm water";
const EXPERT = { email: "amara-okafor@experts.mindnamo.test", password: "calm-harbour-morning-42" };

async function signUp(page: Page, name: string, email: string) {
  await open(page, "/signup");
  await page.getByLabel("Your name", { exact: true }).fill(name);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  const t = Date.now();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const mail = await mailTo(email, "verify-email", t);
  await page.getByLabel("Code", { exact: true }).fill(/(\d{4}) (\d{4})/.exec(mail.text)!.slice(1).join(""));
  await page.getByRole("button", { name: "Confirm email" }).click();
  await expect(page.getByText("Your email is confirmed")).toBeVisible();
}

test("a person finds an expert by topic and language, books in their own time zone, reschedules; the expert sees only name and topic", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const email = `booker-${Date.now()}@example.com`;
  await signUp(page, "Bela Booker", email);

  // Find the expert by topic and language.
  await open(page, "/experts");
  await page.getByLabel("Topic", { exact: true }).selectOption({ label: "Anxiety & Stress" });
  await page.getByLabel("Language", { exact: true }).selectOption("Yoruba");
  await page.getByRole("button", { name: "Show experts" }).click();
  await expect(page.getByText("1 expert", { exact: true })).toBeVisible();
  await page.getByRole("link", { name: "Dr. Amara Okafor" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Dr. Amara Okafor" })).toBeVisible();
  await expect(page.getByText("Times in your time zone (GMT+5:30)")).toBeVisible();
  await page.getByRole("link", { name: "Book a session" }).click();

  // Times shown in the person's zone; choose a topic and the first time.
  await expect(page.getByRole("heading", { name: "Book a session with Dr. Amara Okafor" })).toBeVisible();
  // Chromium names the zone by its older alias, Asia/Calcutta.
  await expect(
    page.getByText(/Times are shown in your time zone: Asia\/(Kolkata|Calcutta) \(GMT\+5:30\)/),
  ).toBeVisible();
  await page.getByRole("radio", { name: "Anxiety & Stress" }).check();
  // A time a few days ahead, so it can still be changed (the expert's cancellation window is 24 hours).
  const first = page.locator(".slot-day").nth(3).locator('input[name="startsAt"]').first();
  const label = (await first.getAttribute("aria-label"))!;
  const localTime = /(\d{2}:\d{2})–/.exec(label)![1]!;
  await first.check();
  const t = Date.now();
  await page.getByRole("button", { name: "Book this session" }).click();
  await expect(page.getByText("Your session is booked.")).toBeVisible();
  const booking = page.getByTestId("upcoming-booking");
  await expect(booking).toHaveCount(1);
  await expect(booking).toContainText(localTime);
  await expect(booking).toContainText("GMT+5:30");

  // The confirmation carries the same local time and a calendar invitation.
  const confirmation = await mailTo(email, "booking-confirmation", t);
  expect(confirmation.text).toContain(localTime);
  expect(confirmation.text).toContain("GMT+5:30");
  expect(confirmation.attachments[0]?.filename).toBe("mindnamo-session.ics");

  // Reschedule to the second offered time.
  await booking.getByRole("link", { name: "Reschedule" }).click();
  await expect(page.getByRole("heading", { name: "Reschedule your session" })).toBeVisible();
  const second = page.locator(".slot-day").nth(4).locator('input[name="startsAt"]').nth(1);
  const newLabel = (await second.getAttribute("aria-label"))!;
  const newTime = /(\d{2}:\d{2})–/.exec(newLabel)![1]!;
  await second.check();
  const t2 = Date.now();
  await page.getByRole("button", { name: "Move my session" }).click();
  await expect(page.getByTestId("upcoming-booking")).toContainText(newTime);
  const moved = await mailTo(email, "booking-rescheduled", t2);
  expect(moved.text).toContain(newTime);

  // The expert sees the booking with the client's name and topic, never the email.
  const expertContext = await browser.newContext({ timezoneId: "Africa/Lagos" });
  const expertPage = await expertContext.newPage();
  await open(expertPage, "/login");
  await expertPage.getByLabel("Email", { exact: true }).fill(EXPERT.email);
  await expertPage.getByLabel("Password", { exact: true }).fill(EXPERT.password);
  await expertPage.getByRole("button", { name: "Sign in" }).click();
  await expect(expertPage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await open(expertPage, "/expert");
  const row = expertPage.getByText("Bela Booker").first();
  await expect(row).toBeVisible();
  await expect(expertPage.locator("main")).toContainText("Anxiety & Stress");
  await expect(expertPage.locator("main")).not.toContainText(email);
  await expertContext.close();
});

test("the booking page is for signed-in people and names the crisis lines", async ({ page }) => {
  await open(page, "/book/amara-okafor");
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await open(page, "/experts/amara-okafor");
  // The shared (cached) profile links to the regional lines; /help-now names them.
  await page.getByRole("complementary", { name: "Crisis help" }).getByRole("link", { name: "Get help now" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Get help now" })).toBeVisible();
  await expect(page.getByRole("link", { name: /^Call / }).first()).toBeVisible();
});
