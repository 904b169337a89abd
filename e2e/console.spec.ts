// The staff console as staff use it: sign-in lands on /admin in the console's own shell (no consumer header or
// footer), enrolment through the QR code's key, recovery codes (one works once, then is refused), a role change
// behind the dialog and a fresh TOTP code, undone from the toast; each role's dashboard and the sidebar's counts
// against figures computed here from the seeded data; a ticket's changes shown at once with a toast and an undo;
// the empty category form's field messages; axe on every page; a 1280 px screenshot of each page.
import AxeBuilder from "@axe-core/playwright";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { generateHOTP } from "@oslojs/otp";
import { expect, test, type Page } from "@playwright/test";
import { CONSOLE_HEADER } from "../admin/shared/console-header.ts";
import { PRIVACY_STATUS_LABEL } from "../admin/shared/labels.ts";
import { CONSOLE_FIGURES, CONSOLE_WORLD, utcWeekStart } from "./fixtures/console-world.ts";
import { PRIVACY_WORLD } from "./fixtures/privacy-world.ts";
import { enrolTotp, network, open, signedIn, type SignedInOptions } from "./helpers.ts";

test.use({ ...network(31), viewport: { width: 1280, height: 900 } });
const SHOTS = process.env.CONSOLE_SHOTS_DIR ?? "test-results/console-shots";

async function expectAccessible(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const blocking = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(
    blocking.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
    `serious or critical axe violations on ${what}`,
  ).toEqual([]);
}

const codeAt = (secret: string, offsetSteps = 0) =>
  generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + offsetSteps), 6);

// What each dashboard must show, computed here from the seeded values (e2e/fixtures/console-world.ts), not read
// back from the server. Nothing else in the run answers tickets, rates them, files privacy requests or books
// sessions in those weeks before this spec, so the seeded values (with the privacy world's one request) are the
// whole picture.
const F = CONSOLE_FIGURES;
// Every privacy request the e2e server holds when this spec runs: the console world's and the escalated one the
// privacy world seeds for the contact-form journey (e2e/fixtures/privacy-world.ts).
const ALL_PRIVACY = [...F.privacy, PRIVACY_WORLD.escalated];
const nearestRank = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]! : null;
};
const asHours = (h: number | null) => (h === null ? "—" : h < 1 ? `${Math.round(h * 60)} min` : `${h} h`);
function firstResponse(days: number) {
  const hours = F.answered.filter((t) => t.daysAgo < days).map((t) => t.responseHours);
  return { count: String(hours.length), p50: asHours(nearestRank(hours, 50)), p90: asHours(nearestRank(hours, 90)) };
}
const rated = F.answered.filter((t) => t.daysAgo < 30 && t.rating !== null).map((t) => t.rating!);
const satisfaction = `${Math.round((rated.reduce((a, b) => a + b, 0) / rated.length) * 10) / 10} / 5 (${rated.length})`;
const openPrivacy = ALL_PRIVACY.filter((r) => r.status === "PENDING" || r.status === "APPROVED").map((r) => ({
  days: "extendedToDays" in r ? r.extendedToDays : r.dueInDays,
  extended: "extendedToDays" in r,
}));
const PRIVACY = {
  open: openPrivacy.length,
  overdue: openPrivacy.filter((r) => r.days < 0).length,
  due7: openPrivacy.filter((r) => r.days >= 0 && r.days < 7).length,
  dueSoonOrOverdue: openPrivacy.filter((r) => r.days < 7).length,
  extended: openPrivacy.filter((r) => r.extended).length,
  soonest: Math.min(...openPrivacy.map((r) => r.days)),
};

// Signs in with no `next`, so the landing page is the role's own.
const STAFF: SignedInOptions = {
  context: { ...network(31), viewport: { width: 1280, height: 900 } },
  to: { lands: "/admin" },
  password: CONSOLE_WORLD.password,
};

async function noConsumerChrome(page: Page) {
  await expect(page.locator("header.site-header")).toHaveCount(0);
  await expect(page.locator("footer.site-footer")).toHaveCount(0);
  await expect(page.getByText("Ask our support team")).toHaveCount(0);
  await expect(page.getByText("a short anonymous survey")).toHaveCount(0);
}

