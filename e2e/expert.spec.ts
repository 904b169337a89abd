import { expect, test } from "@playwright/test";
import { network, open } from "./helpers.ts";

test.use(network(14));

// The demo expert (prisma/seed.ts) works from Lagos.
const EXPERT = { email: "amara-okafor@experts.mindnamo.test", password: "calm-harbour-morning-42" };

/** A date `days` from now as YYYY-MM-DD (far enough ahead that time zones do not change the day). */
const dayFromNow = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

test("the expert edits their headline, adds a weekly window and a day off, and sees them listed", async ({ page }) => {
  test.setTimeout(60_000);
  await open(page, "/login?next=/expert");
  await page.getByLabel("Email", { exact: true }).fill(EXPERT.email);
  await page.getByLabel("Password", { exact: true }).fill(EXPERT.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your sessions" })).toBeVisible();
  await expect(page.getByText("Times are in your time zone: Lagos time (GMT+1)")).toBeVisible();
  await expect(page.getByRole("link", { name: "Expert workspace" })).toBeVisible();

  // The headline: saved, shown in the form, and on the public profile.
  const workspace = page.getByRole("navigation", { name: "Expert workspace" });
  await workspace.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Your profile" })).toBeVisible();
  const headline = page.getByLabel("Headline", { exact: true });
  const original = await headline.inputValue();
  const newHeadline = `Warm, practical help with anxiety ${Date.now() % 1000}`;
  await headline.fill(newHeadline);
  // A mistake elsewhere in the form keeps what was typed, and says what to fix.
  const zone = page.getByLabel("Time zone", { exact: true });
  await zone.fill("Lagoss");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText('"Lagoss" is not a time zone we know.')).toBeVisible();
  await expect(zone).toHaveAttribute("aria-invalid", "true");
  await expect(headline).toHaveValue(newHeadline);
  // A city in words is enough: the zone's name is stored.
  await zone.fill("Lagos");
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile was saved.")).toBeVisible();
  await expect(headline).toHaveValue(newHeadline);
  await page.reload();
  await expect(page.getByLabel("Time zone", { exact: true })).toHaveValue("Africa/Lagos");
  await open(page, "/experts/amara-okafor");
  await expect(page.getByText(newHeadline)).toBeVisible();

  // A weekly window on Sunday evening, in the expert's own time zone, with the keyboard.
  await open(page, "/expert/availability");
  await expect(page.getByRole("heading", { level: 1, name: "Availability and time off" })).toBeVisible();
  const sunday = page.getByTestId("day-Sunday");
  await expect(sunday).toContainText("Not available");
  await page.getByLabel("Day", { exact: true }).selectOption({ label: "Sunday" });
  await page.getByLabel("From", { exact: true }).fill("19:00");
  await page.getByLabel("Until", { exact: true }).fill("18:00");
  await page.getByLabel("Until", { exact: true }).press("Enter");
  await expect(page.getByText("The window must end after it starts.")).toBeVisible();
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("19:00");
  await page.getByLabel("From", { exact: true }).fill("18:00");
  await page.getByLabel("Until", { exact: true }).fill("20:00");
  await page.getByRole("button", { name: "Add window" }).click();
  await expect(page.getByText("Added Sunday 18:00–20:00.")).toBeVisible();
  await expect(sunday.getByTestId("window")).toHaveText(/18:00–20:00/);
  // The form is ready for the next window.
  await expect(page.getByLabel("From", { exact: true })).toHaveValue("");

  // A day off, two months ahead.
  const day = dayFromNow(60);
  await page.getByLabel("First day", { exact: true }).fill(day);
  await page.getByLabel("Last day", { exact: true }).fill(day);
  await page.getByLabel("Note (optional)", { exact: true }).fill("Day off");
  await page.getByRole("button", { name: "Add time off" }).click();
  await expect(page.getByText("Your time off was added.")).toBeVisible();
  const timeOff = page.getByTestId("time-off");
  await expect(timeOff).toHaveCount(1);
  await expect(timeOff).toContainText("(whole day)");
  await expect(timeOff).toContainText("Day off");
  const expected = new Intl.DateTimeFormat("en-GB", {
    timeZone: "UTC",
    day: "numeric",
    month: "short",
    year: "numeric",
  }).format(new Date(`${day}T12:00:00Z`));
  await expect(timeOff).toContainText(expected);

  // Both are still there after a reload.
  await open(page, "/expert/availability");
  await expect(sunday.getByTestId("window")).toHaveText(/18:00–20:00/);
  await expect(page.getByTestId("time-off")).toContainText("(whole day)");

  // Leave the demo expert as we found them for the other journeys.
  await page.getByRole("button", { name: "Remove time off" }).click();
  await expect(page.getByText("No time off planned.")).toBeVisible();
  await sunday.getByRole("button", { name: /Remove Sunday 18:00–20:00/ }).click();
  await expect(sunday).toContainText("Not available");
  await open(page, "/expert/profile");
  await page.getByLabel("Headline", { exact: true }).fill(original);
  await page.getByRole("button", { name: "Save profile" }).click();
  await expect(page.getByText("Your profile was saved.")).toBeVisible();
});

test("a signed-in client cannot open the expert workspace", async ({ page }) => {
  // The demo user (prisma/seed.ts) is a client account.
  await open(page, "/login?next=/expert");
  await page.getByLabel("Email", { exact: true }).fill("demo@mindnamo.test");
  await page.getByLabel("Password", { exact: true }).fill(EXPERT.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "This area is for experts" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Expert workspace" })).toHaveCount(0);
});
