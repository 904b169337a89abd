// Opt-out (P24), the newsletter's audience, signed unsubscribe links, consent records and retention, on a real
// database (PGlite, or the server with TEST_DATABASE_URL). The job queue is a recorder: these tests call the
// fan-out and delivery steps themselves (tests/privacy-http.test.ts runs them through pg-boss).
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { JobQueue } from "../platform/jobs/queue.ts";
import { createUser } from "../identity/users.ts";
import { listOutbox, OutboxMailer } from "../platform/mail/index.ts";
import { unsubscribeToken, unsubscribeUrl, verifyUnsubscribe } from "../notifications/unsubscribe.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  DEFAULT_EMAIL_PREFERENCES,
  getEmailPreferences,
  INVALID_LINK,
  setEmailPreferences,
  unsubscribeWithLink,
} from "./communications.ts";
import { listOwnConsents, recordAnalyticsConsent } from "./consent.ts";
import { DPO_CONTACT } from "./dpo.ts";
import {
  deliverNewsletter,
  fanOutNewsletter,
  newsletterRecipientIds,
  queueNewsletter,
  type NewsletterDeliveryJob,
  type NewsletterDeps,
} from "./newsletter.ts";
import { purgeExpiredData, RETENTION } from "./retention.ts";

let t: TestDatabase;
const key = new Uint8Array(crypto.randomBytes(32));
const outbox = fs.mkdtempSync(path.join(os.tmpdir(), "mn-privacy-"));
const mailer = new OutboxMailer(outbox, "test@mindnamo.test");
const sent: { name: string; data: unknown; singletonKey?: string }[] = [];
const jobs: JobQueue = {
  send(name, data, opts) {
    sent.push({ name, data, singletonKey: opts?.singletonKey });
    return Promise.resolve(String(sent.length));
  },
  async work() {},
  wake() {},
  unfinished: () => Promise.resolve(0),
  async schedule() {},
  async stop() {},
};
let deps: NewsletterDeps;
let n = 0;
const person = (opts: { verified?: boolean } = {}) =>
  createUser(t.db.prisma, { email: `p${++n}@example.com`, name: `Person ${n}`, emailVerified: opts.verified ?? true });
const admin = { id: null, role: "ADMIN" as const, ip: "203.0.113.5" };

beforeAll(async () => {
  t = await createTestDatabase();
  deps = { db: t.db.prisma, jobs, appUrl: "https://mindnamo.example", unsubscribeKey: key };
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(outbox, { recursive: true, force: true });
});

describe("email preferences", () => {
  it("default to reminders on and the newsletter off (opt-in), and a newsletter change is recorded with time and source", async () => {
    const user = await person();
    expect(await getEmailPreferences(t.db.prisma, user.id)).toEqual(DEFAULT_EMAIL_PREFERENCES);
    expect(DEFAULT_EMAIL_PREFERENCES).toEqual({ reminders: true, newsletter: false, details: false });
    expect(await listOwnConsents(t.db.prisma, user.id)).toEqual([]);

    const at = new Date("2027-01-02T03:04:05Z");
    await setEmailPreferences(t.db.prisma, user.id, { reminders: false, newsletter: true }, "SETTINGS", at);
    expect(await getEmailPreferences(t.db.prisma, user.id)).toEqual({
      reminders: false,
      newsletter: true,
      details: false,
    });
    expect(await listOwnConsents(t.db.prisma, user.id)).toEqual([
      { kind: "NEWSLETTER", given: true, source: "SETTINGS", at },
    ]);
    // Saving the same choice again records nothing new.
    await setEmailPreferences(t.db.prisma, user.id, { reminders: true, newsletter: true });
    expect(await listOwnConsents(t.db.prisma, user.id)).toHaveLength(1);
  });
});

