import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { expect, type Page } from "@playwright/test";
import { E2E_PASSWORD } from "./fixtures/world.ts";

/** Opens a page and waits until React has hydrated it, so clicks go to the app, not a half-loaded page. */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
}

/** Playwright options that make a spec's requests come from its own network address (the server trusts one proxy). */
export function network(lastOctet: number) {
  return { extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${lastOctet}` } };
}

/** Signs in with the password form (the e2e accounts share one password) and waits until it lands on `next`. */
export async function signIn(page: Page, email: string, next: string, password = E2E_PASSWORD) {
  await open(page, `/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(`**${next}`);
}

/**
 * Passes the console's TOTP enrolment the way a person with an authenticator app does: set it up, enter the
 * current code computed from the shown secret, confirm the recovery codes were saved.
 */
export async function enrolTotp(page: Page) {
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  await page.getByLabel("Code from your app").fill(generateTOTP(decodeBase32IgnorePadding(secret), 30, 6));
  await page.getByRole("button", { name: "Verify" }).click();
  await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
}
