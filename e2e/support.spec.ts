import { expect, test } from "@playwright/test";
import { enrolTotp, network, open, signIn } from "./helpers.ts";
import { mailTo } from "./outbox.ts";

test.use(network(13));

test("a user asks for help; an agent with TOTP assigns, notes and replies; the user reads the reply and rates", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const subject = `Cannot join my session ${Date.now()}`;

  // The user opens a ticket.
  const userCtx = await browser.newContext();
  const user = await userCtx.newPage();
  await signIn(user, "demo@mindnamo.test", "/help");
  await user.getByLabel("Subject").fill(subject);
  await user.getByLabel("What is it about?").selectOption("BOOKING");
  await user.getByLabel("Message").fill("The room does not open when I click Join.");
  await user.getByRole("button", { name: "Send request" }).click();
  await expect(user.getByRole("heading", { name: subject })).toBeVisible();
  const ticketUrl = user.url();

  // The agent signs in, sets up TOTP (codes computed like an authenticator app), finds the ticket.
  const agentCtx = await browser.newContext();
  const agent = await agentCtx.newPage();
  await signIn(agent, "support@mindnamo.test", "/admin");
  await expect(agent.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await expect(agent.getByRole("link", { name: "Tickets" })).toHaveCount(0); // the console stays closed
  await enrolTotp(agent);
  await agent.getByRole("link", { name: "Tickets" }).click();
  await agent.getByRole("link", { name: subject }).click();
  await expect(agent.getByTestId("requester")).toContainText("demo@mindnamo.test");
  await agent.getByRole("button", { name: "Assign to me" }).click();
  await expect(agent.getByTestId("assignee")).toHaveText("Sam Support");
  await agent.getByLabel("Internal note (staff only)").fill("Checked the room logs: browser blocked the camera.");
  await agent.getByRole("button", { name: "Add note" }).click();
  await expect(agent.getByText("Checked the room logs")).toBeVisible();
  await agent
    .getByLabel("Reply to the requester")
    .fill("Please allow camera access in your browser settings, then join again.");
  await agent.getByLabel("Status after reply").selectOption("RESOLVED");
  const before = Date.now();
  await agent.getByRole("button", { name: "Send reply" }).click();
  await expect(agent.getByText("Please allow camera access")).toBeVisible();

  // The user is emailed (a link, not the content), reads the reply but never the note, and rates the help.
  const mail = await mailTo("demo@mindnamo.test", "support-reply", before - 1000, 5_000);
  expect(mail.template).toBe("support-reply");
  expect(mail.text).toContain(new URL(ticketUrl).pathname);
  await open(user, new URL(ticketUrl).pathname);
  await expect(user.getByText("Please allow camera access")).toBeVisible();
  await expect(user.getByText("Checked the room logs")).toHaveCount(0);
  expect(await user.content()).not.toContain("room logs");
  await expect(user.getByTestId("ticket-status")).toHaveText("Resolved");
  await user.getByRole("radio", { name: "5" }).check();
  await user.getByRole("button", { name: "Rate the help" }).click();
  await expect(user.getByText("Thank you for your rating.")).toBeVisible();
  await expect(user.getByText("You rated this help 5 out of 5")).toBeVisible();

  await userCtx.close();
  await agentCtx.close();
});
