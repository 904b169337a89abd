// The access export (P21) against the data map: every export validates against the published JSON Schema
// (docs/export-schema.json, checked with ajv), every field the map marks as exported is found in the file for a
// person with data in every model (a field-level completeness test generated from the map), tickets from the
// person's verified address, their own refused back-office calls and security events under the keyed hash of
// their email are in it, the Art. 15(1) section is there, and no section is capped.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Ajv } from "ajv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordAudit, type AuditAction } from "../audit/index.ts";
import { createCategory, createExpert } from "../catalog/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { accountKeyOf } from "../security/events.ts";
import { exportSections, exportUserData, exportUserDataJson } from "./export.ts";
import { dataMap } from "./inventory.ts";

/** The downloaded file as the assertions read it (the JSON Schema checks the whole shape). */
type ExportFile = {
  sections: Record<
    "staffAccess" | "tickets" | "security" | "aboutProcessing",
    {
      data: unknown[] & {
        securityEvents?: { kind: string }[];
        rights?: string[];
        recipients?: { recipient: string }[];
      };
    }
  >;
};

let t: TestDatabase;
const db = () => t.db.prisma;
const pepper = new Uint8Array(crypto.randomBytes(32));
const schema = JSON.parse(
  fs.readFileSync(path.resolve(import.meta.dirname, "../../docs/export-schema.json"), "utf8"),
) as object;
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

/** How to find one person's rows of each exported model (a new exported model must be added here). */
function rowsOf(userId: string, bookingIds: string[], expertId: string | null, ticketIds: string[]) {
  const p = db();
  const byUser = { userId };
  return {
    User: () => p.user.findMany({ where: { id: userId } }),
    UserAvatar: () => p.userAvatar.findMany({ where: byUser }),
    Session: () => p.session.findMany({ where: byUser }),
    WellnessPreference: () => p.wellnessPreference.findMany({ where: byUser }),
    Booking: () => p.booking.findMany({ where: byUser }),
    BookingNotification: () => p.bookingNotification.findMany({ where: { bookingId: { in: bookingIds } } }),
    RoomParticipantKey: () => p.roomParticipantKey.findMany({ where: byUser }),
    SessionPresence: () => p.sessionPresence.findMany({ where: byUser }),
    SessionMetadata: () => p.sessionMetadata.findMany({ where: { bookingId: { in: bookingIds } } }),
    ExpertProfile: () => p.expertProfile.findMany({ where: byUser }),
    ExpertCategory: () => p.expertCategory.findMany({ where: { expertId: expertId ?? "-" } }),
    AvailabilityRule: () => p.availabilityRule.findMany({ where: { expertId: expertId ?? "-" } }),
    TimeOff: () => p.timeOff.findMany({ where: { expertId: expertId ?? "-" } }),
    SupportTicket: () => p.supportTicket.findMany({ where: { id: { in: ticketIds } } }),
    TicketMessage: () => p.ticketMessage.findMany({ where: { ticketId: { in: ticketIds }, internal: false } }),
    Review: () => p.review.findMany({ where: { authorId: userId } }),
    AuditEvent: () => p.auditEvent.findMany({ where: { OR: [{ subjectUserId: userId }, { actorId: userId }] } }),
    PrivacyRequest: () => p.privacyRequest.findMany({ where: byUser }),
    LegalHold: () => p.legalHold.findMany({ where: byUser }),
    Consent: () => p.consent.findMany({ where: byUser }),
    NewsletterDelivery: () => p.newsletterDelivery.findMany({ where: byUser }),
    KnownDevice: () => p.knownDevice.findMany({ where: byUser }),
    DeviceAlert: () => p.deviceAlert.findMany({ where: byUser }),
    AccountLock: () => p.accountLock.findMany({ where: byUser }),
    SecurityEvent: () => p.securityEvent.findMany({ where: byUser }),
  } as Record<string, () => Promise<Array<Record<string, unknown>>>>;
}

/**
 * Where each exported model's rows sit inside its section (dots descend, arrays are walked), and the key a field
 * has in the file when it is not the column's name (with how its value is written there). The fields themselves
 * come from the data map: a field the map marks exported must be a KEY of every such object, holding the row's
 * value, so a value that happens to appear elsewhere in the file proves nothing.
 */
