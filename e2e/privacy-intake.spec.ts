// A privacy request from anywhere (P25): a visitor without an account writes through the contact form under
// "Privacy and my data", reads the code we email them, confirms it on /privacy/confirm (a wrong code first, with a
// clear error), and the DPO — signed in with a second factor — finds the request on the desk with the visitor's
// message and records a decision, which the visitor is emailed.
import { AxeBuilder } from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { PRIVACY_WORLD } from "./fixtures/privacy-world.ts";
import { network, open, signedIn, type SignedInOptions } from "./helpers.ts";
import { mailTo } from "./outbox.ts";

test.use(network(22));

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    what,
  ).toEqual([]);
}

/** Staff sign in with their password and enrol a TOTP app, as a person would. */
const STAFF: SignedInOptions = { context: network(22), to: "/admin", password: PRIVACY_WORLD.password, enrol: true };

const ISO_DATE = /\b\d{4}-\d{2}-\d{2}\b/;
const MESSAGE = "Please send me a copy of everything you hold about me, and tell me who you shared it with.";

test("a visitor's privacy request on the contact form is confirmed by an emailed code and decided by the DPO", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const started = Date.now();
  const email = PRIVACY_WORLD.visitor.email;

  // The visitor writes to us, choosing "Privacy and my data".
  const visitorCtx = await browser.newContext(network(22));
  const visitor = await visitorCtx.newPage();
  await open(visitor, "/contact");
  await visitor.getByLabel("Your email").fill(email);
  await visitor.getByLabel("Subject").fill("What do you hold about me?");
  // What a privacy request is for is asked only once "Privacy and my data" is chosen.
  const asking = visitor.getByLabel("What are you asking for?");
  await expect(asking).toBeHidden();
  await visitor.getByLabel("What is it about?").selectOption({ label: "Privacy and my data" });
  await expect(asking).toBeVisible();
  await asking.selectOption({ label: "A copy of my data" });
  await visitor.getByLabel("Message").fill(MESSAGE);
  await visitor.getByRole("button", { name: "Send message" }).click();
  await expect(visitor.getByRole("main")).toContainText("we emailed a code to the address you gave");

  // The code arrives by email, with a link to the confirmation page.
  const mail = await mailTo(email, "privacy-identity-code", started);
  const digits = /(\d{4}) (\d{4})/.exec(mail.text);
  const link = /http\S+(\/privacy\/confirm\?request=[0-9a-f-]{36})/.exec(mail.text);
  expect(digits && link, mail.text).toBeTruthy();
  const code = `${digits![1]}${digits![2]}`;
  await open(visitor, link![1]!);
  await expect(visitor.getByRole("heading", { name: "Confirm your privacy request" })).toBeVisible();
  await expectAccessible(visitor, "/privacy/confirm");

  // A mistyped code is refused with a clear message next to the field.
  await visitor.getByLabel("Code from the email").fill(code === "00000000" ? "11111111" : "00000000");
  await visitor.getByRole("button", { name: "Confirm my request" }).click();
  await expect(visitor.getByRole("alert")).toContainText("That code is not valid or has expired");
  await expectAccessible(visitor, "/privacy/confirm with an error");
  await visitor.getByLabel("Code from the email").fill(code);
  await visitor.getByRole("button", { name: "Confirm my request" }).click();
  await expect(visitor.getByRole("heading", { name: "Your privacy request is confirmed" })).toBeVisible();
  await expect(visitor.getByTestId("due-date")).not.toHaveText(ISO_DATE);
  await expect(visitor.getByRole("main")).not.toContainText(ISO_DATE);
  await mailTo(email, "privacy-identity-confirmed", started);

  // The DPO signs in with a second factor and finds the request on the desk, with the visitor's message.
  const { context: dpoCtx, page: dpo } = await signedIn(browser, PRIVACY_WORLD.intakeDpo.email, STAFF);
  await dpo.getByRole("link", { name: "Privacy requests" }).click();
  const row = dpo.getByTestId("privacy-row").filter({ hasText: "Contact form" });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText("Pending");
  await expect(row).toContainText("Visitor");
  await expect(row).toContainText(/\d+ days?/);
  await expect(row).not.toContainText("PENDING");
  await expect(row.getByTestId("privacy-escalated")).toHaveCount(0);
  // A request nobody acted on 7 days before its deadline carries the escalation badge, in the queue and on its page.
  // Found by its link, not as the only badge: the hourly escalation job may also have flagged other specs' requests
  // that are close to their deadlines, if the run crossed its minute.
  const escalated = dpo
    .getByTestId("privacy-row")
    .filter({ has: dpo.locator(`a[href="/admin/privacy/${PRIVACY_WORLD.escalated.id}"]`) });
  await expect(escalated).toHaveCount(1);
  await expect(escalated.getByTestId("privacy-escalated")).toHaveCount(1);
  await expect(escalated).toHaveAttribute("data-escalated", "true");
  await expect(escalated.getByTestId("privacy-escalated")).toContainText("Escalated");
  await expectAccessible(dpo, "the DPO's queue with a contact-form request");
  await escalated.getByRole("link", { name: "Access (copy of data)" }).click();
  await expect(dpo.getByTestId("privacy-requester")).toContainText(PRIVACY_WORLD.escalated.email);
  await expect(dpo.getByTestId("privacy-escalated")).toContainText("nobody acted on this request");
  await dpo.goBack();
  await row.getByRole("link", { name: "Access (copy of data)" }).click();
  await expect(dpo.getByTestId("privacy-source")).toHaveText("Contact form");
  await expect(dpo.getByTestId("privacy-requester")).toContainText(email);
  await expect(dpo.getByTestId("linked-ticket-message")).toContainText(MESSAGE);
  await expect(dpo.getByRole("main")).not.toContainText("CONTACT_FORM");
  await expectAccessible(dpo, "a contact-form request on the DPO's desk");

  // The decision, with a reason the visitor reads by email.
  await dpo
    .getByLabel("Reason (the user reads it)")
    .fill("We sent you a copy of the one message you wrote to us; we shared it with nobody.");
  await dpo.getByRole("button", { name: "Mark done" }).click();
  await expect(dpo.getByRole("dialog", { name: "Mark this request done?" })).toBeVisible();
  await dpo.getByRole("button", { name: "Yes, approve" }).click();
  await expect(dpo.getByTestId("privacy-status")).toHaveText("Completed");
  expect((await mailTo(email, "privacy-request-decided", started)).text).toContain("we shared it with nobody");

  await visitorCtx.close();
  await dpoCtx.close();
});

