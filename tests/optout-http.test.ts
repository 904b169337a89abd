// Opt-out, the newsletter and consent at the HTTP edge (privacy promise P24; P8 and P16 for consent), with the real
// server, the production Remix build and the real pg-boss queue: one-click unsubscribe works signed out (RFC 8058
// POST from a mail client, and the page's button), a forged link is refused and changes nothing, reminder and
// newsletter mail carry List-Unsubscribe headers, the email settings page needs a session, and a consent choice is
// recorded without identifying a visitor and without any cookie.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { createSession } from "../core/identity/sessions.ts";
import { listOutbox, type OutboxEntry } from "../core/platform/mail/index.ts";
import { runReminder } from "../core/notifications/bookings.ts";
import { unsubscribeUrl } from "../core/notifications/unsubscribe.ts";
import { queueNewsletter } from "../core/privacy/newsletter.ts";
import { bookSlot } from "../core/scheduling/bookings.ts";
import { requesterFor } from "../core/platform/testing/accounts.ts";
import { Browser } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";
import { giveHealthConsent } from "../core/privacy/health-consent.ts";

let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;
const key = () => srv.running.services.secrets.unsubscribeKey;
beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
});
afterAll(async () => {
  await srv?.stop();
});

let n = 0;
async function person(opts: { newsletter?: boolean } = {}) {
  const email = `optout${++n}@example.com`;
  const user = await prisma().user.create({
    data: { email, name: `Reader ${n}`, emailVerifiedAt: new Date(), newsletterEnabled: opts.newsletter ?? false },
    select: { id: true },
  });
  return { id: user.id, email };
}
async function browserFor(userId: string) {
  const { token } = await createSession(prisma(), { userId, role: "USER", device: requesterFor().device });
  const b = new Browser(srv, { ip: `198.51.100.${100 + n}` });
  b.cookies.set("mn_session", token);
  return b;
}
const prefs = (id: string) =>
  prisma().user.findUniqueOrThrow({ where: { id }, select: { remindersEnabled: true, newsletterEnabled: true } });