const PLACES: Record<string, string> = {
  User: "",
  UserAvatar: "avatar",
  Session: "",
  WellnessPreference: "",
  Booking: "",
  BookingNotification: "notifications",
  RoomParticipantKey: "roomKeys",
  SessionPresence: "presences",
  SessionMetadata: "metadata",
  ExpertProfile: "",
  ExpertCategory: "categories",
  AvailabilityRule: "availability",
  TimeOff: "timeOff",
  SupportTicket: "",
  TicketMessage: "messages",
  Review: "",
  AuditEvent: "",
  PrivacyRequest: "requests",
  LegalHold: "legalHolds",
  Consent: "consents",
  NewsletterDelivery: "newslettersReceived",
  KnownDevice: "knownDevices",
  DeviceAlert: "newDeviceAlerts",
  AccountLock: "passwordLocks",
  SecurityEvent: "securityEvents",
};
const RENAMED: Record<string, { key: string; value?: (v: unknown) => unknown }> = {
  "UserAvatar.data": { key: "base64", value: (v) => Buffer.from(v as Uint8Array).toString("base64") },
  "TicketMessage.fromStaff": { key: "from", value: (v) => (v ? "staff" : "you") },
  "TicketMessage.createdAt": { key: "at" },
  "AuditEvent.actorRole": { key: "byRole" },
};

/** The objects at a place in a section's data (arrays walked at every step). */
function objectsAt(data: unknown, place: string): Record<string, unknown>[] {
  const walk = (xs: unknown[]): unknown[] => xs.flatMap((x): unknown[] => (Array.isArray(x) ? (x as unknown[]) : [x]));
  let here: unknown[] = [data];
  for (const step of place ? place.split(".") : [])
    here = walk(here).map((x) => (x as Record<string, unknown> | null)?.[step]);
  return walk(here).filter((x): x is Record<string, unknown> => typeof x === "object" && x !== null);
}

/** A value as the JSON file writes it, for comparing a column with a key of the file. */
function asInFile(v: unknown): string {
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (v instanceof Uint8Array) return JSON.stringify(Buffer.from(v).toString("base64"));
  return JSON.stringify(typeof v === "bigint" ? Number(v) : (v ?? null));
}

