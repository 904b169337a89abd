import { expect, type Page } from "@playwright/test";

/** Opens a page and waits until React has hydrated it, so clicks go to the app, not a half-loaded page. */
export async function open(page: Page, url: string) {
  await page.goto(url);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
}

/** Playwright options that make a spec's requests come from its own network address (the server trusts one proxy). */
export function network(lastOctet: number) {
  return { extraHTTPHeaders: { "X-Forwarded-For": `198.51.100.${lastOctet}` } };
}
