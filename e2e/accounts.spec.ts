import path from "node:path";
import { network, open } from "./helpers.ts";
import { expect, test, type Page } from "@playwright/test";
import { latestMailTo, mailTo } from "./outbox.ts";

test.use(network(11));

const PASSWORD = "gentle rain on a tin roof";
const NEW_PASSWORD = "morning light through pines";

function codeFrom(text: string): string {
  const m = /(\d{4}) (\d{4})/.exec(text);
  if (!m) throw new Error("no code in mail");
  return `${m[1]}${m[2]}`;
}

async function signInWithPassword(page: Page, email: string, password: string) {
  await open(page, "/login");
  await expect(page.getByRole("heading", { name: "Sign in", exact: true })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("a person's account, from sign-up to password reset", async ({ page, browser }) => {
  test.setTimeout(90_000);
  const email = `journey-${Date.now()}@example.com`;
  const newEmail = `moved-${Date.now()}@example.com`;

  // Sign up, read the code from the outbox, verify.
  await open(page, "/");
  await page.getByRole("link", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Create your account" })).toBeVisible();
  await page.getByLabel("Your name", { exact: true }).fill("Jo Journey");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill("password");
  let t = Date.now();
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("one of the most common")).toBeVisible();
  await expect(page.getByLabel("Your name", { exact: true })).toHaveValue("Jo Journey"); // nothing typed is lost
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  const verify = await mailTo(email, "verify-email", t, 5_000);
  await page.getByLabel("Code", { exact: true }).fill(codeFrom(verify.text));
  await page.getByRole("button", { name: "Confirm email" }).click();
  await expect(page.getByText("Your email is confirmed")).toBeVisible();

  // Log out, log in with the password.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await signInWithPassword(page, email, "not my password");
  await expect(page.getByText("The email or password is not right")).toBeVisible();
  await signInWithPassword(page, email, PASSWORD);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();

  // Log out, log in with an emailed code.
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await open(page, "/login");
  await page.getByRole("link", { name: "Email me a sign-in code instead" }).click();
  await expect(page.getByRole("heading", { name: "Sign in with a code" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(email);
  t = Date.now();
  await page.getByRole("button", { name: "Email me a code" }).click();
  const login = await mailTo(email, "login-code", t, 5_000);
  await page.getByLabel("Code", { exact: true }).fill(codeFrom(login.text));
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();

  // Edit the profile and upload a picture.
  await page.getByLabel("Name", { exact: true }).fill("Jo J. Journey");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByText("Your name was saved.")).toBeVisible();
  await page
    .getByLabel("Upload a picture", { exact: true })
    .setInputFiles(path.join(import.meta.dirname, "fixtures/avatar.png"));
  await page.getByRole("button", { name: "Upload picture" }).click();
  await expect(page.getByText("Your picture was updated.")).toBeVisible();
  // The alt is the person's name (jsx-a11y forbids "picture" in an alt); the region names what it is.
  const img = page
    .getByRole("region", { name: "Profile picture" })
    .getByRole("img", { name: "Jo J. Journey", exact: true });
  await expect(img).toBeVisible();
  expect(await img.evaluate((el: HTMLImageElement) => el.naturalWidth)).toBe(512);

  // Another device signs in; see it and revoke it.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signInWithPassword(otherPage, email, PASSWORD);
  await expect(otherPage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await open(page, "/account/sessions");
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await page
    .getByTestId("session-row")
    .filter({ hasNotText: "this device" })
    .getByRole("button", { name: "Sign out" })
    .click();
  await expect(page.getByText("That session was signed out.")).toBeVisible();
  await expect(page.getByTestId("session-row")).toHaveCount(1);
  await open(otherPage, "/account");
  await expect(otherPage.getByRole("heading", { name: "Sign in" })).toBeVisible();

  // Change the email: a code goes to the new address.
  await open(page, "/account");
  await page.getByRole("link", { name: "Change email" }).click();
  await expect(page.getByRole("heading", { name: "Change your email" })).toBeVisible();
  // Signed in within 10 minutes: no re-authentication needed yet.
  await page.getByLabel("New email", { exact: true }).fill(newEmail);
  t = Date.now();
  await page.getByRole("button", { name: "Send confirmation code" }).click();
  const change = await mailTo(newEmail, "change-email", t, 5_000);
  await page.getByLabel("Code", { exact: true }).fill(codeFrom(change.text));
  await page.getByRole("button", { name: "Confirm new email" }).click();
  await expect(page.getByTestId("account-email")).toHaveText(newEmail);
  await expect(async () => expect((await latestMailTo(email)).template).toBe("email-changed")).toPass();

  // The other device signs in again; then a password reset ends every session.
  await signInWithPassword(otherPage, newEmail, PASSWORD);
  await expect(otherPage.getByRole("heading", { name: "Your account" })).toBeVisible();
  await page.getByRole("button", { name: "Sign out" }).first().click();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await open(page, "/login");
  await page.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(page.getByRole("heading", { name: "Reset your password" })).toBeVisible();
  await page.getByLabel("Email", { exact: true }).fill(newEmail);
  t = Date.now();
  await page.getByRole("button", { name: "Send reset email" }).click();
  await expect(page.getByText("we sent it a link and a code")).toBeVisible();
  const reset = await mailTo(newEmail, "password-reset", t, 5_000);
  const link = /(http:\/\/\S+\/reset-password\?token=\S+)/.exec(reset.text)?.[1];
  expect(link).toBeTruthy();
  await open(page, new URL(link!).pathname + new URL(link!).search);
  await page.getByLabel("New password", { exact: true }).fill(NEW_PASSWORD);
  await page.getByRole("button", { name: "Save new password" }).click();
  await expect(page.getByText("Your password was changed and every session was signed out")).toBeVisible();
  await open(otherPage, "/account");
  await expect(otherPage.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await signInWithPassword(page, newEmail, NEW_PASSWORD);
  await expect(page.getByRole("heading", { name: "Your account" })).toBeVisible();
  await other.close();
});

test("an unverified person cannot skip verification", async ({ page }) => {
  const email = `unverified-${Date.now()}@example.com`;
  await open(page, "/signup");
  await page.getByLabel("Your name", { exact: true }).fill("Una Verified");
  await page.getByLabel("Email", { exact: true }).fill(email);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await open(page, "/account");
  await expect(page.getByRole("heading", { name: "Sign in" })).toBeVisible();
  await signInWithPassword(page, email, PASSWORD);
  await expect(page.getByRole("heading", { name: "Check your email" })).toBeVisible();
  await page.getByLabel("Code", { exact: true }).fill("00000000");
  await page.getByRole("button", { name: "Confirm email" }).click();
  await expect(page.getByText("That code is not valid or has expired")).toBeVisible();
});