describe("access export against the data map (P21)", () => {
  it("validates against docs/export-schema.json, carries every exported field of every model the person has rows in, and the Art. 15(1) section", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const cat = await createCategory(db(), { slug: `s-${tag}`, name: "Sleep", description: "Rest and better nights." });
    const e = await createExpert(db(), {
      email: `ex-${tag}@example.com`,
      name: "Exa Pert",
      slug: `exa-${tag}`,
      headline: "Helps with sleep",
      bio: "A calm, experienced practitioner who has helped many people.",
      languages: ["English", "Hindi"],
      timezone: "Asia/Kolkata",
      categorySlugs: [cat.slug],
      availability: [{ weekday: 2, startMinute: 540, endMinute: 1020 }],
      published: true,
    });
    await db().timeOff.create({
      data: { expertId: e.id, startsAt: new Date("2027-01-01"), endsAt: new Date("2027-01-05"), reason: "Holiday" },
    });
    const email = `ada-${tag}@example.com`;
    const u = await createUser(db(), {
      email,
      name: `Ada Lovel${tag}`,
      emailVerified: true,
      password: "long password 1",
    });
    await db().userAvatar.create({ data: { userId: u.id, data: new Uint8Array([9, 8, 7, 6]), updatedAt: new Date() } });
    await db().session.create({
      data: {
        id: `sess-${tag}`,
        secretHash: "h",
        userId: u.id,
        expiresAt: new Date(Date.now() + 3600_000),
        absoluteExpiresAt: new Date(Date.now() + 7200_000),
        reauthenticatedAt: new Date(),
        ip: "198.51.100.61",
        userAgent: "Mozilla/5.0 Test",
        browser: "Firefox",
        os: "Linux",
        device: "desktop",
      },
    });
    await db().wellnessPreference.create({ data: { userId: u.id, kind: "CATEGORY_BROWSED", categoryId: cat.id } });
    const b = await db().booking.create({
      data: {
        userId: u.id,
        expertId: e.id,
        categoryId: cat.id,
        startsAt: new Date("2026-11-02T10:00:00Z"),
        endsAt: new Date("2026-11-02T10:50:00Z"),
        blockedUntil: new Date("2026-11-02T11:00:00Z"),
        status: "COMPLETED",
        cancelReason: "Had to travel",
        roomName: `room-${tag}`,
        // Distinct times, so a field that is missing cannot be stood in for by another one that is there.
        createdAt: new Date("2026-10-01T08:00:00Z"),
        updatedAt: new Date("2026-10-03T09:30:00Z"),
      },
    });
    await db().bookingNotification.create({ data: { bookingId: b.id, kind: "reminder-24h", startsAt: b.startsAt } });
    await db().roomParticipantKey.create({ data: { bookingId: b.id, userId: u.id, publicKey: `pk-${tag}` } });
    await db().sessionPresence.create({
      data: { bookingId: b.id, userId: u.id, participantSid: `PA_${tag}`, joinedAt: b.startsAt, leftAt: b.endsAt },
    });
    await db().sessionMetadata.create({ data: { bookingId: b.id, durationSeconds: 2950 } });
    await db().review.create({
      data: {
        bookingId: b.id,
        authorId: u.id,
        expertId: e.id,
        rating: 4,
        comment: "Kind and clear",
        hiddenReason: "n/a",
      },
    });
    const own = await db().supportTicket.create({
      data: {
        requesterId: u.id,
        subject: `Own ticket ${tag}`,
        category: "BOOKING",
        channel: "WEB",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
        satisfaction: 5,
        satisfactionComment: "Quick answer",
        createdAt: new Date("2026-10-05T08:00:00Z"),
        updatedAt: new Date("2026-10-06T11:15:00Z"),
        messages: { create: [{ body: `Message body ${tag}`, authorId: u.id }] },
      },
    });
    // A ticket from the same address by phone, before they had an account; and one to another address.
    const phoned = await db().supportTicket.create({
      data: {
        contactEmail: email.toUpperCase(),
        contactName: "Ada",
        subject: `Phoned in ${tag}`,
        category: "OTHER",
        channel: "PHONE",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
    });
    await db().supportTicket.create({
      data: {
        contactEmail: `someone-else-${tag}@example.com`,
        subject: `Not hers ${tag}`,
        category: "OTHER",
        channel: "CONTACT_FORM",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
    });
    const request = await db().privacyRequest.create({
      data: {
        userId: u.id,
        type: "CORRECTION",
        details: "Fix my name",
        dueAt: new Date("2027-01-01"),
        extendedUntil: new Date("2027-02-01"),
        extensionReason: "Many requests",
        identityCheck: "Fresh sign-in",
        decision: "COMPLETED",
        decisionReason: "Done as asked",
      },
    });
    await db().legalHold.create({
      data: {
        userId: u.id,
        recordType: "SUPPORT_TICKET",
        recordId: own.id,
        basis: "Dispute over a charge",
        until: new Date("2028-01-01"),
      },
    });
    await db().consent.create({ data: { userId: u.id, kind: "NEWSLETTER", given: true, source: "BANNER" } });
    const letter = await db().newsletter.create({ data: { subject: `Letter ${tag}`, body: "b" } });
    await db().newsletterDelivery.create({ data: { newsletterId: letter.id, userId: u.id } });
    await db().knownDevice.create({
      data: { userId: u.id, familyHash: "fh", browser: "Firefox", os: "Linux", device: "desktop" },
    });
    await db().deviceAlert.create({
      data: { userId: u.id, familyHash: "fh", tokenHash: "th", expiresAt: new Date("2027-03-01") },
    });
    await db().accountLock.create({
      data: {
        accountKey: accountKeyOf(pepper, email),
        userId: u.id,
        lockCount: 2,
        lockedUntil: new Date("2026-12-01"),
        lastLockedAt: new Date("2026-11-30"),
      },
    });
    await db().securityEvent.create({
      data: { kind: "NEW_DEVICE", userId: u.id, ip: "198.51.100.62", detail: "Firefox" },
    });
    // A code request for the address: no account link, only the keyed hash of the email.
    await db().securityEvent.create({
      data: { kind: "CODE_REQUESTED", accountKey: accountKeyOf(pepper, email), ip: "198.51.100.63", detail: "login" },
    });
    // More audit rows than the old 5,000-row cap, and their own refused call with their IP.
    const staffId = crypto.randomUUID();
    await db().auditEvent.createMany({
      data: Array.from({ length: 5_050 }, (_, i) => ({
        action: "ticket.view",
        target: `ticket:${own.id}`,
        actorId: staffId,
        actorRole: "SUPPORT" as const,
        subjectUserId: u.id,
        purpose: `ticket:${phoned.id}`,
        ip: "192.0.2.77",
        at: new Date(Date.now() - i * 1000),
      })),
    });
    // A refusal as older versions wrote it (without the reason, outside today's vocabulary).
    const legacyDenial = "authz.denied" as AuditAction;
    await recordAudit(db(), { id: u.id, role: "USER", ip: "198.51.100.64" }, { action: legacyDenial, target: "x" });

    // The file as the person downloads it; its shape is checked by the JSON Schema below.
    const data = JSON.parse(
      JSON.stringify(await exportUserData(db(), u.id, new Date(), { accountKeyPepper: pepper })),
    ) as ExportFile;
    const ok = validate(data);
    expect(validate.errors ?? [], "docs/export-schema.json").toEqual([]);
    expect(ok).toBe(true);
    const json = JSON.stringify(data);

    // Field-level completeness, generated from the map: the client's export, and the expert's for expert models.
    const expertFile = JSON.parse(
      JSON.stringify(await exportUserData(db(), e.userId, new Date(), { accountKeyPepper: pepper })),
    ) as { sections: Record<string, { data: unknown }> };
    const people = [
      {
        userId: u.id,
        sections: data.sections as Record<string, { data: unknown }>,
        rows: rowsOf(u.id, [b.id], null, [own.id, phoned.id]),
      },
      { userId: e.userId, sections: expertFile.sections, rows: rowsOf(e.userId, [], e.id, []) },
    ];
    const missing: string[] = [];
    for (const m of dataMap.filter((x) => x.personal && x.exportSection)) {
      const place = PLACES[m.name];
      if (place === undefined || !people.some((p) => p.rows[m.name])) {
        missing.push(`${m.name}: no place or row finder in this test (add one)`);
        continue;
      }
      let rowsSeen = 0;
      for (const p of people) {
        const found = await p.rows[m.name]!();
        rowsSeen += found.length;
        if (found.length === 0) continue;
        const objects = objectsAt(p.sections[m.exportSection!]?.data, place);
        for (const f of m.fields.filter((x) => x.exported)) {
          const renamed = RENAMED[`${m.name}.${f.name}`];
          const key = renamed?.key ?? f.name;
          const values = new Set(objects.filter((o) => key in o).map((o) => JSON.stringify(o[key] ?? null)));
          // A field exported on the person's own rows only (export=own) is checked on those rows.
          const rows = f.ownRowsOnly ? found.filter((r) => r.actorId === p.userId) : found;
          if (!f.ownRowsOnly && objects.some((o) => !(key in o))) missing.push(`${m.name}.${f.name}: no key "${key}"`);
          for (const row of rows) {
            const v = asInFile(renamed?.value ? renamed.value(row[f.name]) : row[f.name]);
            if (!values.has(v)) missing.push(`${m.name}.${f.name}: "${key}" never holds ${v.slice(0, 40)}`);
          }
        }
      }
      if (rowsSeen === 0) missing.push(`${m.name}: the fixture made no row`);
    }
    expect([...new Set(missing)]).toEqual([]);
    for (const stale of [...Object.keys(PLACES), ...Object.keys(RENAMED).map((k) => k.split(".")[0]!)])
      expect(
        dataMap.find((x) => x.name === stale)?.exportSection,
        `${stale} is in this test but not exported`,
      ).toBeTruthy();

    const s = data.sections;
    expect((s.staffAccess.data as unknown[]).length).toBe(5_051);
    expect(s.staffAccess.data).toEqual(
      expect.arrayContaining([
        {
          at: expect.any(String),
          by: "you",
          byRole: "USER",
          action: "authz.denied",
          target: "x",
          purpose: null,
          ip: "198.51.100.64",
        },
      ]),
    );
    // Staff by role only: never their id or IP.
    expect(json).not.toContain(staffId);
    expect(json).not.toContain("192.0.2.77");
    expect((s.tickets.data as { subject: string }[]).map((x) => x.subject).sort()).toEqual(
      [`Own ticket ${tag}`, `Phoned in ${tag}`].sort(),
    );
    expect(json).not.toContain(`Not hers ${tag}`);
    expect(s.security.data.securityEvents!.map((x) => x.kind).sort()).toEqual(["CODE_REQUESTED", "NEW_DEVICE"]);
    expect(s.aboutProcessing.data.rights!.join(" ")).toMatch(/Art\. 77/);
    expect(s.aboutProcessing.data.recipients!.map((r) => r.recipient)).toContain("Resend");

    // A schema that would refuse a malformed file (the validation is not a rubber stamp).
    expect(validate({ ...data, sections: { ...data.sections, aboutProcessing: undefined } })).toBe(false);
    // Fixed shapes: a section item with an unknown key, or without a required one, is refused.
    const withSessions = (items: unknown[]) => ({
      ...data,
      sections: { ...data.sections, sessions: { title: "Devices", data: items } },
    });
    const session = (data.sections as unknown as Record<string, { data: Array<Record<string, unknown>> }>).sessions!
      .data[0]!;
    expect(validate(withSessions([session]))).toBe(true);
    expect(validate(withSessions([{ ...session, secretHash: "h" }]))).toBe(false);
    const { ip: _ip, ...withoutIp } = session;
    expect(validate(withSessions([withoutIp]))).toBe(false);
    expect(request.id).toBeTruthy();
  }, 120_000);

  it("tickets from an address are not exported until the account's email is verified", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const email = `unverified-${tag}@example.com`;
    const u = await createUser(db(), { email, name: "Una Verified", emailVerified: false });
    await db().supportTicket.create({
      data: {
        contactEmail: email,
        subject: `Someone else's ${tag}`,
        category: "OTHER",
        channel: "CONTACT_FORM",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
    });
    const data = await exportUserData(db(), u.id);
    expect(JSON.stringify(data)).not.toContain(`Someone else's ${tag}`);
  });

  it("is streamed section by section: the text parses to the same export, recorded before its last brace", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const u = await createUser(db(), { email: `stream-${tag}@example.com`, name: "Sten Ream", emailVerified: true });
    await recordAudit(
      db(),
      { id: u.id, role: "USER", ip: "198.51.100.70" },
      { action: "authz.denied" as AuditAction, target: "y" },
    );
    await db().securityEvent.create({
      data: { kind: "NEW_DEVICE", userId: u.id, ip: "198.51.100.71", detail: "x\ny" },
    });
    const at = new Date("2026-11-20T10:00:00Z");
    const chunks: string[] = [];
    let recordedAfter = -1;
    for await (const chunk of exportUserDataJson(
      db(),
      u.id,
      at,
      { accountKeyPepper: pepper },
      {
        beforeEnd: async () => {
          recordedAfter = chunks.length;
          await Promise.resolve();
        },
      },
    ))
      chunks.push(chunk);
    const sections = Object.keys(exportSections).length;
    // The head, one chunk per section, the closing braces; the record is made before the last one.
    expect(chunks).toHaveLength(sections + 2);
    expect(recordedAfter).toBe(sections + 1);
    const text = chunks.join("");
    const built = await exportUserData(db(), u.id, at, { accountKeyPepper: pepper });
    expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(built)));
    // The same indented text the download always had.
    expect(text).toBe(`${JSON.stringify(built, null, 2)}\n`);
    expect(validate(JSON.parse(text))).toBe(true);
  });
});
