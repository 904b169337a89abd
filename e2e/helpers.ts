import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateTOTP } from "@oslojs/otp";
import { expect, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
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

/**
 * Where a sign-in goes: a path is sent as the form's `next` and is where it lands. `{ lands }` opens /login without
 * a `next`, as a person who clicked "Sign in" does, and waits for the role's own landing page: `lands` when given,
 * else any page but /login.
 */
export type SignInTo = string | { lands?: string };

/**
 * Signs in with the password form (the e2e accounts share one password) and waits until it lands where `to` says
 * and React has hydrated the page, so the spec's next click goes to the app.
 */
export async function signIn(page: Page, email: string, to: SignInTo, password = E2E_PASSWORD) {
  await open(page, typeof to === "string" ? `/login?next=${encodeURIComponent(to)}` : "/login");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  const lands = typeof to === "string" ? to : to.lands;
  if (lands === undefined) await expect(page).not.toHaveURL(/\/login/);
  else await page.waitForURL(`**${lands}`);
  await expect(page.locator("html[data-hydrated]")).toHaveCount(1, { timeout: 15_000 });
}

export interface Enrolment {
  /** The authenticator's key, to compute codes with later. */
  secret: string;
  /** The recovery codes, shown only once. */
  codes: string[];
}

export interface EnrolOptions {
  /** Runs while the QR code and key are on screen, before the code is typed (a screenshot, an axe check). */
  beforeCode?: (secret: string) => Promise<void>;
}

/**
 * Passes the console's TOTP enrolment the way a person with an authenticator app does: set it up, enter the
 * current code computed from the shown key, note the recovery codes and confirm they were saved. The signed-in
 * staff member must be on the console's two-factor step.
 */
export async function enrolTotp(page: Page, opts: EnrolOptions = {}): Promise<Enrolment> {
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  await expect(page.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  const secret = (await page.getByTestId("totp-secret").textContent()) ?? "";
  await opts.beforeCode?.(secret);
  await page.getByLabel("Code from your app").fill(generateTOTP(decodeBase32IgnorePadding(secret), 30, 6));
  await page.getByRole("button", { name: "Verify" }).click();
  // The ten codes appear together once the code is accepted; read them only then.
  const shown = page.getByTestId("recovery-codes").locator("code");
  await expect(shown).toHaveCount(10);
  const codes = (await shown.allTextContents()).map((c) => c.trim());
  await page.getByRole("button", { name: "I have saved my recovery codes" }).click();
  return { secret, codes };
}

export interface SignedInOptions {
  /** Options of the new browser context (the spec's `network` address, viewport, base URL, time zone). */
  context?: BrowserContextOptions;
  /** Runs on the new context before its first page (e.g. a stored consent choice). */
  prepare?: (context: BrowserContext) => Promise<void>;
  /** Where the sign-in goes (see `SignInTo`); the console, /admin, when not given. */
  to?: SignInTo;
  /** Defaults to the password the e2e accounts share. */
  password?: string;
  /** Enrol an authenticator app once signed in (staff, on the console's two-factor step). */
  enrol?: boolean | EnrolOptions;
}

export interface SignedIn {
  context: BrowserContext;
  page: Page;
}

/**
 * A new browser context signed in as `email` (one person on one device), enrolled in TOTP when `enrol` asks.
 * The caller closes the context; if signing in fails it is closed here.
 */
export async function signedIn(
  browser: Browser,
  email: string,
  opts: SignedInOptions & { enrol: true | EnrolOptions },
): Promise<SignedIn & Enrolment>;
export async function signedIn(browser: Browser, email: string, opts?: SignedInOptions): Promise<SignedIn>;
export async function signedIn(
  browser: Browser,
  email: string,
  opts: SignedInOptions = {},
): Promise<SignedIn | (SignedIn & Enrolment)> {
  const context = await browser.newContext(opts.context);
  try {
    await opts.prepare?.(context);
    const page = await context.newPage();
    await signIn(page, email, opts.to ?? "/admin", opts.password);
    if (!opts.enrol) return { context, page };
    return { context, page, ...(await enrolTotp(page, opts.enrol === true ? {} : opts.enrol)) };
  } catch (error) {
    await context.close();
    throw error;
  }
}
