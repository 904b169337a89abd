// Retention of accountability records, erased clients' sessions and tickets without an account: each rule ages
// data past its period and keeps what is still inside it, on a real database (PGlite, or the server with
// TEST_DATABASE_URL). The audit trail stays append-only: only the retention job's narrow exceptions pass.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { withAuditMaintenance } from "../audit/index.ts";
import { dataMap } from "./inventory.ts";
import { retentionPeriod } from "./datamap.ts";
import { eraseUser } from "./erase.ts";
import { purgeExpiredData, RETENTION, retentionRules } from "./retention.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const D = 24 * 60 * 60_000;
const now = new Date();
const ago = (ms: number) => new Date(now.getTime() - ms);
let n = 0;
const person = () =>
  createUser(db(), {
    email: `r${++n}-${crypto.randomBytes(3).toString("hex")}@example.com`,
    name: `Rita Retention${n}`,
    emailVerified: true,
  });

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

/**
 * For every retention rule, the test that ages its data past the period: "file › test name". The meta-test below
 * finds each named test in its file and checks its body touches the rule's table (or calls its purge), so a
 * renamed, moved or deleted test cannot leave a rule unproven behind a stale entry.
 */
const COMMS = "core/privacy/communications.test.ts";
const COMMS_TEST =
  "purges expired sessions, used and expired codes, old webhook ids, spent rate-limit rows, old consents and deliveries — by a test clock, keeping what is still in its period";
const HERE = "core/privacy/retention.test.ts";
const AGED_BY: Record<string, [file: string, test: string]> = {
  Session: [COMMS, COMMS_TEST],
  EmailCode: [COMMS, COMMS_TEST],
  LiveKitWebhookEvent: [COMMS, COMMS_TEST],
  RateLimiterFlexible: [COMMS, COMMS_TEST],
  Consent: [COMMS, COMMS_TEST],
  NewsletterDelivery: [COMMS, COMMS_TEST],
  ErrorReport: ["core/observability/errors.test.ts", "reports older than 30 days are purged; younger ones stay"],
  SecurityEvent: ["core/security/security.test.ts", "keeps raw signals 7 days and events 90 days"],
  AccountLock: [
    HERE,
    "security state: a lock a day after it ended, an alert link a day after it expired, a device a year after its last sign-in",
  ],
  DeviceAlert: [
    HERE,
    "security state: a lock a day after it ended, an alert link a day after it expired, a device a year after its last sign-in",
  ],
  KnownDevice: [
    HERE,
    "security state: a lock a day after it ended, an alert link a day after it expired, a device a year after its last sign-in",
  ],
  UsageEvent: ["core/analytics/usage.test.ts", "purges events older than ${USAGE_RETENTION_DAYS} days, keeps the rest"],
  AuditEvent: [
    HERE,
    "the audit trail: rows past 6 years are deleted and IPs past 30 days removed; younger rows stay whole",
  ],
  "AuditEvent.ip": [
    HERE,
    "the audit trail: rows past 6 years are deleted and IPs past 30 days removed; younger rows stay whole",
  ],
  Booking: [HERE, "an erased client's anonymized sessions go 3 years after they ended; a living client's stay"],
  SupportTicket: [
    HERE,
    "tickets without an account go 2 years after closing; a held ticket of an erased person goes when the hold ends",
  ],
  LegalHold: [HERE, "a legal hold released before its end date: the held ticket and the hold go at the next run"],
  PrivacyRequest: [HERE, "closed privacy requests go 3 years after they closed; open ones and younger ones stay"],
};

/** The source of the test named `name` in `file` (from its `it(` to the next one), or undefined. */
function testBody(file: string, name: string): string | undefined {
  const source = fs.readFileSync(path.resolve(import.meta.dirname, "../..", file), "utf8");
  const at = ['"', "`"].map((q) => source.indexOf(`it(${q}${name}${q}`)).find((i) => i >= 0);
  if (at === undefined) return undefined;
  const next = source.indexOf("\n  it(", at + 1);
  return source.slice(at, next < 0 ? undefined : next);
}