test("an admin lands on /admin, enrols through the QR's key, and a recovery code works once", async ({ browser }) => {
  test.setTimeout(120_000);
  const { page, context } = await signedIn(browser, CONSOLE_WORLD.admin.email, STAFF);
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await noConsumerChrome(page);
  await page.getByRole("button", { name: "Set up an authenticator app" }).click();
  const first = await page.getByTestId("totp-secret").textContent();
  // The pending key survives a reload: what was scanned keeps working.
  await open(page, "/admin");
  await expect(page.getByRole("heading", { name: "Two-factor sign-in" })).toBeVisible();
  await expectAccessible(page, "/admin, two-factor step");
  // Enrols through the manual key beside the QR code; the recovery codes are shown once.
  const { secret, codes } = await enrolTotp(page, {
    beforeCode: async () => {
      await page.screenshot({ path: `${SHOTS}/console-enrol.png` });
    },
  });
  expect(codes).toHaveLength(10);
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  expect(secret).toBe(first);
  await noConsumerChrome(page);
  await expect(page.getByTestId("console-person")).toHaveText("Ari Admin");
  await expect(page.getByTestId("console-role")).toHaveText("Administrator");
  // Sessions per week, in the weeks only the fixture books.
  for (const w of F.bookings) {
    const week = new Date(utcWeekStart(new Date()).getTime() - w.weeksAgo * 7 * 86_400_000);
    const cells = page.locator(`[data-week="${week.toISOString().slice(0, 10)}"] td`);
    await expect(cells).toHaveText([
      String(w.statuses.length),
      String(w.statuses.filter((s) => s === "CANCELLED").length),
      String(w.statuses.filter((s) => s === "NO_SHOW").length),
    ]);
  }
  const experts = await page.request.get("/admin/api/trpc/experts.list", { headers: { [CONSOLE_HEADER]: "1" } });
  type ExpertRow = { published: boolean };
  const published = ((await experts.json()) as { result: { data: ExpertRow[] } }).result.data.filter(
    (e) => e.published,
  );
  await expect(page.getByTestId("dash-experts")).toHaveText(String(published.length));
  // Aggregates only for the admin's role: no privacy panel (privacy:read is the DPO's).
  await expect(page.getByTestId("dash-privacy-open")).toHaveCount(0);
  await expectAccessible(page, "/admin dashboard (admin)");
  await page.screenshot({ path: `${SHOTS}/console-dashboard-admin.png` });

  // Keyboard: "?" opens the shortcut list, Escape closes it, "g s" goes to Staff.
  await page.keyboard.press("?");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog", { name: "Keyboard shortcuts" })).toHaveCount(0);
  await page.keyboard.press("g");
  await page.keyboard.press("s");
  await expect(page.getByRole("heading", { name: "Staff", exact: true })).toBeVisible();

  // A second browser, phone lost: a recovery code opens the console once.
  const second = await signedIn(browser, CONSOLE_WORLD.admin.email, STAFF);
  await second.page.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
  await second.page.getByLabel("Recovery code").fill(codes[0]!);
  await second.page.getByRole("button", { name: "Verify" }).click();
  await expect(second.page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await second.page.getByRole("link", { name: "Your sign-in" }).click();
  await expect(second.page.getByTestId("recovery-left")).toHaveText("9");
  await second.page.screenshot({ path: `${SHOTS}/console-signin-settings.png` });
  await second.context.close();
  // ...and then never again.
  const third = await signedIn(browser, CONSOLE_WORLD.admin.email, STAFF);
  await third.page.getByRole("button", { name: "Lost your phone? Use a recovery code" }).click();
  await third.page.getByLabel("Recovery code").fill(codes[0]!);
  await third.page.getByRole("button", { name: "Verify" }).click();
  await expect(third.page.getByText("That recovery code is not right, or it was already used.")).toBeVisible();
  await expect(third.page.getByRole("heading", { name: "Dashboard" })).toHaveCount(0);
  await third.context.close();

  // A role change needs the dialog and a fresh code, and can be undone from the toast.
  const row = page.getByTestId("staff-row").filter({ hasText: CONSOLE_WORLD.colleague.email });
  await row.getByLabel(`New role for ${CONSOLE_WORLD.colleague.name}`).selectOption({ label: "Client" });
  // Choosing saves nothing: the row says which role stays in force until the change is confirmed.
  await expect(row.getByTestId("staff-current-role")).toHaveText("Still Support agent until you confirm");
  await row.getByRole("button", { name: "Change…" }).click();
  const dialog = page.getByRole("dialog", { name: `Change ${CONSOLE_WORLD.colleague.name}'s role?` });
  await expect(dialog).toContainText("lose all access to the back-office");
  await expectAccessible(page, "/admin/staff, role change dialog");
  await page.screenshot({ path: `${SHOTS}/console-role-dialog.png` });
  await dialog.getByLabel("Code from your authenticator app").fill(codeAt(secret) === "000000" ? "111111" : "000000");
  await dialog.getByRole("button", { name: "Change role" }).click();
  await expect(dialog.getByText("That code is not right")).toBeVisible();
  await expect(row.getByTestId("staff-current-role")).toHaveText("Still Support agent until you confirm");
  await dialog.getByLabel("Code from your authenticator app").fill(codeAt(secret, 1));
  await dialog.getByRole("button", { name: "Change role" }).click();
  await expect(page.getByText(`${CONSOLE_WORLD.colleague.name} is now Client`)).toBeVisible();
  await expect(page.getByTestId("staff-row").filter({ hasText: CONSOLE_WORLD.colleague.email })).toHaveCount(0);
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Role change undone.")).toBeVisible();
  await expect(row).toContainText("Support agent");
  // The list counts its people by role, and narrows by name or email and by role.
  const staffRows = page.getByTestId("staff-row");
  const staffFilters = page.getByRole("search", { name: "Find a staff member" });
  const people = await staffRows.count();
  await expect(page.getByTestId("staff-count")).toContainText(`${people} people: `);
  await expect(page.getByTestId("staff-count")).toContainText("support agents");
  await staffFilters.getByLabel("Search").fill(CONSOLE_WORLD.colleague.email.toUpperCase());
  await expect(staffRows).toHaveCount(1);
  await expect(page.getByText(`Showing 1 of ${people}`)).toBeVisible();
  await staffFilters.getByLabel("Search").fill("");
  await staffFilters.getByLabel("Show").selectOption({ label: "Administrator" });
  const admins = await staffRows.count();
  expect(admins).toBeGreaterThan(0);
  expect(admins).toBeLessThan(people);
  for (let i = 0; i < admins; i++) await expect(staffRows.nth(i).getByRole("combobox")).toHaveValue("ADMIN");
  await staffFilters.getByLabel("Search").fill("nobody-by-this-name");
  await expect(page.getByText("No one matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Show everyone" }).click();
  await expect(staffRows).toHaveCount(people);
  await expectAccessible(page, "/admin/staff");
  await page.screenshot({ path: `${SHOTS}/console-staff.png` });

  // The empty category form: field messages next to the fields, never the validator's JSON.
  await page.getByRole("link", { name: "Categories" }).click();
  await page.getByRole("button", { name: "Add category" }).click();
  await expect(page.locator(".c-field-error").first()).toBeVisible();
  await expect(page.locator("main")).not.toContainText('"code"');
  await expect(page.locator("main")).not.toContainText("too_small");
  await expectAccessible(page, "/admin/categories with errors");
  await page.screenshot({ path: `${SHOTS}/console-categories.png` });
  // A topic is added, then edited in a dialog; a taken address name is refused next to its field.
  const slug = `evening-${Date.now().toString(36)}`;
  const addForm = page.getByRole("form", { name: "Add a category" });
  await addForm.getByLabel("Name", { exact: true }).fill("Evening Calm");
  await addForm.getByLabel("Address name").fill(slug);
  await addForm.getByLabel("Description").fill("Winding down after long days.");
  await addForm.getByRole("button", { name: "Add category" }).click();
  await expect(page.getByText('Category "Evening Calm" added.')).toBeVisible();
  const topic = page.getByTestId("category-row").filter({ hasText: slug });
  await topic.getByRole("button", { name: "Edit…" }).click();
  const edit = page.getByRole("dialog", { name: 'Edit "Evening Calm"' });
  await expect(edit.getByLabel("Name", { exact: true })).toHaveValue("Evening Calm");
  await edit.getByLabel("Address name").fill("anxiety");
  await expect(edit).toContainText(`Links to /experts?category=${slug} will no longer find this topic.`);
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(edit.getByText("That address is already in use: choose another.")).toBeVisible();
  // Centred, as every console dialog (a page rule once pinned them to the top-left corner).
  const box = await edit.boundingBox();
  expect(Math.abs((box?.x ?? 0) + (box?.width ?? 0) / 2 - 640)).toBeLessThan(4);
  await expectAccessible(page, "/admin/categories, edit dialog with an error");
  await page.screenshot({ path: `${SHOTS}/console-category-edit.png` });
  await edit.getByLabel("Address name").fill(slug);
  await edit.getByLabel("Name", { exact: true }).fill("Calm Evenings");
  await edit.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText('Category "Calm Evenings" saved.')).toBeVisible();
  await expect(edit).toBeHidden();
  await expect(topic).toContainText("Calm Evenings");
  await expect(topic.getByRole("link")).toHaveAttribute("href", `/experts?category=${slug}`);

  // The audit log in words: who (by name), what, in the admin's own zone.
  await page.keyboard.press("g");
  await page.keyboard.press("a");
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
  const roleRow = page.getByTestId("audit-row").filter({ hasText: "Changed a role: Support agent → Client" });
  await expect(roleRow).toHaveCount(1);
  // Whose data, by name; the purpose in words; filters by what happened and by a person's email, not codes or ids.
  await expect(roleRow).toContainText(CONSOLE_WORLD.colleague.name);
  await page.getByLabel("What").selectOption({ label: "Changed a role (any)" });
  await page.getByLabel("Whose data (email)").fill(CONSOLE_WORLD.colleague.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByTestId("audit-row")).toHaveCount(2); // the change and its undo
  await expect(page.locator("main")).not.toContainText(/[0-9a-f]{8}-[0-9a-f]{4}-/);
  await expect(page.locator("main")).not.toContainText("staff.role.");
  await expectAccessible(page, "/admin/audit");
  await page.screenshot({ path: `${SHOTS}/console-audit.png` });
  for (const [name, file] of [
    ["Analytics", "analytics"],
    ["Errors", "errors"],
    ["Security", "security"],
    ["Experts", "experts"],
    ["Newsletter", "newsletter"],
  ] as const) {
    await page.getByRole("navigation", { name: "Back-office" }).getByRole("link", { name, exact: true }).click();
    await expect(page.locator("main h1")).toBeVisible();
    await noConsumerChrome(page);
    await page.screenshot({ path: `${SHOTS}/console-${file}.png` });
  }

  // Unpublishing an expert asks first and says what happened; publishing again says so too.
  await page.getByRole("navigation", { name: "Back-office" }).getByRole("link", { name: "Experts" }).click();
  const lukas = page.getByTestId("expert-row").filter({ hasText: "Lukas Brenner" });
  await lukas.getByRole("button", { name: "Unpublish" }).click();
  const unpublish = page.getByRole("dialog", { name: "Unpublish Lukas Brenner?" });
  await expect(unpublish).toContainText("can no longer be booked");
  await unpublish.getByRole("button", { name: "Cancel" }).click();
  await expect(lukas.locator(".c-tag")).toHaveText("Published");
  await lukas.getByRole("button", { name: "Unpublish" }).click();
  await unpublish.getByRole("button", { name: "Unpublish" }).click();
  await expect(page.getByText("Lukas Brenner is no longer published")).toBeVisible();
  await expect(lukas.locator(".c-tag")).toHaveText("Not published");
  await lukas.getByRole("button", { name: "Publish", exact: true }).click();
  await expect(page.getByText("Lukas Brenner is published")).toBeVisible();
  await expect(lukas.locator(".c-tag")).toHaveText("Published");
  // j and k move through the experts' rows (focus is on a button, not in a field).
  const expertRows = page.getByTestId("expert-row");
  await page.keyboard.press("j");
  await expect(expertRows.nth(0)).toBeFocused();
  await page.keyboard.press("j");
  await page.keyboard.press("j");
  await expect(expertRows.nth(2)).toBeFocused();
  await page.keyboard.press("k");
  await expect(expertRows.nth(1)).toBeFocused();
  // The list counts its experts, links each published one to its public page, and filters by text and status.
  const total = await expertRows.count();
  await expect(page.getByTestId("experts-count")).toHaveText(`${total} experts, ${total - 1} published`);
  await expect(lukas.getByRole("link", { name: /\/experts\/lukas-brenner/ })).toHaveAttribute(
    "href",
    "/experts/lukas-brenner",
  );
  await expect(lukas.getByRole("link")).toHaveAttribute("target", "_blank");
  await page.getByLabel("Search").fill("BRENNER");
  await expect(expertRows).toHaveCount(1);
  await expect(page.getByText(`Showing 1 of ${total} experts`)).toBeVisible();
  await page.getByLabel("Show").selectOption({ label: "Not published" });
  await expect(expertRows).toHaveCount(0);
  await expect(page.getByText("No expert matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Show all experts" }).click();
  await expect(expertRows).toHaveCount(total);
  await expect(page.getByLabel("Search")).toHaveValue("");
  await page.getByLabel("Show").selectOption({ label: "Not published" });
  await expect(expertRows).toHaveCount(1);
  await expect(expertRows.first()).toContainText("not on the site");
  await context.close();
});