/** The path and query of a link the app made (its origin is APP_URL, not the test server's). */
const local = (url: string) => {
  const u = new URL(url);
  return `${u.pathname}${u.search}`;
};
/** What a mail client sends for RFC 8058 one-click unsubscribe: a POST with no cookie, no Origin, no page. */
const oneClick = (path: string) =>
  fetch(`${srv.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-forwarded-for": "192.0.2.10" },
    body: "List-Unsubscribe=One-Click",
  });
async function waitForMail(to: string, template: string, timeoutMs = 20_000): Promise<OutboxEntry> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listOutbox(srv.config.mailOutboxDir, 500)).find((m) => m.to === to && m.template === template);
    if (found) return found;
    if (Date.now() > until) throw new Error(`no ${template} mail to ${to}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const linkFrom = (mail: OutboxEntry) => {
  expect(mail.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
  const m = /^<(.+)>$/.exec(mail.headers["List-Unsubscribe"] ?? "");
  expect(m, "List-Unsubscribe is one <URL>").toBeTruthy();
  expect(m![1]!.startsWith(`${srv.config.appUrl}/unsubscribe?`)).toBe(true);
  return m![1]!;
};

describe("one-click unsubscribe", () => {
  it("a mail client's one-click POST unsubscribes while signed out, with no confirmation step; repeating it is harmless", async () => {
    const reader = await person({ newsletter: true });
    const path = local(unsubscribeUrl(srv.config.appUrl, key(), { userId: reader.id, list: "newsletter" }));
    const res = await oneClick(path);
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await prefs(reader.id)).toEqual({ remindersEnabled: true, newsletterEnabled: false });
    expect((await oneClick(path)).status).toBe(200);
    const history = await prisma().consent.findMany({
      where: { userId: reader.id },
      select: { kind: true, given: true, source: true },
    });
    expect(history).toEqual([{ kind: "NEWSLETTER", given: false, source: "EMAIL_LINK" }]);
  });

  it("a person opens the link (GET changes nothing), presses the button, and is unsubscribed", async () => {
    const reader = await person({ newsletter: true });
    const path = local(unsubscribeUrl(srv.config.appUrl, key(), { userId: reader.id, list: "newsletter" }));
    const b = new Browser(srv, { ip: "198.51.100.201" });
    const page = await b.get(path);
    expect(page.status).toBe(200);
    expect((await page.text()).replaceAll("<!-- -->", "")).toContain("Stop sending you the Mind Namo newsletter?");
    expect((await prefs(reader.id)).newsletterEnabled).toBe(true);
    const u = new URL(path, srv.url);
    // The page's form posts back to the link itself, carrying the same fields.
    const done = await b.post(path, { u: u.searchParams.get("u")!, l: "newsletter", t: u.searchParams.get("t")! });
    const text = await done.text();
    expect(done.status, text.slice(0, 3000)).toBe(200);
    expect(text).toContain("You are unsubscribed");
    expect((await prefs(reader.id)).newsletterEnabled).toBe(false);
  });

  it("refuses a forged or altered link with a clear message (403) and changes nothing", async () => {
    const reader = await person({ newsletter: true });
    const other = await person({ newsletter: true });
    const good = new URL(unsubscribeUrl(srv.config.appUrl, key(), { userId: reader.id, list: "newsletter" }));
    const t = good.searchParams.get("t")!;
    const forged = [
      `/unsubscribe?u=${reader.id}&l=newsletter&t=${"0".repeat(64)}`,
      `/unsubscribe?u=${reader.id}&l=newsletter&t=${t.slice(0, -1)}${t.endsWith("0") ? "1" : "0"}`,
      `/unsubscribe?u=${other.id}&l=newsletter&t=${t}`,
      `/unsubscribe?u=${reader.id}&l=reminders&t=${t}`,
      `/unsubscribe?u=${reader.id}&l=newsletter`,
    ];
    for (const path of forged) {
      const post = await oneClick(path);
      expect(post.status, path).toBe(403);
      expect(await post.text()).toContain("This unsubscribe link is not valid");
      const get = await fetch(`${srv.url}${path}`);
      expect(get.status, path).toBe(403);
      expect(await get.text()).toContain("This unsubscribe link is not valid");
    }
    expect(await prefs(reader.id)).toEqual({ remindersEnabled: true, newsletterEnabled: true });
    expect(await prefs(other.id)).toEqual({ remindersEnabled: true, newsletterEnabled: true });
  });
});

describe("non-essential mail carries List-Unsubscribe headers", () => {
  it("a newsletter sent through the job queue reaches only the opted-in person, whose header link unsubscribes them signed out", async () => {
    const subscriber = await person({ newsletter: true });
    const never = await person();
    const s = srv.running.services;
    await queueNewsletter(
      { db: s.db.prisma, jobs: s.jobs, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey },
      { id: null, role: "ADMIN", ip: null },
      { subject: "Winter newsletter", body: "Small steps to calmer evenings." },
    );
    const mail = await waitForMail(subscriber.email, "newsletter");
    expect(mail.subject).toBe("Winter newsletter");
    expect(mail.text).toContain("privacy@mindnamo.com");
    const link = linkFrom(mail);
    expect((await listOutbox(srv.config.mailOutboxDir, 500)).some((m) => m.to === never.email)).toBe(false);
    expect((await oneClick(local(link))).status).toBe(200);
    expect((await prefs(subscriber.id)).newsletterEnabled).toBe(false);
  }, 40_000);

  it("a session reminder carries the headers, and its link turns reminders off signed out", async () => {
    const db = prisma();
    await createCategory(db, { slug: "calm", name: "Calm", description: "Quieter days and steadier nights." });
    await createExpert(db, {
      email: "expert-optout@experts.example",
      name: "Ola Expert",
      slug: "ola",
      headline: "Calm coach",
      bio: "Gentle, practical help for calmer days.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: ["calm"],
      availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 - 1 })),
      published: true,
    });
    const client = await person();
    await giveHealthConsent(db, client.id, "BOOKING");
    const now = new Date();
    const startsAt = new Date(Math.ceil((now.getTime() + 3 * 24 * 3600_000) / 3600_000) * 3600_000);
    const booking = await bookSlot(
      db,
      { userId: client.id },
      { expertSlug: "ola", categorySlug: "calm", startsAt },
      now,
    );
    const s = srv.running.services;
    const outcome = await runReminder(
      { db, appUrl: s.config.appUrl, unsubscribeKey: s.secrets.unsubscribeKey },
      s.mailer,
      {
        bookingId: booking.id,
        kind: "reminder-24h",
        startsAt: startsAt.toISOString(),
      },
    );
    expect(outcome).toBe("sent");
    const mail = await waitForMail(client.email, "booking-reminder-24h");
    const link = linkFrom(mail);
    expect(new URL(link).searchParams.get("l")).toBe("reminders");
    expect((await oneClick(local(link))).status).toBe(200);
    expect(await prefs(client.id)).toEqual({ remindersEnabled: false, newsletterEnabled: false });
  });
});