describe("unsubscribe links", () => {
  it("a forged, altered or cross-list token is refused and changes nothing; the real link turns the list off", async () => {
    const user = await person();
    await setEmailPreferences(t.db.prisma, user.id, { reminders: true, newsletter: true });
    const good = new URL(unsubscribeUrl(deps.appUrl, key, { userId: user.id, list: "newsletter" }));
    const other = await person();
    const forgeries: Record<string, string>[] = [
      { u: user.id, l: "newsletter", t: "0".repeat(64) },
      { u: user.id, l: "newsletter", t: good.searchParams.get("t")!.replace(/.$/, (c) => (c === "a" ? "b" : "a")) },
      { u: other.id, l: "newsletter", t: good.searchParams.get("t")! }, // someone else's id with this token
      { u: user.id, l: "newsletter", t: unsubscribeToken(new Uint8Array(32), user.id, "newsletter") }, // another key
      { u: user.id, l: "reminders", t: good.searchParams.get("t")! }, // the newsletter token for another list
      { u: user.id, l: "everything", t: good.searchParams.get("t")! },
      { u: user.id, l: "newsletter", t: "" },
    ];
    for (const f of forgeries) {
      await expect(unsubscribeWithLink(t.db.prisma, key, (k) => f[k] ?? null)).rejects.toMatchObject({
        code: "FORBIDDEN",
        message: INVALID_LINK,
      });
    }
    expect(await getEmailPreferences(t.db.prisma, user.id)).toEqual({
      reminders: true,
      newsletter: true,
      details: false,
    });

    expect(await unsubscribeWithLink(t.db.prisma, key, (k) => good.searchParams.get(k))).toEqual({
      list: "newsletter",
    });
    expect(await getEmailPreferences(t.db.prisma, user.id)).toEqual({
      reminders: true,
      newsletter: false,
      details: false,
    });
    expect((await listOwnConsents(t.db.prisma, user.id))[0]).toMatchObject({
      kind: "NEWSLETTER",
      given: false,
      source: "EMAIL_LINK",
    });
    // Twice is fine, and records nothing more.
    await unsubscribeWithLink(t.db.prisma, key, (k) => good.searchParams.get(k));
    expect(await listOwnConsents(t.db.prisma, user.id)).toHaveLength(2);

    // Reminder links sent before lists existed (no "l") still mean reminders.
    const old = `${deps.appUrl}/unsubscribe?u=${user.id}&t=${unsubscribeToken(key, user.id)}`;
    const oldUrl = new URL(old);
    expect(verifyUnsubscribe(key, { userId: user.id, token: oldUrl.searchParams.get("t")! })).toBe(true);
    expect(await unsubscribeWithLink(t.db.prisma, key, (k) => oldUrl.searchParams.get(k))).toEqual({
      list: "reminders",
    });
    expect(await getEmailPreferences(t.db.prisma, user.id)).toEqual({
      reminders: false,
      newsletter: false,
      details: false,
    });
  });
});

describe("the newsletter", () => {
  it("never reaches someone who opted out, never opted in, is suspended, deleted or unverified; each recipient gets it once, with a one-click link and the DPO contact", async () => {
    const optedIn = await person();
    const neverOptedIn = await person();
    const optedOut = await person();
    const suspended = await person();
    const deleted = await person();
    const unverified = await person({ verified: false });
    const lateOptOut = await person();
    for (const u of [optedIn, optedOut, suspended, deleted, unverified, lateOptOut]) {
      await setEmailPreferences(t.db.prisma, u.id, { reminders: true, newsletter: true });
    }
    await setEmailPreferences(t.db.prisma, optedOut.id, { reminders: true, newsletter: false });
    await t.db.prisma.user.update({ where: { id: suspended.id }, data: { status: "SUSPENDED" } });
    await t.db.prisma.user.update({ where: { id: deleted.id }, data: { status: "DELETED", deletedAt: new Date() } });

    const audience = await newsletterRecipientIds(t.db.prisma);
    expect(audience).toContain(optedIn.id);
    for (const u of [neverOptedIn, optedOut, suspended, deleted, unverified]) expect(audience).not.toContain(u.id);

    sent.length = 0;
    const { id } = await queueNewsletter(deps, admin, {
      subject: "Sleep better this winter",
      body: "Three small habits.\n\nSee you soon.",
    });
    expect(sent).toEqual([{ name: "newsletter.fanout", data: { newsletterId: id }, singletonKey: `newsletter:${id}` }]);
    expect(
      await t.db.prisma.auditEvent.count({ where: { action: "newsletter.send", target: `newsletter:${id}` } }),
    ).toBe(1);

    expect(await fanOutNewsletter(deps, { newsletterId: id })).toBe(audience.length);
    expect(await fanOutNewsletter(deps, { newsletterId: id })).toBe(0); // a retried fan-out queues nothing new
    const deliveries = sent.filter((s) => s.name === "newsletter.deliver").map((s) => s.data as NewsletterDeliveryJob);
    expect(deliveries.map((d) => d.userId).sort()).toEqual([...audience].sort());

    // Opting out after the fan-out but before the send still wins.
    await setEmailPreferences(t.db.prisma, lateOptOut.id, { reminders: true, newsletter: false });
    const outcomes = new Map<string, string>();
    for (const d of deliveries) outcomes.set(d.userId, await deliverNewsletter(deps, mailer, d));
    expect(outcomes.get(optedIn.id)).toBe("sent");
    expect(outcomes.get(lateOptOut.id)).toBe("not-in-audience");
    expect(await deliverNewsletter(deps, mailer, { newsletterId: id, userId: optedIn.id })).toBe("already-sent");
    // A job forged for someone outside the audience sends nothing.
    expect(await deliverNewsletter(deps, mailer, { newsletterId: id, userId: neverOptedIn.id })).toBe(
      "not-in-audience",
    );

    const mails = (await listOutbox(outbox)).filter((m) => m.template === "newsletter");
    const recipients = mails.map((m) => m.to);
    expect(recipients.filter((r) => r === optedIn.email)).toHaveLength(1);
    for (const u of [neverOptedIn, optedOut, suspended, deleted, unverified, lateOptOut])
      expect(recipients).not.toContain(u.email);
    const mine = mails.find((m) => m.to === optedIn.email)!;
    expect(mine.headers["List-Unsubscribe-Post"]).toBe("List-Unsubscribe=One-Click");
    const link = new URL(/^<(https:\/\/[^>]+)>$/.exec(mine.headers["List-Unsubscribe"]!)![1]!);
    expect(link.searchParams.get("l")).toBe("newsletter");
    expect(verifyUnsubscribe(key, { userId: optedIn.id, token: link.searchParams.get("t")!, list: "newsletter" })).toBe(
      true,
    );
    expect(mine.text).toContain(link.toString());
    expect(mine.text).toContain(DPO_CONTACT.email);
    expect(mine.html).toContain(DPO_CONTACT.email);
  });

  it("refuses an empty subject or body with a message", async () => {
    await expect(queueNewsletter(deps, admin, { subject: "", body: "Long enough body" })).rejects.toMatchObject({
      code: "VALIDATION",
      details: { field: "subject" },
    });
    await expect(queueNewsletter(deps, admin, { subject: "Fine subject", body: "short" })).rejects.toMatchObject({
      code: "VALIDATION",
      details: { field: "body" },
    });
  });
});

