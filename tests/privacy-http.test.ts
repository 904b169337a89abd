// The privacy center at the HTTP edge (P21-P23): the real server and the production Remix build. Export, deletion
// and correction refuse without a session and without a fresh re-authentication; a request id of another user is
// "not found"; the export holds only the signed-in person's data and validates against docs/export-schema.json; the
// dev-only erasure clock is refused in production.
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExpert } from "../core/catalog/index.ts";
import { hashPassword } from "../core/identity/password.ts";
import { giveHealthConsent, HEALTH_CONSENT_NEEDED, HEALTH_CONSENT_VERSION } from "../core/privacy/health-consent.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const PASSWORD = "quiet lantern by the sea";
let srv: TestServer;
let passwordHash: string;
beforeAll(async () => {
  [srv, passwordHash] = await Promise.all([startTestServer({ TRUST_PROXY: "1" }), hashPassword(PASSWORD)]);
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

const prisma = () => srv.running.services.db.prisma;
/** The published format of the export (docs/export-schema.json): the file served over HTTP must validate. */
const validateExport = new Ajv({ allErrors: true, strict: false }).compile(
  JSON.parse(fs.readFileSync(path.resolve(import.meta.dirname, "../docs/export-schema.json"), "utf8")) as object,
);
let ip = 0;
const nextIp = () => `198.51.100.${++ip}`;
async function signedIn(email: string, name = "Privacy Person") {
  const user = await prisma().user.create({
    data: { email, name, passwordHash, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const b = new Browser(srv, { ip: nextIp() });
  const res = await b.post("/login", { email, password: PASSWORD });
  expect(res.status).toBe(302);
  return { b, id: user.id, email, name };
}
/** Makes the person's sessions older than the 10-minute re-authentication window. */
async function makeStale(userId: string) {
  await prisma().session.updateMany({
    where: { userId },
    data: { reauthenticatedAt: new Date(Date.now() - 30 * 60_000) },
  });
}

describe("privacy center", () => {
  it("needs a session: anonymous GET and POST redirect to sign in, and nothing is exported or requested", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    for (const path of ["/account/privacy", "/account/privacy/delete", "/account/privacy/correction"]) {
      expect((await b.get(path)).headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    }
    for (const path of [
      "/account/privacy/export",
      "/account/privacy/delete",
      "/account/privacy/correction",
      "/account/privacy?index",
    ]) {
      const res = await b.post(path, {
        confirm: "yes",
        details: "Something is wrong here.",
        intent: "cancel",
        requestId: "x",
      });
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location"), path).toMatch(/^\/login\?next=/);
    }
    expect(await prisma().privacyRequest.count()).toBe(0);
  });

  it("export and deletion refuse without a fresh re-authentication (to /reauth, nothing done), then work after it", async () => {
    const u = await signedIn("stale@example.com");
    await makeStale(u.id);
    const exp = await u.b.post("/account/privacy/export", {});
    expect(exp.status).toBe(302);
    expect(exp.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy?done=confirmed")}`);
    const del = await u.b.post("/account/privacy/delete", { confirm: "yes" });
    expect(del.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy/delete")}`);
    const cor = await u.b.post("/account/privacy/correction", { details: "My booking on 3 May is wrong." });
    expect(cor.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent("/account/privacy/correction")}`);
    expect(await prisma().privacyRequest.count({ where: { userId: u.id } })).toBe(0);

    // Confirm it's them, then it works.
    expect(
      (
        await u.b.post("/reauth", { intent: "password", password: PASSWORD, next: "/account/privacy?done=confirmed" })
      ).headers.get("location"),
    ).toBe("/account/privacy?done=confirmed");
    const ok = await u.b.post("/account/privacy/export", {});
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-disposition")).toMatch(
      /^attachment; filename="mindnamo-data-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(ok.headers.get("cache-control")).toBe("no-store");
    const json = (await ok.json()) as { userId: string; sections: { account: { data: { email: string } } } };
    validateExport(json);
    expect(validateExport.errors ?? [], "docs/export-schema.json").toEqual([]);
    expect(json.userId).toBe(u.id);
    expect(json.sections.account.data.email).toBe(u.email);
    expect(
      await prisma().privacyRequest.findMany({ where: { userId: u.id }, select: { type: true, status: true } }),
    ).toEqual([{ type: "ACCESS", status: "COMPLETED" }]);

    const noConfirm = await u.b.post("/account/privacy/delete", {});
    expect(noConfirm.status).toBe(400);
    const requested = await u.b.post("/account/privacy/delete", { confirm: "yes" });
    expect(requested.headers.get("location")).toBe("/account/privacy?done=deletion");
    expect(await prisma().privacyRequest.count({ where: { userId: u.id, type: "DELETION", status: "PENDING" } })).toBe(
      1,
    );
  });

  it("the export holds nothing of another user; GET never exports", async () => {
    const a = await signedIn("alpha@example.com", "Alpha Anders");
    const b = await signedIn("beta@example.com", "Beta Bergstrom");
    await prisma().supportTicket.create({
      data: {
        requesterId: b.id,
        subject: "Beta's private trouble",
        category: "OTHER",
        channel: "WEB",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
      select: { id: true },
    });
    expect((await a.b.get("/account/privacy/export")).headers.get("location")).toBe("/account/privacy");
    expect(await prisma().privacyRequest.count({ where: { userId: a.id } })).toBe(0);
    const text = await (await a.b.post("/account/privacy/export", {})).text();
    expect(text).toContain("alpha@example.com");
    for (const needle of [b.id, b.email, b.name, "private trouble"]) expect(text).not.toContain(needle);
  });

  it("another user's request id: cancelling it is 'not found' and changes nothing", async () => {
    const owner = await signedIn("owner-p@example.com");
    const other = await signedIn("other-p@example.com");
    expect((await owner.b.post("/account/privacy/delete", { confirm: "yes" })).status).toBe(302);
    const r = await prisma().privacyRequest.findFirstOrThrow({ where: { userId: owner.id }, select: { id: true } });
    const res = await other.b.post("/account/privacy?index", { intent: "cancel", requestId: r.id });
    expect(res.status).toBe(404);
    expect(
      (await prisma().privacyRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })).status,
    ).toBe("PENDING");
    expect(await pageText(await other.b.get("/account/privacy"))).not.toContain("Delete my account");
    // The owner can cancel.
    expect((await owner.b.post("/account/privacy?index", { intent: "cancel", requestId: r.id })).status).toBe(200);
    expect(
      (await prisma().privacyRequest.findUniqueOrThrow({ where: { id: r.id }, select: { status: true } })).status,
    ).toBe("CANCELLED");
  });

  it("the staff-access ledger shows role, time and purpose, never the staff member's name or email", async () => {
    const u = await signedIn("ledger@example.com");
    const agent = await prisma().user.create({
      data: { email: "agent-ledger@example.com", name: "Agnes Agent", role: "SUPPORT" },
      select: { id: true },
    });
    await prisma().auditEvent.create({
      data: {
        actorId: agent.id,
        actorRole: "SUPPORT",
        action: "ticket.view",
        subjectUserId: u.id,
        target: "ticket:t1",
        purpose: "t1",
      },
      select: { id: true },
    });
    const page = await pageText(await u.b.get("/account/privacy"));
    expect(page).toContain("Support agent");
    expect(page).toContain("Read your support request");
    expect(page).not.toContain("Agnes");
    expect(page).not.toContain("agent-ledger@example.com");
  });
});

describe("health-data consent in the privacy center", () => {
  /** A published expert free every day, so the booking page always offers slots. */
  async function expertWithSlots(slug: string) {
    await prisma().category.upsert({
      where: { slug: "low-mood" },
      create: { slug: "low-mood", name: "Low Mood & Depression", description: "Support when mood is low." },
      update: {},
      select: { id: true },
    });
    await createExpert(prisma(), {
      email: `${slug}@experts.example.com`,
      name: "Hana Expert",
      password: PASSWORD,
      slug,
      headline: "Steady support",
      bio: "Helps people through low mood with small, practical steps.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: ["low-mood"],
      availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 0, endMinute: 24 * 60 - 60 })),
      published: true,
    });
  }
  async function firstSlot(b: Browser, slug: string) {
    // Two days ahead, whatever the hour: today's page may show a single slot left (notice period), and the test
    // books two.
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const html = await (await b.get(`/book/${slug}?tz=UTC&topic=low-mood&date=${day}`)).text();
    const starts = [...html.matchAll(/data-starts-at="([^"]+)"/g)].map((m) => m[1]!);
    expect(starts.length, "the booking page offers slots").toBeGreaterThan(1);
    return starts;
  }
  const bookingsOf = (userId: string) => prisma().booking.count({ where: { userId } });
  const consentsOf = (userId: string) =>
    prisma().consent.findMany({
      where: { userId, kind: "HEALTH_DATA" },
      orderBy: [{ at: "asc" }, { id: "asc" }],
      select: { given: true, source: true, textVersion: true },
    });

  it("withdrawal is recorded, deletes the preferences, keeps the bookings, says so, and stops booking until given again", async () => {
    await expertWithSlots("hana-consent");
    const u = await signedIn("health-consent@example.com");
    const starts = await firstSlot(u.b, "hana-consent");

    // Booked with the consent ticked on the booking form: the consent is recorded first, then the booking.
    const booked = await u.b.post("/book/hana-consent", {
      startsAt: starts[0]!,
      categorySlug: "low-mood",
      healthConsent: "yes",
      tz: "UTC",
    });
    expect(booked.status, await booked.clone().text()).toBe(302);
    expect(booked.headers.get("location")).toMatch(/^\/sessions\/[\w-]+\/booked$/);
    expect(await bookingsOf(u.id)).toBe(1);
    const category = await prisma().category.findUniqueOrThrow({ where: { slug: "low-mood" }, select: { id: true } });
    await prisma().wellnessPreference.create({
      data: { userId: u.id, kind: "CATEGORY_BROWSED", categoryId: category.id },
      select: { id: true },
    });
    expect(await prisma().wellnessPreference.count({ where: { userId: u.id } })).toBeGreaterThan(0);
    expect(await pageText(await u.b.get("/account/privacy"))).toContain("Withdraw my consent");

    const withdrawn = await u.b.post("/account/privacy?index", { intent: "health-consent-withdraw" });
    expect(withdrawn.status).toBe(200);
    const said = await pageText(withdrawn);
    expect(said).toContain("Your consent is withdrawn");
    expect(said).toContain("Your bookings stay");
    expect((await consentsOf(u.id)).map((c) => c.given)).toEqual([true, false]);
    expect(await prisma().wellnessPreference.count({ where: { userId: u.id } })).toBe(0);
    expect(await bookingsOf(u.id)).toBe(1);
    const page = await pageText(await u.b.get("/account/privacy"));
    expect(page).toContain("You have not given this consent.");
    expect(page).toContain("Give my consent");

    // Without the consent, the next booking is refused and nothing is booked.
    const refused = await u.b.post("/book/hana-consent", { startsAt: starts[1]!, categorySlug: "low-mood", tz: "UTC" });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await pageText(refused)).toContain(HEALTH_CONSENT_NEEDED);
    expect(await bookingsOf(u.id)).toBe(1);

    // An unticked box gives nothing; the ticked one records the consent (from the settings), and booking works again.
    const unticked = await u.b.post("/account/privacy?index", { intent: "health-consent-give" });
    expect(await pageText(unticked)).toContain("Tick the box to give your explicit consent.");
    expect((await consentsOf(u.id)).length).toBe(2);
    const given = await u.b.post("/account/privacy?index", { intent: "health-consent-give", confirm: "yes" });
    expect(given.status).toBe(200);
    expect(await pageText(given)).toContain("Your consent is recorded");
    expect((await consentsOf(u.id)).at(-1)).toEqual({
      given: true,
      source: "SETTINGS",
      textVersion: HEALTH_CONSENT_VERSION,
    });
    const again = await u.b.post("/book/hana-consent", { startsAt: starts[1]!, categorySlug: "low-mood", tz: "UTC" });
    expect(again.status, await again.clone().text()).toBe(302);
    expect(await bookingsOf(u.id)).toBe(2);
  });

  it("needs a session: giving or withdrawing without one redirects to sign in and records nothing", async () => {
    const before = await prisma().consent.count({ where: { kind: "HEALTH_DATA" } });
    const b = new Browser(srv, { ip: nextIp() });
    for (const intent of ["health-consent-withdraw", "health-consent-give"]) {
      const res = await b.post("/account/privacy?index", { intent, confirm: "yes" });
      expect(res.status, intent).toBe(302);
      expect(res.headers.get("location"), intent).toMatch(/^\/login\?next=/);
    }
    expect(await prisma().consent.count({ where: { kind: "HEALTH_DATA" } })).toBe(before);
  });
});

describe("wellness preferences posted by the page (/preferences)", () => {
  // The profile and the directory post what a signed-in person looked at once the page is shown (RecordPreference).
  const expertSlug = "pref-expert";
  beforeAll(async () => {
    await prisma().category.upsert({
      where: { slug: "calm-pref" },
      create: { slug: "calm-pref", name: "Calm", description: "Finding calm in busy days." },
      update: {},
    });
    await createExpert(prisma(), {
      email: `${expertSlug}@experts.example.com`,
      name: "Pref Expert",
      password: PASSWORD,
      slug: expertSlug,
      headline: "Steady support",
      bio: "Helps people through worry with small, practical steps.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: ["calm-pref"],
      published: true,
    });
  });
  const rowsOf = (userId: string) =>
    prisma().wellnessPreference.findMany({ where: { userId }, select: { kind: true, count: true } });

  it("records a viewed expert and topic for a person who gave the health-data consent", async () => {
    const p = await signedIn("pref-consented@example.com");
    await giveHealthConsent(prisma(), p.id, "SETTINGS");
    for (const fields of [
      { kind: "expert", slug: expertSlug },
      { kind: "expert", slug: expertSlug },
      { kind: "category", slug: "calm-pref" },
    ]) {
      expect((await p.b.post("/preferences", fields)).status).toBe(204);
    }
    expect(await rowsOf(p.id)).toEqual(
      expect.arrayContaining([
        { kind: "EXPERT_ENGAGED", count: 2 },
        { kind: "CATEGORY_BROWSED", count: 1 },
      ]),
    );
  });

  it("records nothing without that consent, without a session, from another site, or for an unknown slug", async () => {
    const p = await signedIn("pref-no-consent@example.com");
    expect((await p.b.post("/preferences", { kind: "expert", slug: expertSlug })).status).toBe(204);
    expect(await rowsOf(p.id)).toEqual([]);

    const consented = await signedIn("pref-refused@example.com");
    await giveHealthConsent(prisma(), consented.id, "SETTINGS");
    const crossSite = await consented.b.post(
      "/preferences",
      { kind: "expert", slug: expertSlug },
      { origin: "https://elsewhere.example", "sec-fetch-site": "cross-site" },
    );
    expect(crossSite.status).toBe(403);
    expect((await consented.b.post("/preferences", { kind: "expert", slug: "no-such-expert" })).status).toBe(204);
    expect((await consented.b.post("/preferences", { kind: "mood", slug: expertSlug })).status).toBe(204);
    expect(await rowsOf(consented.id)).toEqual([]);

    const before = await prisma().wellnessPreference.count();
    const anonymous = new Browser(srv, { ip: nextIp() });
    expect((await anonymous.post("/preferences", { kind: "expert", slug: expertSlug })).status).toBe(204);
    expect(await prisma().wellnessPreference.count()).toBe(before);
    // A person who opens the address is sent to where these preferences are shown (and cleared).
    const opened = await anonymous.get("/preferences");
    expect([opened.status, opened.headers.get("location")]).toEqual([302, "/account#prefs-title"]);
  });
});

describe("the dev-only erasure clock", () => {
  it("is refused in production", async () => {
    const prod = await startTestServer({
      NODE_ENV: "production",
      MAIL_TRANSPORT: "outbox",
      SESSION_SECRET: "x".repeat(48),
      TRUST_PROXY: "1",
    });
    try {
      const b = new Browser(prod, {
        ip: nextIp(),
        origin: prod.config.appUrl,
        headers: { "x-forwarded-host": new URL(prod.config.appUrl).host },
      });
      expect((await b.get("/dev/erasures")).status).toBe(404);
      expect((await b.post("/dev/erasures", { days: "30" })).status).toBe(404);
    } finally {
      await prod.stop();
    }
  }, 120_000);
});