test("support: counts and dashboard figures equal the queue; the DPO sees only privacy figures", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const { page, context } = await signedIn(browser, CONSOLE_WORLD.agent.email, { ...STAFF, enrol: true });
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  // The test computes the figures itself from the tickets the queue returns. The API answers only our own pages:
  // the request context sends no Sec-Fetch-Site, so it sends the console's header, as the console's client does.
  const res = await page.request.get(
    `/admin/api/trpc/tickets.queue?input=${encodeURIComponent(JSON.stringify({ includeClosed: true, limit: 200 }))}`,
    { headers: { [CONSOLE_HEADER]: "1" } },
  );
  expect(res.status()).toBe(200);
  type Row = { status: string; overdue: boolean; assignee: { id: string } | null };
  const rows = ((await res.json()) as { result: { data: Row[] } }).result.data;
  expect(rows.length).toBeGreaterThan(0);
  const done = ["RESOLVED", "CLOSED"];
  await expect(page.getByTestId("dash-new")).toHaveText(String(rows.filter((r) => r.status === "NEW").length));
  await expect(page.getByTestId("dash-open")).toHaveText(String(rows.filter((r) => !done.includes(r.status)).length));
  await expect(page.getByTestId("dash-overdue")).toHaveText(String(rows.filter((r) => r.overdue).length));
  await expect(page.getByTestId("count-unassigned")).toContainText(
    String(rows.filter((r) => !done.includes(r.status) && r.assignee === null).length),
  );
  // Figures the seeded tickets alone decide: first-response times, satisfaction, the agent's own and overdue.
  for (const days of [7, 30]) {
    const want = firstResponse(days);
    await expect(page.getByTestId(`dash-frt-count-${days}`)).toHaveText(want.count);
    await expect(page.getByTestId(`dash-frt-p50-${days}`)).toHaveText(want.p50);
    await expect(page.getByTestId(`dash-frt-p90-${days}`)).toHaveText(want.p90);
  }
  await expect(page.getByTestId("dash-satisfaction")).toHaveText(satisfaction);
  await expect(page.getByTestId("dash-overdue")).toHaveText(String(F.open.filter((t) => t.overdue).length));
  await expect(page.getByTestId("count-mineOpen").locator(".c-badge")).toHaveText(
    String(F.open.filter((t) => t.mine).length),
  );
  await expect(page.getByTestId("count-overdue").locator(".c-badge")).toHaveText(
    String(F.open.filter((t) => t.overdue).length),
  );
  await expect(page.getByTestId("count-privacyDueSoon")).toHaveCount(0); // not part of the support role
  await expect(page.getByRole("heading", { name: "Operations" })).toHaveCount(0);
  await noConsumerChrome(page);
  await expectAccessible(page, "/admin dashboard (support)");
  await page.screenshot({ path: `${SHOTS}/console-dashboard-support.png` });
  await page.keyboard.press("g");
  await page.keyboard.press("t");
  await expect(page.getByRole("heading", { name: /Tickets|Ticket queue/ })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-tickets.png` });
  await page.getByRole("navigation", { name: "Back-office" }).getByRole("link", { name: "Reviews" }).click();
  await expect(page.locator("main h1")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/console-reviews.png` });
  await context.close();

  const dpo = await signedIn(browser, CONSOLE_WORLD.dpo.email, { ...STAFF, enrol: true });
  await expect(dpo.page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  await expect(dpo.page.getByRole("heading", { name: "Privacy requests" })).toBeVisible();
  await expect(dpo.page.getByRole("heading", { name: "Support" })).toHaveCount(0);
  await expect(dpo.page.getByTestId("count-privacyDueSoon").locator(".c-badge")).toHaveText(
    String(PRIVACY.dueSoonOrOverdue),
  );
  await expect(dpo.page.getByTestId("dash-privacy-open")).toHaveText(String(PRIVACY.open));
  await expect(dpo.page.getByTestId("dash-privacy-overdue")).toHaveText(String(PRIVACY.overdue));
  await expect(dpo.page.getByTestId("dash-privacy-due7")).toHaveText(String(PRIVACY.due7));
  await expect(dpo.page.getByTestId("dash-privacy-extended")).toHaveText(String(PRIVACY.extended));
  await expect(dpo.page.getByTestId("dash-privacy-soonest")).toHaveText(String(PRIVACY.soonest));
  for (const status of Object.keys(PRIVACY_STATUS_LABEL))
    await expect(dpo.page.getByTestId(`dash-privacy-state-${status}`)).toHaveText(
      String(ALL_PRIVACY.filter((r) => r.status === status).length),
    );
  await expect(dpo.page.getByTestId("count-unassigned")).toHaveCount(0);
  await expectAccessible(dpo.page, "/admin dashboard (DPO)");
  await dpo.page.screenshot({ path: `${SHOTS}/console-dashboard-dpo.png` });
  // The sidebar's count opens the queue filtered to the very requests it counts.
  await dpo.page.getByTestId("count-privacyDueSoon").click();
  await expect(dpo.page).toHaveURL(/\/admin\/privacy\?status=DUE_SOON$/);
  await expect(dpo.page.getByLabel("Show")).toHaveValue("DUE_SOON");
  await expect(dpo.page.getByTestId("privacy-row")).toHaveCount(PRIVACY.dueSoonOrOverdue);
  // j/k move the selection through the queue, Enter opens the selected request (the most overdue comes first).
  const privacyRows = dpo.page.getByTestId("privacy-row");
  await dpo.page.keyboard.press("j");
  await expect(privacyRows.nth(0)).toBeFocused();
  await dpo.page.keyboard.press("j");
  await expect(privacyRows.nth(1)).toBeFocused();
  await dpo.page.keyboard.press("k");
  await expect(privacyRows.nth(0)).toBeFocused();
  await expect(privacyRows.nth(0)).toContainText("Correction");
  await dpo.page.keyboard.press("Enter");
  await expect(dpo.page).toHaveURL(/\/admin\/privacy\/[0-9a-f-]{36}$/);
  await expect(dpo.page.getByTestId("privacy-status")).toHaveText("Pending");
  // A refused decision is explained inside its dialog, which stays open until the decision succeeds.
  await dpo.page.getByRole("button", { name: "Reject" }).click();
  const reject = dpo.page.getByRole("dialog", { name: "Reject this request?" });
  await reject.getByRole("button", { name: "Yes, reject" }).click();
  await expect(reject.getByRole("alert")).toContainText("at least 10 characters");
  await expect(reject).toBeVisible();
  await reject.getByRole("button", { name: "Cancel" }).click();
  await expect(reject).toBeHidden();
  await expect(dpo.page.getByTestId("privacy-status")).toHaveText("Pending");
  await dpo.page
    .getByRole("navigation", { name: "Back-office" })
    .getByRole("link", { name: "Privacy requests" })
    .click();
  await expect(dpo.page.locator("main h1")).toBeVisible();
  await dpo.page.screenshot({ path: `${SHOTS}/console-privacy.png` });

  // Breach incidents: the DPO opens one (the form's messages first), sees the 72-hour clock in words, assesses
  // it and records the authority's notification; labels and dates in words, never codes.
  const p = dpo.page;
  await p.getByRole("navigation", { name: "Back-office" }).getByRole("link", { name: "Breach incidents" }).click();
  await expect(p.getByRole("heading", { level: 1, name: "Breach incidents" })).toBeVisible();
  // The fixture's assessed incident is on the record already; the form's messages come first.
  await expect(p.getByTestId("incident-row").filter({ hasText: F.incident.title })).toBeVisible();
  await p.getByRole("button", { name: "Open incident and start the clock" }).click();
  await expect(p.getByText("Write the title (at least 5 characters).")).toBeVisible();
  await expect(p.getByLabel("Title")).toHaveAttribute("aria-invalid", "true");
  const aware = new Date(Date.now() - 2 * 3_600_000);
  const local = new Date(aware.getTime() - aware.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await p.getByLabel("Title").fill("Confirmation sent to the wrong address");
  await p
    .getByLabel("What happened, and how we learned of it")
    .fill("A session confirmation reached another client; the recipient told support.");
  await p.getByLabel("When we became aware").fill(local);
  await p.getByRole("button", { name: "Open incident and start the clock" }).click();
  const row = p.getByTestId("incident-row").filter({ hasText: "Confirmation sent to the wrong address" });
  await expect(row).toContainText("Opened, to assess");
  await expect(row.getByTestId("incident-clock")).toContainText(/Authority by .+ · (69|70) h \d+ min left/);
  await expectAccessible(p, "/admin/incidents");
  await p.screenshot({ path: `${SHOTS}/console-incidents.png` });

  await row.getByRole("link", { name: "Confirmation sent to the wrong address" }).click();
  await expect(p.getByTestId("incident-status")).toHaveText("Opened, to assess");
  await p
    .getByLabel("Assessment")
    .fill("One client's first name and session topic (health data) reached one other client.");
  await p
    .getByLabel("Risk to people")
    .selectOption({ label: "A high risk to people (notify the authority and tell the people)" });
  await p.getByRole("button", { name: "Record the assessment" }).click();
  await expect(p.getByTestId("incident-status")).toHaveText("Assessed");
  await p.getByLabel("The authority's reference, or how it was sent").fill("Online form, case 2026-118");
  await p.getByRole("button", { name: "Record the notification" }).click();
  await expect(p.getByTestId("incident-status")).toHaveText("Authority notified");
  await expect(p.getByText("Notified in time")).toBeVisible();
  await expect(p.getByRole("heading", { name: "Tell the people affected" })).toBeVisible();
  const main = (await p.locator("main").textContent()) ?? "";
  expect(main).not.toMatch(/AUTHORITY_NOTIFIED|ASSESSED|HIGH\b|\d{4}-\d{2}-\d{2}T/);
  await expectAccessible(p, "/admin/incidents/:id");
  await p.screenshot({ path: `${SHOTS}/console-incident.png` });
  await dpo.context.close();
});