describe("email settings page", () => {
  it("needs a session: anonymous GET and POST redirect to sign in, and nothing changes", async () => {
    const b = new Browser(srv, { ip: "198.51.100.210" });
    expect((await b.get("/account/communications")).headers.get("location")).toBe(
      `/login?next=${encodeURIComponent("/account/communications")}`,
    );
    const post = await b.post("/account/communications", { intent: "email-preferences", newsletter: "on" });
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toMatch(/^\/login/);
  });

  it("shows the essential emails and saves the person's own choices, recorded in their consent history", async () => {
    const reader = await person();
    const other = await person();
    const b = await browserFor(reader.id);
    const page = await (await b.get("/account/communications")).text();
    expect(page).toContain("Always sent");
    expect(page).toContain("No choices recorded yet");
    // Only the two checkboxes count: an injected user id is ignored (the session decides whose settings change).
    const saved = await b.post("/account/communications", {
      intent: "email-preferences",
      newsletter: "on",
      userId: other.id,
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Session reminders are off. You get the newsletter.");
    expect(await prefs(reader.id)).toEqual({ remindersEnabled: false, newsletterEnabled: true });
    expect(await prefs(other.id)).toEqual({ remindersEnabled: true, newsletterEnabled: false });
    const after = await (await b.get("/account/communications")).text();
    expect(after).toContain("Subscribed");
    expect(after).toContain("your settings");
  });
});

describe("consent records", () => {
  const postJson = (b: Browser | null, body: unknown) =>
    fetch(`${srv.url}/consent`, {
      method: "POST",
      redirect: "manual",
      headers: {
        "content-type": "application/json",
        origin: srv.url,
        "sec-fetch-site": "same-origin",
        "x-forwarded-for": "203.0.113.99",
        ...(b ? { cookie: [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ") } : {}),
      },
      body: JSON.stringify(body),
    });

  it("a visitor's choice is stored with time and source only (no user, no IP) and sets no cookie; a signed-in person's carries their id", async () => {
    const before = await prisma().consent.count();
    const res = await postJson(null, { analytics: true, source: "banner", at: "2020-01-01T00:00:00Z" });
    expect(res.status).toBe(204);
    expect(res.headers.getSetCookie()).toEqual([]);
    const rows = await prisma().consent.findMany({ orderBy: { at: "desc" }, take: 1 });
    expect(await prisma().consent.count()).toBe(before + 1);
    expect(rows[0]).toMatchObject({ kind: "ANALYTICS", given: true, source: "BANNER", userId: null });
    expect(Math.abs(rows[0]!.at.getTime() - Date.now())).toBeLessThan(60_000); // the server's time, not the browser's
    expect(JSON.stringify(rows[0])).not.toContain("203.0.113.99");

    const reader = await person();
    const b = await browserFor(reader.id);
    expect((await postJson(b, { analytics: false, source: "settings" })).status).toBe(204);
    expect(
      await prisma().consent.findMany({
        where: { userId: reader.id },
        select: { kind: true, given: true, source: true },
      }),
    ).toEqual([{ kind: "ANALYTICS", given: false, source: "SETTINGS" }]);
    expect(await (await b.get("/account/communications")).text()).toContain("Essential only");
  });

  it("refuses a malformed or oversized choice, and a cross-site post", async () => {
    const before = await prisma().consent.count();
    expect((await postJson(null, { analytics: "yes", source: "banner" })).status).toBe(400);
    expect((await postJson(null, { analytics: true, source: "somewhere" })).status).toBe(400);
    // Too large to be a choice: refused by its announced length, before it is read.
    expect((await postJson(null, { analytics: true, source: "banner", padding: "x".repeat(2_000) })).status).toBe(400);
    const cross = await fetch(`${srv.url}/consent`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: JSON.stringify({ analytics: true, source: "banner" }),
    });
    expect(cross.status).toBe(403);
    expect(await prisma().consent.count()).toBe(before);
  });

  it("without JavaScript, the privacy page's form records the choice and comes back to the page", async () => {
    const b = new Browser(srv, { ip: "198.51.100.220" });
    const res = await b.post("/consent", { analytics: "false", source: "settings" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/privacy?consent=saved#consent");
    expect(res.headers.getSetCookie()).toEqual([]);
    // Opening the address itself records nothing and leads to where the choice is made.
    const before = await prisma().consent.count();
    const opened = await b.get("/consent");
    expect([opened.status, opened.headers.get("location")]).toEqual([302, "/privacy#consent"]);
    expect(await prisma().consent.count()).toBe(before);
  });
});