describe("consent records", () => {
  it("a visitor's choice is stored without a user id, IP or anything else; a signed-in person's with their id, visible to them only", async () => {
    const at = new Date("2027-03-01T10:00:00Z");
    const anon = await recordAnalyticsConsent(t.db.prisma, { analytics: true, source: "banner" }, null, at);
    const row = await t.db.prisma.consent.findUniqueOrThrow({ where: { id: anon.id } });
    expect(row).toEqual({
      id: anon.id,
      kind: "ANALYTICS",
      given: true,
      source: "BANNER",
      at,
      userId: null,
      textVersion: null,
    });
    // The table has no column that could hold an IP address or a browser description.
    const columns = await t.db.sql.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'Consent' ORDER BY column_name`,
    );
    expect(columns.map((c) => c.column_name)).toEqual(["at", "given", "id", "kind", "source", "textVersion", "userId"]);

    const user = await person();
    const other = await person();
    await recordAnalyticsConsent(t.db.prisma, { analytics: false, source: "settings" }, user.id, at);
    await recordAnalyticsConsent(t.db.prisma, { analytics: true, source: "banner" }, other.id, at);
    expect(await listOwnConsents(t.db.prisma, user.id)).toEqual([
      { kind: "ANALYTICS", given: false, source: "SETTINGS", at },
    ]);
    await expect(
      recordAnalyticsConsent(t.db.prisma, { analytics: "yes", source: "banner" } as never, null),
    ).rejects.toThrow();
  });
});

describe("retention", () => {
  it("purges expired sessions, used and expired codes, old webhook ids, spent rate-limit rows, old consents and deliveries — by a test clock, keeping what is still in its period", async () => {
    const now = new Date("2027-06-01T12:00:00Z"); // the other tests of this file write rows around late 2026 and early 2027
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const later = (ms: number) => new Date(now.getTime() + ms);
    const H = 60 * 60_000;
    const D = 24 * H;
    const user = await person();
    const session = (id: string, expiresAt: Date, absoluteExpiresAt: Date) =>
      t.db.prisma.session.create({
        data: { id, secretHash: "x", userId: user.id, expiresAt, absoluteExpiresAt, reauthenticatedAt: ago(D) },
      });
    await session("s-live", later(H), later(D));
    await session("s-idle", ago(1), later(D));
    await session("s-absolute", later(H), ago(1));
    const code = (id: string, expiresAt: Date, consumedAt: Date | null) =>
      t.db.prisma.emailCode.create({
        data: { id, purpose: "LOGIN", email: user.email, userId: user.id, codeHash: "h", expiresAt, consumedAt },
      });
    await code("c-live", later(600_000), null);
    await code("c-expired-recently", ago(H), null);
    await code("c-expired-long-ago", ago(RETENTION.emailCodeGraceMs + H), null);
    await code("c-used-long-ago", later(600_000), ago(RETENTION.emailCodeGraceMs + 1));
    await t.db.prisma.liveKitWebhookEvent.createMany({
      data: [
        { id: "e-new", event: "room_started", receivedAt: ago(D) },
        { id: "e-old", event: "room_started", receivedAt: ago(RETENTION.liveKitEventMs + 1) },
      ],
    });
    await t.db.prisma.rateLimiterFlexible.createMany({
      data: [
        { key: "r-live", points: 1, expire: later(60_000) },
        { key: "r-spent", points: 1, expire: ago(1) },
        { key: "r-forever", points: 1, expire: null },
      ],
    });
    const consentUser = await person();
    const old = ago(RETENTION.consentMs + D);
    await t.db.prisma.consent.createMany({
      data: [
        { id: "k-anon-old", kind: "ANALYTICS", given: true, source: "BANNER", at: old },
        { id: "k-anon-new", kind: "ANALYTICS", given: true, source: "BANNER", at: ago(D) },
        // The person's first choice, superseded more than 3 years ago: gone. Their current choice stays, however old.
        {
          id: "k-user-first",
          kind: "NEWSLETTER",
          given: true,
          source: "SETTINGS",
          at: ago(RETENTION.consentMs + 2 * D),
          userId: consentUser.id,
        },
        {
          id: "k-user-current",
          kind: "NEWSLETTER",
          given: false,
          source: "EMAIL_LINK",
          at: old,
          userId: consentUser.id,
        },
        { id: "k-user-analytics", kind: "ANALYTICS", given: true, source: "SETTINGS", at: old, userId: consentUser.id },
      ],
    });
    const letter = await t.db.prisma.newsletter.create({ data: { subject: "s", body: "b" } });
    const recent = await person();
    await t.db.prisma.newsletterDelivery.createMany({
      data: [
        { id: "d-old", newsletterId: letter.id, userId: user.id, sentAt: ago(RETENTION.newsletterDeliveryMs + 1) },
        { id: "d-new", newsletterId: letter.id, userId: recent.id, sentAt: ago(D) },
      ],
    });

    const counts = await purgeExpiredData(t.db.prisma, now);
    expect(counts).toMatchObject({
      Session: 2,
      LiveKitWebhookEvent: 1,
      RateLimiterFlexible: 1,
      Consent: 2,
      NewsletterDelivery: 1,
    });
    expect(
      (await t.db.prisma.session.findMany({ where: { userId: user.id }, select: { id: true } })).map((s) => s.id),
    ).toEqual(["s-live"]);
    expect(
      (
        await t.db.prisma.emailCode.findMany({
          where: { userId: user.id },
          select: { id: true },
          orderBy: { id: "asc" },
        })
      ).map((c) => c.id),
    ).toEqual(["c-expired-recently", "c-live"]);
    expect((await t.db.prisma.liveKitWebhookEvent.findMany({ select: { id: true } })).map((e) => e.id)).toEqual([
      "e-new",
    ]);
    expect(
      (
        await t.db.prisma.rateLimiterFlexible.findMany({
          where: { key: { startsWith: "r-" } },
          select: { key: true },
          orderBy: { key: "asc" },
        })
      ).map((r) => r.key),
    ).toEqual(["r-forever", "r-live"]);
    const consents = (
      await t.db.prisma.consent.findMany({
        where: { id: { startsWith: "k-" } },
        select: { id: true },
        orderBy: { id: "asc" },
      })
    ).map((c) => c.id);
    expect(consents).toEqual(["k-anon-new", "k-user-analytics", "k-user-current"]);
    expect((await t.db.prisma.newsletterDelivery.findMany({ select: { id: true } })).map((d) => d.id)).toContain(
      "d-new",
    );
    expect(await t.db.prisma.newsletterDelivery.count({ where: { id: "d-old" } })).toBe(0);

    // Run again with the same clock: nothing more to delete.
    expect(Object.values(await purgeExpiredData(t.db.prisma, now)).every((c) => c === 0)).toBe(true);
  });
});