test("a ticket's status, priority and assignee change at once, each with a toast and an undo", async ({ browser }) => {
  test.setTimeout(90_000);
  const subject = "Please move my Thursday session";
  const { page, context } = await signedIn(browser, CONSOLE_WORLD.ticketAgent.email, { ...STAFF, enrol: true });
  await open(page, "/admin/tickets?view=unassigned");
  await page.getByRole("link", { name: subject }).click();
  await expect(page.getByRole("heading", { level: 1, name: subject })).toBeVisible();
  const status = page.getByLabel("Status", { exact: true });
  const priority = page.getByLabel("Priority", { exact: true });
  await expect(status).toHaveValue("NEW");
  await expect(priority).toHaveValue("NORMAL");

  // Optimistic: the page shows the new value while the server has not answered yet.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/admin/api/trpc/tickets.setStatus*", async (route) => {
    await held;
    await route.continue();
  });
  await status.selectOption({ label: "Waiting for requester" });
  await expect(status).toHaveValue("PENDING_USER");
  await expect(page.getByText("Status set to")).toHaveCount(0);
  release();
  const toast = page.locator(".c-toast").filter({ hasText: "Status set to Waiting for requester." });
  await expect(toast).toBeVisible();
  await page.unroute("**/admin/api/trpc/tickets.setStatus*");
  // The undo is an ordinary change back: the server gets only the ticket and the status, and the toast offers no
  // undo of the undo.
  const undoRequest = page.waitForRequest("**/admin/api/trpc/tickets.setStatus*");
  await toast.getByRole("button", { name: "Undo" }).click();
  expect(JSON.parse((await undoRequest).postData() ?? "null")).toEqual({
    "0": { ticketId: expect.any(String), status: "NEW" },
  });
  const undone = page.locator(".c-toast").filter({ hasText: "Undone. Status set to New." });
  await expect(undone).toBeVisible();
  await expect(undone.getByRole("button", { name: "Undo" })).toHaveCount(0);
  await expect(status).toHaveValue("NEW");

  await priority.selectOption("HIGH");
  const pToast = page.locator(".c-toast").filter({ hasText: "Priority set to High." });
  await expect(pToast).toBeVisible();
  await pToast.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(".c-toast").filter({ hasText: "Undone. Priority set to Normal." })).toBeVisible();
  await expect(priority).toHaveValue("NORMAL");

  // "Assign to me" says so, and can be undone; reassigning says to whom.
  await page.getByRole("button", { name: "Assign to me" }).click();
  await expect(page.getByTestId("assignee")).toHaveText(CONSOLE_WORLD.ticketAgent.name);
  const aToast = page.locator(".c-toast").filter({ hasText: "Assigned to you." });
  await expect(aToast).toBeVisible();
  await expect(status).toHaveValue("OPEN"); // taking a new ticket opens it
  await aToast.getByRole("button", { name: "Undo" }).click();
  await expect(page.locator(".c-toast").filter({ hasText: "Undone. Unassigned, status New." })).toBeVisible();
  await expect(page.getByTestId("assignee")).toHaveText("Unassigned");
  await expect(status).toHaveValue("NEW");
  await page.getByLabel("Reassign").selectOption({ label: CONSOLE_WORLD.agent.name });
  await expect(page.locator(".c-toast").filter({ hasText: `Assigned to ${CONSOLE_WORLD.agent.name}.` })).toBeVisible();

  // What the server kept: the undone priority, and the last assignment (which opened the ticket).
  await page.reload();
  await expect(status).toHaveValue("OPEN");
  await expect(priority).toHaveValue("NORMAL");
  await expect(page.getByTestId("assignee")).toHaveText(CONSOLE_WORLD.agent.name);
  await context.close();
});

