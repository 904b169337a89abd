// Feedback and anonymous usage metrics, as people meet them (privacy promises P4, P6, P16): a person rates a
// session that took place and the expert's public profile shows the rating (from 3 reviews, without names); the
// usage beacon posts to our own /metrics only when the visitor consented to analytics, and never otherwise.
import AxeBuilder from "@axe-core/playwright";
import type { BrowserContext, Page, Request } from "@playwright/test";
import { FEEDBACK_WORLD } from "./fixtures/feedback-world.ts";
import { network, open, signIn } from "./helpers.ts";
import { mailTo } from "./outbox.ts";
import { expect, test } from "./test.ts";

test.use(network(18));

/** Stores a consent choice the way the consent banner does, before any page script runs. */
async function withConsent(context: BrowserContext, analytics: boolean | null) {
  if (analytics === null) return;
  await context.addInitScript((value) => {
    window.localStorage.setItem(
      "mn.consent.v1",
      JSON.stringify({ analytics: value, at: new Date().toISOString(), source: "banner" }),
    );
  }, analytics);
}

async function expectNoSeriousA11yViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`)).toEqual([]);
}

test("a person rates a completed session; the expert's profile then shows the rating without names", async ({
  browser,
}) => {
  test.setTimeout(60_000);
  const context = await browser.newContext(network(18));
  await withConsent(context, false);
  const page = await context.newPage();
  await signIn(page, FEEDBACK_WORLD.user.email, "/sessions");

  await page.getByRole("link", { name: /Rate this session with Jonas Lindqvist/ }).click();
  await expect(page.getByRole("heading", { name: "Rate this session" })).toBeVisible();
  await expectNoSeriousA11yViolations(page);
  await page.getByRole("group", { name: "Your rating" }).getByLabel("4").check();
  await page.getByLabel("Comment (optional)").fill("He listened carefully and gave me practical steps.");
  await page.getByText("A few questions about this session (optional)").click();
  await page
    .getByRole("group", { name: /How easy was it to book and join/ })
    .getByLabel("5")
    .check();
  await page.getByRole("button", { name: "Send review" }).click();
  await expect(page.getByText("Thank you for your review and your answers.")).toBeVisible();
  await expect(page.getByTestId("my-review")).toContainText("4 out of 5");
  await expect(page.getByRole("heading", { name: "Change your review" })).toBeVisible();

  // Back on the list, the link now says the review exists.
  await open(page, "/sessions");
  await expect(page.getByRole("link", { name: /Your review with Jonas Lindqvist/ })).toBeVisible();

  // A visitor sees the rating (3 reviews: the two earlier ones and this one) and the comments, with no names.
  const visitor = await browser.newContext(network(18));
  await withConsent(visitor, false);
  const anon = await visitor.newPage();
  await open(anon, `/experts/${FEEDBACK_WORLD.expertSlug}`);
  await expect(anon.getByTestId("expert-rating")).toHaveText("4.3 out of 5, from 3 reviews");
  await expect(anon.getByTestId("review-comments")).toContainText("He listened carefully and gave me practical steps.");
  await expect(anon.getByTestId("review-comments")).toContainText("Calm and thoughtful.");
  await expect(anon.locator("body")).not.toContainText(FEEDBACK_WORLD.user.name);
  await expect(anon.locator("body")).not.toContainText("Earlier Reviewer");
  // The directory card shows the same rating.
  await open(anon, "/experts?q=Lindqvist");
  await expect(anon.getByTestId("card-rating")).toContainText("4.3 out of 5");
  await context.close();
  await visitor.close();
});

test("the general survey: every question optional, answers sent without a name", async ({ browser }) => {
  const context = await browser.newContext(network(18));
  await withConsent(context, false);
  const page = await context.newPage();
  await open(page, "/feedback");
  await expectNoSeriousA11yViolations(page);
  await page.getByLabel("What should we improve or add? (optional)").fill("More sessions in Swedish");
  await page.getByRole("button", { name: "Send answers" }).click();
  await expect(page.getByText("Thank you — your answers help us improve Mind Namo.")).toBeVisible();
  await context.close();
});

function metricsRequests(page: Page): Request[] {
  const seen: Request[] = [];
  page.on("request", (r) => {
    if (new URL(r.url()).pathname === "/metrics") seen.push(r);
  });
  return seen;
}
type Batch = {
  visitId: string;
  events: { kind: string; path: string; from?: string | null; target?: string; ms?: number }[];
};
const batchOf = (r: Request) => JSON.parse(r.postData() ?? "{}") as Batch;

test("with analytics consent the beacon posts views, flows and tracked clicks to our own /metrics, keyed by a random visit id", async ({
  browser,
}) => {
  const context = await browser.newContext(network(18));
  await withConsent(context, true);
  const page = await context.newPage();
  const seen = metricsRequests(page);
  // With consent, the beacon's own chunk loads (the test without consent checks that it does not).
  const code = page.waitForRequest((r) => r.url().includes("/usage-beacon-"));
  const first = page.waitForRequest((r) => new URL(r.url()).pathname === "/metrics" && r.method() === "POST");
  await open(page, "/");
  expect(new URL((await code).url()).pathname).toMatch(/^\/build\//);
  const view = batchOf(await first);
  expect(view.events).toContainEqual({ kind: "view", path: "/", from: null });
  expect(view.visitId).toMatch(/^[0-9a-f-]{36}$/);
  expect(await page.evaluate(() => window.sessionStorage.getItem("mn.visit"))).toBe(view.visitId);

  // A tracked click and the navigation it starts: a click event, time on "/", a view of /feedback coming from "/".
  const click = page.waitForRequest(
    (r) => new URL(r.url()).pathname === "/metrics" && (r.postData() ?? "").includes('"click"'),
  );
  const flow = page.waitForRequest(
    (r) => new URL(r.url()).pathname === "/metrics" && (r.postData() ?? "").includes('"path":"/feedback"'),
  );
  await page.getByRole("link", { name: "A short anonymous survey" }).click();
  expect(batchOf(await click).events).toContainEqual({ kind: "click", path: "/", target: "footer-feedback" });
  const next = batchOf(await flow);
  expect(next.visitId).toBe(view.visitId);
  expect(next.events).toContainEqual({ kind: "view", path: "/feedback", from: "/" });
  expect(next.events.find((e) => e.kind === "leave")).toMatchObject({ path: "/" });
  // Only our origin, and nothing about the person in what was sent.
  for (const r of seen) {
    expect(new URL(r.url()).origin).toBe(new URL(page.url()).origin);
    expect(r.postData() ?? "").not.toMatch(/@|userId|email/);
  }
  await context.close();
});

test("without analytics consent (no choice yet, or 'Essential only') no request reaches /metrics", async ({
  browser,
}) => {
  for (const choice of [null, false] as const) {
    const context = await browser.newContext(network(18));
    await withConsent(context, choice);
    const page = await context.newPage();
    const seen = metricsRequests(page);
    const beaconCode: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/usage-beacon-")) beaconCode.push(r.url());
    });
    await open(page, "/");
    await page.getByRole("link", { name: "A short anonymous survey" }).click();
    await expect(page.getByRole("heading", { name: "Help us improve Mind Namo" })).toBeVisible();
    await open(page, "/experts");
    await page.evaluate(() => document.dispatchEvent(new Event("visibilitychange")));
    // Nothing may be sent: wait until the page has no request left in flight, not for a fixed time.
    await page.waitForLoadState("networkidle");
    expect(
      seen.map((r) => r.url()),
      `consent ${String(choice)}`,
    ).toEqual([]);
    expect(beaconCode, "the beacon's code is not even downloaded").toEqual([]);
    expect(await page.evaluate(() => window.sessionStorage.getItem("mn.visit"))).toBeNull();
    await context.close();
  }
});

test("choosing in the banner: 'Allow anonymous analytics' starts counting on that page; before that nothing was sent", async ({
  browser,
}) => {
  const context = await browser.newContext(network(18));
  const page = await context.newPage();
  const seen = metricsRequests(page);
  await open(page, "/experts");
  await expect(page.getByTestId("consent-banner")).toBeVisible();
  // Nothing may be sent before the choice: wait until the page has no request left in flight.
  await page.waitForLoadState("networkidle");
  expect(seen).toEqual([]);
  const first = page.waitForRequest((r) => new URL(r.url()).pathname === "/metrics");
  await page.getByRole("button", { name: "Allow anonymous analytics" }).click();
  expect(batchOf(await first).events).toEqual([{ kind: "view", path: "/experts", from: null }]);
  await context.close();
});

test("support hides an abusive review in the console with a reason; the author is told; an admin reads only aggregates", async ({
  browser,
  staffConsole,
}) => {
  test.setTimeout(90_000);
  const { rude, agent, admin } = FEEDBACK_WORLD;
  const declined = (context: BrowserContext) => withConsent(context, false);
  const sup = await staffConsole(agent.email, { octet: 18, prepare: declined });
  await sup.getByRole("link", { name: "Reviews", exact: true }).click();
  const row = sup.getByTestId("review-row").filter({ hasText: rude.comment });
  await expect(row).toBeVisible();
  await expect(sup.locator("main")).not.toContainText(rude.name); // authors are never shown
  await expectNoSeriousA11yViolations(sup);
  await row.getByRole("button", { name: "Hide…" }).click();
  const dialog = sup.getByRole("dialog", { name: "Hide this review?" });
  // A refused reason is shown inside the dialog, which stays open with what was typed.
  await dialog.getByLabel("Reason (sent to the author)").fill("Rude");
  await dialog.getByRole("button", { name: "Hide review" }).click();
  await expect(dialog.getByText("at least 5 characters")).toBeVisible();
  await expect(dialog.getByLabel("Reason (sent to the author)")).toHaveValue("Rude");
  await expect(row).toBeVisible();
  await dialog.getByLabel("Reason (sent to the author)").fill("Insults are not allowed in reviews");
  const before = Date.now();
  await dialog.getByRole("button", { name: "Hide review" }).click();
  await expect(sup.getByText("Review hidden. The author was emailed your reason.")).toBeVisible();
  await expect(dialog).toBeHidden();
  await expect(sup.getByTestId("review-row").filter({ hasText: rude.comment })).toHaveCount(0);
  const mail = await mailTo(rude.email, "review-hidden", before - 1000);
  expect(mail.subject).toBe("Your review was hidden");
  expect(mail.text).toContain("Insults are not allowed in reviews");
  expect(mail.text).not.toContain(agent.name);
  // The profile no longer shows it.
  const visitor = await browser.newContext(network(18));
  await withConsent(visitor, false);
  const anon = await visitor.newPage();
  await open(anon, `/experts/${rude.expertSlug}`);
  await expect(anon.locator("body")).not.toContainText(rude.comment);

  const adm = await staffConsole(admin.email, { octet: 18, prepare: declined });
  await expect(adm.getByRole("link", { name: "Reviews", exact: true })).toHaveCount(0); // not the admin's role
  await adm.getByRole("link", { name: "Analytics", exact: true }).click();
  await expect(adm.getByRole("heading", { name: "Top pages" })).toBeVisible();
  await expect(adm.getByRole("heading", { name: /Help us improve Mind Namo — \d+ responses/ })).toBeVisible();
  await expectNoSeriousA11yViolations(adm);
  await expect(adm.locator("main")).not.toContainText(FEEDBACK_WORLD.user.email);
  await visitor.close();
});