describe("retention rules", () => {
  it("every rule has a test that ages data past its period, and every period in the data map has a rule", () => {
    const rules = retentionRules.map((r) => r.model);
    expect(rules.filter((r) => !(r in AGED_BY))).toEqual([]);
    const problems: string[] = [];
    for (const rule of retentionRules) {
      const [file, name] = AGED_BY[rule.model]!;
      const body = testBody(file, name);
      const table = rule.model.split(".")[0]!;
      const accessor = table[0]!.toLowerCase() + table.slice(1);
      if (!body) problems.push(`${rule.model}: no test "${name}" in ${file}`);
      else if (![accessor, rule.purge.name, "purgeExpiredData"].some((w) => w && body.includes(w)))
        problems.push(`${rule.model}: "${name}" neither touches ${accessor} nor runs a purge`);
    }
    expect(problems).toEqual([]);
    const periods = new Set(
      dataMap.flatMap((m) => [...(m.retention ? [m.retention] : []), ...m.fields.flatMap((f) => f.retention ?? [])]),
    );
    for (const p of periods) {
      const rule = retentionPeriod(p).rule;
      if (rule) expect(rules, `period ${p}`).toContain(rule);
    }
  });

  it("the audit trail: rows past 6 years are deleted and IPs past 30 days removed; younger rows stay whole", async () => {
    const row = (id: string, at: Date) =>
      db().auditEvent.create({
        data: { id, at, action: "authz.denied", target: "procedure:x", actorRole: "USER", ip: "198.51.100.7" },
      });
    await row("a-7y", ago(RETENTION.auditMs + 30 * D));
    await row("a-40d", ago(RETENTION.auditIpMs + 10 * D));
    await row("a-1d", ago(D));
    const counts = await purgeExpiredData(db(), now);
    expect(counts["AuditEvent"]).toBe(1);
    expect(counts["AuditEvent.ip"]).toBeGreaterThanOrEqual(1);
    const left = await db().auditEvent.findMany({
      where: { id: { in: ["a-7y", "a-40d", "a-1d"] } },
      select: { id: true, ip: true, action: true },
      orderBy: { id: "asc" },
    });
    expect(left).toEqual([
      { id: "a-1d", ip: "198.51.100.7", action: "authz.denied" },
      { id: "a-40d", ip: null, action: "authz.denied" },
    ]);
  });

  it("the audit trail stays append-only: outside the retention job, and inside it for a young row or any other change", async () => {
    await db().auditEvent.create({
      data: { id: "a-young", at: ago(D), action: "ticket.view", target: "ticket:1", ip: "198.51.100.8" },
    });
    await db().auditEvent.create({
      data: { id: "a-2y", at: ago(2 * 365 * D), action: "ticket.view", target: "ticket:2" },
    });
    // A 2-year-old row is inside its 6 years: refused even inside the retention job's transaction.
    await expect(
      withAuditMaintenance(db(), (tx) => tx.$executeRaw`DELETE FROM "AuditEvent" WHERE id = 'a-2y'`),
    ).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`DELETE FROM "AuditEvent" WHERE id = 'a-young'`).rejects.toThrow(/append-only/);
    await expect(
      withAuditMaintenance(db(), (tx) => tx.$executeRaw`DELETE FROM "AuditEvent" WHERE id = 'a-young'`),
    ).rejects.toThrow(/append-only/);
    await expect(
      withAuditMaintenance(
        db(),
        (tx) => tx.$executeRaw`UPDATE "AuditEvent" SET "ip" = NULL, "action" = 'x' WHERE id = 'a-young'`,
      ),
    ).rejects.toThrow(/append-only/);
    await expect(db().$executeRaw`UPDATE "AuditEvent" SET "ip" = NULL WHERE id = 'a-young'`).rejects.toThrow(
      /append-only/,
    );
    await expect(db().$executeRaw`TRUNCATE "AuditEvent"`).rejects.toThrow(/append-only/);
    // The maintenance switch does not outlive its transaction.
    await expect(db().$executeRaw`DELETE FROM "AuditEvent" WHERE "at" < now() - interval '1 year'`).rejects.toThrow(
      /append-only/,
    );
    expect(await db().auditEvent.findUnique({ where: { id: "a-young" }, select: { ip: true } })).toEqual({
      ip: "198.51.100.8",
    });
    expect(await db().auditEvent.count({ where: { id: "a-2y" } })).toBe(1);
  });

  it("an erased client's anonymized sessions go 3 years after they ended; a living client's stay", async () => {
    const expertUser = await person();
    const category = await db().category.create({ data: { slug: `c-${n}`, name: "Stress", description: "d" } });
    const expert = await db().expertProfile.create({
      data: { userId: expertUser.id, slug: `e-${n}`, headline: "h", bio: "b", languages: [], timezone: "UTC" },
    });
    const erased = await person();
    const living = await person();
    const book = (userId: string, endsAt: Date, room: string) =>
      db().booking.create({
        data: {
          userId,
          expertId: expert.id,
          categoryId: category.id,
          startsAt: new Date(endsAt.getTime() - 50 * 60_000),
          endsAt,
          blockedUntil: endsAt,
          status: "COMPLETED",
          roomName: room,
        },
        select: { id: true },
      });
    const oldErased = await book(erased.id, ago(RETENTION.formerClientBookingMs + D), `r-old-${n}`);
    const newErased = await book(erased.id, ago(RETENTION.formerClientBookingMs - 30 * D), `r-new-${n}`);
    const oldLiving = await book(living.id, ago(RETENTION.formerClientBookingMs + 60 * D), `r-liv-${n}`);
    await eraseUser(db(), erased.id, { now });
    expect((await purgeExpiredData(db(), now))["Booking"]).toBe(1);
    const ids = (await db().booking.findMany({ select: { id: true } })).map((b) => b.id);
    expect(ids).not.toContain(oldErased.id);
    expect(ids).toEqual(expect.arrayContaining([newErased.id, oldLiving.id]));
  });

  it("tickets without an account go 2 years after closing; a held ticket of an erased person goes when the hold ends", async () => {
    const ticket = (data: { contactEmail: string; closedAt?: Date; updatedAt?: Date; requesterId?: string }) =>
      db().supportTicket.create({
        data: {
          subject: "help",
          category: "OTHER",
          channel: data.requesterId ? "WEB" : "CONTACT_FORM",
          contactEmail: data.requesterId ? null : data.contactEmail,
          requesterId: data.requesterId ?? null,
          firstResponseDueAt: now,
          resolutionDueAt: now,
          closedAt: data.closedAt ?? null,
          ...(data.updatedAt ? { updatedAt: data.updatedAt } : {}),
        },
        select: { id: true },
      });
    const oldClosed = await ticket({ contactEmail: "v1@example.com", closedAt: ago(RETENTION.visitorTicketMs + D) });
    const oldOpen = await ticket({ contactEmail: "v2@example.com", updatedAt: ago(RETENTION.visitorTicketMs + D) });
    const recent = await ticket({ contactEmail: "v3@example.com", closedAt: ago(30 * D) });
    const holder = await person();
    const held = await ticket({ contactEmail: "", requesterId: holder.id });
    await db().legalHold.create({
      data: {
        userId: holder.id,
        recordType: "SUPPORT_TICKET",
        recordId: held.id,
        basis: "dispute",
        until: ago(-30 * D),
      },
    });
    await eraseUser(db(), holder.id, { now });
    // The hold is in force: the ticket stays (with the contact details the hold needs).
    await purgeExpiredData(db(), now);
    const exists = async (id: string) => (await db().supportTicket.count({ where: { id } })) === 1;
    expect([await exists(oldClosed.id), await exists(oldOpen.id), await exists(recent.id)]).toEqual([
      false,
      false,
      true,
    ]);
    expect(await exists(held.id)).toBe(true);
    // The hold ends: the ticket and the hold go at the next run.
    const later = new Date(now.getTime() + 31 * D);
    const counts = await purgeExpiredData(db(), later);
    expect(counts["SupportTicket"]).toBeGreaterThanOrEqual(1);
    expect(await exists(held.id)).toBe(false);
    expect(await db().legalHold.count({ where: { recordId: held.id } })).toBe(0);
  });

  it("closed privacy requests go 3 years after they closed; open ones and younger ones stay", async () => {
    const request = (status: "COMPLETED" | "PENDING" | "REJECTED", updatedAt: Date) =>
      db().privacyRequest.create({
        data: { type: "ACCESS", status, dueAt: updatedAt, receivedAt: updatedAt, updatedAt },
        select: { id: true },
      });
    const old = await request("COMPLETED", ago(RETENTION.privacyRequestMs + D));
    const oldRejected = await request("REJECTED", ago(RETENTION.privacyRequestMs + D));
    const open = await request("PENDING", ago(RETENTION.privacyRequestMs + D));
    const young = await request("COMPLETED", ago(RETENTION.privacyRequestMs - D));
    await purgeExpiredData(db(), now);
    const left = (
      await db().privacyRequest.findMany({
        where: { id: { in: [old.id, oldRejected.id, open.id, young.id] } },
        select: { id: true },
      })
    ).map((r) => r.id);
    expect(left.sort()).toEqual([open.id, young.id].sort());
  });

  it("a legal hold released before its end date: the held ticket and the hold go at the next run", async () => {
    const holder = await person();
    const ticket = await db().supportTicket.create({
      data: {
        subject: "a disputed charge",
        category: "OTHER",
        channel: "WEB",
        requesterId: holder.id,
        firstResponseDueAt: now,
        resolutionDueAt: now,
      },
      select: { id: true },
    });
    const hold = await db().legalHold.create({
      data: {
        userId: holder.id,
        recordType: "SUPPORT_TICKET",
        recordId: ticket.id,
        basis: "dispute",
        until: ago(-90 * D),
      },
      select: { id: true },
    });
    await eraseUser(db(), holder.id, { now });
    await purgeExpiredData(db(), now);
    const exists = async () => (await db().supportTicket.count({ where: { id: ticket.id } })) === 1;
    expect(await exists()).toBe(true);
    // The DPO releases the hold early (the claim was settled): its end date is still months away.
    await db().legalHold.update({ where: { id: hold.id }, data: { releasedAt: now } });
    const counts = await purgeExpiredData(db(), new Date(now.getTime() + 60_000));
    expect(counts["SupportTicket"]).toBeGreaterThanOrEqual(1);
    expect(await exists()).toBe(false);
    expect(await db().legalHold.count({ where: { id: hold.id } })).toBe(0);
  });

  it("security state: a lock a day after it ended, an alert link a day after it expired, a device a year after its last sign-in", async () => {
    const u = await person();
    const key = (k: string) => `${k}-${crypto.randomBytes(4).toString("hex")}`;
    const oldLock = key("old");
    const youngLock = key("young");
    await db().accountLock.createMany({
      data: [
        {
          accountKey: oldLock,
          userId: u.id,
          lockCount: 1,
          lockedUntil: ago(D + 60_000),
          lastLockedAt: ago(D + 20 * 60_000),
        },
        { accountKey: youngLock, userId: u.id, lockCount: 1, lockedUntil: ago(60_000), lastLockedAt: ago(20 * 60_000) },
      ],
    });
    const alert = (tokenHash: string, expiresAt: Date) =>
      db().deviceAlert.create({ data: { userId: u.id, familyHash: "fh", tokenHash, expiresAt }, select: { id: true } });
    await alert(key("t"), ago(D + 60_000));
    const youngAlert = await alert(key("t"), ago(60_000));
    const device = (familyHash: string, lastSeenAt: Date) =>
      db().knownDevice.create({ data: { userId: u.id, familyHash, lastSeenAt }, select: { id: true } });
    await device(key("f"), ago(366 * D));
    const youngDevice = await device(key("f"), ago(364 * D));
    const counts = await purgeExpiredData(db(), now);
    expect([counts["AccountLock"], counts["DeviceAlert"], counts["KnownDevice"]]).toEqual([1, 1, 1]);
    const locks = await db().accountLock.findMany({ where: { userId: u.id }, select: { accountKey: true } });
    expect(locks.map((l) => l.accountKey)).toEqual([youngLock]);
    const alerts = await db().deviceAlert.findMany({ where: { userId: u.id }, select: { id: true } });
    expect(alerts.map((x) => x.id)).toEqual([youngAlert.id]);
    const devices = await db().knownDevice.findMany({ where: { userId: u.id }, select: { id: true } });
    expect(devices.map((x) => x.id)).toEqual([youngDevice.id]);
  });
});