test("support logs a privacy phone call: the caller gets a code, and support sees the ticket is with the DPO", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const started = Date.now();
  const caller = "carl.caller@e2e.mindnamo.test";
  const { context, page } = await signedIn(browser, PRIVACY_WORLD.intakeAgent.email, STAFF);
  await page.getByRole("link", { name: "Tickets" }).first().click();
  await page.getByText("Log a phone call or an email").click();
  await page.getByLabel("How they reached us").selectOption({ label: "Phone" });
  await page.getByLabel("Their email").fill(caller);
  await page.getByLabel("Subject", { exact: true }).fill("Caller asks what we hold");
  await page.getByLabel("What is it about?").selectOption({ label: "Privacy" });
  await page.getByLabel("What they ask for").selectOption({ label: "Access (copy of data)" });
  await page.getByLabel("What they said").fill("Carl wants to know which notes we keep about his sessions.");
  await page.getByRole("button", { name: "Log it" }).click();
  await expect(page.getByTestId("logged")).toContainText("It is a privacy request");
  await expectAccessible(page, "the ticket queue with the log form open");
  expect((await mailTo(caller, "privacy-identity-code", started)).text).toContain("/privacy/confirm?request=");

  // Support opens the ticket: it is with the DPO, and its message is not shown.
  await page.getByTestId("logged").getByRole("link", { name: "a new ticket" }).click();
  await expect(page.getByTestId("ticket-with-dpo")).toBeVisible();
  await expect(page.getByRole("main")).not.toContainText("which notes we keep");
  await expect(page.getByLabel("Reply to the requester")).toHaveCount(0);
  await context.close();
});