/** No sideways scrolling of the page itself (a wide table may scroll inside its own box). */
async function noHorizontalOverflow(page: Page, what: string) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(over, `horizontal overflow on ${what}`).toBeLessThanOrEqual(0);
}

test("support's ticket desk: search, filters in the URL, a saved view, bulk close with undo, canned replies", async ({
  browser,
}) => {
  test.setTimeout(150_000);
  const { page, context } = await signedIn(browser, CONSOLE_WORLD.desk.email, { ...STAFF, enrol: true });
  await expect(page.getByRole("heading", { name: "Dashboard" })).toBeVisible();
  // Tickets of our own, logged as calls and emails through the console's API (what an agent does by phone).
  const tag = `Q${Date.now().toString(36)}`;
  const log = async (subject: string, channel: "PHONE" | "EMAIL", category: string, priority: string) => {
    const res = await page.request.post("/admin/api/trpc/tickets.logOnBehalf", {
      headers: { [CONSOLE_HEADER]: "1", "content-type": "application/json" },
      data: { email: "demo@mindnamo.test", subject, channel, category, priority, message: `About ${subject}` },
    });
    expect(res.status()).toBe(200);
  };
  await log(`${tag} session moved twice`, "PHONE", "BOOKING", "HIGH");
  await log(`${tag} camera stays black`, "EMAIL", "TECHNICAL", "URGENT");
  await log(`${tag} forgot password`, "PHONE", "ACCOUNT", "LOW");

  await page
    .getByRole("navigation", { name: "Back-office" })
    .getByRole("link", { name: "Tickets", exact: true })
    .click();
  await expect(page.getByRole("heading", { name: "Tickets", exact: true })).toBeVisible();
  // "/" jumps to the search; typing filters after a pause, and the address keeps it.
  await page.keyboard.press("/");
  await page.keyboard.type(tag);
  await expect(page.getByTestId("queue-row")).toHaveCount(3);
  await expect(page).toHaveURL(new RegExp(`q=${tag}`));
  await page.getByLabel("Channel").selectOption({ label: "Phone" });
  await expect(page.getByTestId("queue-row")).toHaveCount(2);
  await expect(page).toHaveURL(/channel=PHONE/);
  // Words, never stored values: statuses, priorities, channels and the SLA clock.
  const queue = page.locator("main table");
  await expect(queue).toContainText("High");
  await expect(queue).toContainText("First response in");
  await expect(queue).not.toContainText("PHONE");
  await expect(queue).not.toContainText("NEW");
  // A bookmark brings back the same view.
  await open(page, page.url().replace(/^https?:\/\/[^/]+/, ""));
  await expect(page.getByTestId("queue-row")).toHaveCount(2);
  await expect(page.getByLabel("Channel")).toHaveValue("PHONE");
  await expect(page.getByLabel("Search")).toHaveValue(tag);

  // A saved view, with its count.
  await page.getByRole("button", { name: "Save view…" }).click();
  const naming = page.getByRole("dialog", { name: "Save this view" });
  await naming.getByLabel("Name").fill("Phone today");
  await naming.getByRole("button", { name: "Save view" }).click();
  const view = page.getByTestId("saved-view").filter({ hasText: "Phone today" });
  await expect(view).toContainText("2");
  await expect(view).toHaveAttribute("aria-current", "page");
  await expectAccessible(page, "/admin/tickets with filters and a saved view");
  await page.screenshot({ path: `${SHOTS}/console-tickets-filtered.png`, fullPage: true });

  // Bulk close: the dialog names how many, the rows go at once, undo brings them back.
  await page.getByLabel("Select all tickets shown").check();
  await expect(page.getByTestId("bulk-count")).toHaveText("2 tickets selected");
  await page.getByRole("button", { name: "Close…" }).click();
  const closing = page.getByRole("dialog", { name: "Close 2 tickets?" });
  await expect(closing).toContainText("These 2 tickets are closed");
  await expectAccessible(page, "/admin/tickets, bulk close dialog");
  await closing.getByRole("button", { name: "Close 2 tickets" }).click();
  await expect(page.getByText("2 tickets closed.")).toBeVisible();
  await expect(page.getByText("No tickets match these filters.")).toBeVisible();
  await expect(view).toContainText("0");
  await page.getByRole("button", { name: "Undo" }).click();
  await expect(page.getByText("Undone: the tickets are as they were.")).toBeVisible();
  await expect(page.getByTestId("queue-row")).toHaveCount(2);
  // Bulk assign to me.
  await page.getByLabel(`Select “${tag} forgot password”`).check();
  await page.getByRole("region", { name: "Bulk actions" }).getByLabel("Assign to").selectOption({ label: "Me" });
  await page.getByRole("button", { name: "Assign", exact: true }).click();
  await expect(page.getByText("1 ticket assigned to you.")).toBeVisible();
  await expect(page.getByTestId("queue-row").filter({ hasText: "forgot password" })).toContainText("Tess Triage");

  // Canned replies: create, edit, then use one in a reply, then delete it.
  await page.getByRole("navigation", { name: "Back-office" }).getByRole("link", { name: "Canned replies" }).click();
  await expect(page.getByRole("heading", { name: "Canned replies" })).toBeVisible();
  await page.getByRole("button", { name: "New canned reply" }).click();
  const editor = page.getByRole("dialog", { name: "New canned reply" });
  await editor.getByLabel("Title").fill(`${tag} camera help`);
  await editor.getByLabel("Text").fill("Please allow the camera in your browser.");
  await editor.getByRole("button", { name: "Save" }).click();
  const canned = page.getByTestId("canned-row").filter({ hasText: `${tag} camera help` });
  await expect(canned).toContainText("Please allow the camera in your browser.");
  // A second reply with the same title would replace the first: the form says so instead.
  await page.getByRole("button", { name: "New canned reply" }).click();
  await editor.getByLabel("Title").fill(`${tag} camera help`);
  await editor.getByLabel("Text").fill("Something else.");
  await editor.getByRole("button", { name: "Save" }).click();
  await expect(editor.getByText("A canned reply with this title exists.")).toBeVisible();
  await editor.getByRole("button", { name: "Cancel" }).click();
  await expect(canned).toContainText("Please allow the camera in your browser.");
  await canned.getByRole("button", { name: `Edit ${tag} camera help` }).click();
  const edit = page.getByRole("dialog", { name: "Edit canned reply" });
  await edit.getByLabel("Text").fill("Please allow the camera in your browser settings, then join again.");
  await edit.getByRole("button", { name: "Save" }).click();
  await expect(canned).toContainText("then join again.");
  await expectAccessible(page, "/admin/canned-replies");
  await page.screenshot({ path: `${SHOTS}/console-canned.png`, fullPage: true });

  await open(page, `/admin/tickets?q=${tag}&channel=EMAIL`);
  await page.getByRole("link", { name: `${tag} camera stays black` }).click();
  await expect(page.getByRole("heading", { name: `${tag} camera stays black` })).toBeVisible();
  const requester = page.getByTestId("requester");
  await expect(requester).toContainText("demo@mindnamo.test");
  await expect(requester).toContainText("Active");
  await expect(
    page.getByTestId("requester-tickets").getByRole("link", { name: `${tag} forgot password` }),
  ).toBeVisible();
  await page.getByLabel("Canned reply").selectOption({ label: `${tag} camera help` });
  await page.getByRole("button", { name: "Insert" }).click();
  await expect(page.getByLabel("Reply to the requester")).toHaveValue(
    "Please allow the camera in your browser settings, then join again.",
  );
  await page.getByRole("button", { name: "Send reply" }).click();
  await expect(page.getByText("Reply sent.")).toBeVisible();
  await expect(page.getByTestId("staff-thread-message").last()).toContainText("then join again.");
  await expect(page.locator("main")).not.toContainText("PENDING_USER");
  await expectAccessible(page, "/admin/tickets/:id with the requester panel");
  await page.screenshot({ path: `${SHOTS}/console-ticket.png`, fullPage: true });

  await page.getByRole("link", { name: "Manage canned replies" }).click();
  await canned.getByRole("button", { name: `Delete ${tag} camera help` }).click();
  const confirm = page.getByRole("dialog", { name: `Delete “${tag} camera help”?` });
  await confirm.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText(`“${tag} camera help” deleted.`)).toBeVisible();
  await expect(canned).toHaveCount(0);

  // The same pages at tablet width: nothing runs off the side.
  await page.setViewportSize({ width: 768, height: 1000 });
  for (const [path, file] of [
    [`/admin/tickets?q=${tag}`, "console-tickets-768.png"],
    ["/admin/canned-replies", "console-canned-768.png"],
  ] as const) {
    await open(page, path);
    await expect(page.locator("main h1")).toBeVisible();
    await expect(page.getByRole("status").filter({ hasText: "Loading…" })).toHaveCount(0, { timeout: 15_000 });
    await noHorizontalOverflow(page, path);
    await page.screenshot({ path: `${SHOTS}/${file}`, fullPage: true });
  }
  await open(page, `/admin/tickets?q=${tag}`);
  await page.getByRole("link", { name: `${tag} camera stays black` }).click();
  await expect(page.getByTestId("requester")).toBeVisible();
  await noHorizontalOverflow(page, "/admin/tickets/:id at 768 px");
  await expectAccessible(page, "/admin/tickets/:id at 768 px");
  await page.screenshot({ path: `${SHOTS}/console-ticket-768.png`, fullPage: true });
  await context.close();
});
