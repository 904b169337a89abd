// The journeys' Playwright `test`, extended with the people most specs need, so each spec asks for them instead
// of repeating the steps. Import `test` and `expect` from here.
//   staffConsole(email, opts): a new browser context signed in as that staff account with TOTP enrolled (the
//     console open), closed after the test.
//   freshPerson: a person signed up through the real form and verified with the emailed code, in `page`; named
//     by the `freshPersonName` option (test.use), with their own new address.
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import { network, open, signedIn } from "./helpers.ts";
import { mailTo } from "./outbox.ts";

export { expect };

export interface StaffConsoleOptions {
  /** The spec's own network address (helpers.ts `network`). */
  octet?: number;
  /** Runs on the new context before the first page (e.g. a stored consent choice). */
  prepare?: (context: BrowserContext) => Promise<void>;
}

export interface FreshPerson {
  name: string;
  email: string;
  password: string;
}

const FRESH_PASSWORD = "a steady boat on calm water";
let people = 0;

export const test = base.extend<{
  staffConsole: (email: string, opts?: StaffConsoleOptions) => Promise<Page>;
  freshPerson: FreshPerson;
  freshPersonName: string;
}>({
  freshPersonName: ["Fresh Person", { option: true }],
  staffConsole: async ({ browser }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email, opts = {}) => {
      const { context, page } = await signedIn(browser, email, {
        context: opts.octet === undefined ? {} : network(opts.octet),
        prepare: opts.prepare,
        enrol: true,
      });
      contexts.push(context);
      await expect(page.getByText(/^Welcome, /)).toBeVisible();
      return page;
    });
    for (const context of contexts) await context.close();
  },
  freshPerson: async ({ page, freshPersonName }, use, testInfo) => {
    const person = {
      name: freshPersonName,
      email: `fresh-${testInfo.workerIndex}-${Date.now()}-${++people}@example.com`,
      password: FRESH_PASSWORD,
    };
    await open(page, "/signup");
    await page.getByLabel("Your name", { exact: true }).fill(person.name);
    await page.getByLabel("Email", { exact: true }).fill(person.email);
    await page.getByLabel("Password", { exact: true }).fill(person.password);
    const sent = Date.now();
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
    const mail = await mailTo(person.email, "verify-email", sent);
    await page.getByLabel("Code", { exact: true }).fill(/(\d{4}) (\d{4})/.exec(mail.text)!.slice(1).join(""));
    await page.getByRole("button", { name: "Confirm email" }).click();
    await expect(page.getByText("Your email is confirmed")).toBeVisible();
    await use(person);
  },
});
