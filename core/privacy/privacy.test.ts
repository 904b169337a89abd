// Access, correction, deletion and the DPO's desk against a real database (PGlite in memory, or a fresh database on
// the PostgreSQL server with TEST_DATABASE_URL). The clock is passed in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { createSession, validateSessionToken } from "../identity/sessions.ts";
import { signInWithPassword } from "../identity/accounts.ts";
import { listExpertBookings } from "../scheduling/bookings.ts";
import { addInternalNote, openTicket, replyAsStaff } from "../support/tickets.ts";
import { createTestAccounts, requesterFor, type TestAccounts } from "../platform/testing/accounts.ts";
import { listOutbox } from "../platform/mail/index.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import type { AuditActor } from "../audit/index.ts";
import { eraseUser, FORMER_CLIENT_NAME, FORMER_EXPERT_NAME, runDueErasures, runErasure } from "./erase.ts";
import { exportUserData } from "./export.ts";
import {
  addMonths,
  cancelOwnRequest,
  daysLeft,
  decideRequest,
  dueDateFor,
  extendDeadline,
  getRequest,
  isOverdue,
  listOwnRequests,
  listQueue,
  placeLegalHold,
  recordAccessRequest,
  requestCorrection,
  requestDeletion,
  type PrivacyDeps,
} from "./requests.ts";

let t: TestDatabase;
let a: TestAccounts;
const db = () => t.db.prisma;
const DAY = 86_400_000;
let deps: PrivacyDeps;
const sent: Array<{ name: string; data: object; startAfter?: Date }> = [];

let seq = 0;
async function person(role: "USER" | "DPO" | "SUPPORT" = "USER", password?: string) {
  const n = ++seq;
  const tag = crypto.randomBytes(4).toString("hex");
  const email = `p${n}-${tag}@example.com`;
  const name = `Zelda Q${tag} Person${n}`;
  const u = await createUser(db(), { email, name, role, emailVerified: true, ...(password ? { password } : {}) });
  const actor: AuditActor = { id: u.id, role, ip: "203.0.113.9" };
  return { id: u.id, email, name, actor };
}

/** The newest mail of a template to an address (several may be written in the same millisecond). */
async function mailOf(to: string, template: string) {
  await a.deps.mail.drain();
  return (await listOutbox(a.outboxDir, 1000)).find((m) => m.to === to && m.template === template);
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

let expert: { id: string; userId: string };
let categoryId: string;
let slot = 0;
async function booking(userId: string, startsAt: Date, status: "CONFIRMED" | "COMPLETED" = "CONFIRMED") {
  const s = new Date(startsAt.getTime() + ++slot * 60_000 * 120);
  return db().booking.create({
    data: {
      userId,
      expertId: expert.id,
      categoryId,
      startsAt: s,
      endsAt: new Date(s.getTime() + 50 * 60_000),
      blockedUntil: new Date(s.getTime() + 60 * 60_000),
      status,
      roomName: crypto.randomBytes(12).toString("hex"),
      cancelReason: null,
      idempotencyKey: crypto.randomUUID(),
    },
    select: { id: true, startsAt: true },
  });
}

/** A user with something in every area. */
async function richUser() {
  const p = await person("USER", "correct horse battery staple 1");
  await createSession(db(), { userId: p.id, role: "USER", device: requesterFor().device, now: a.clock.now });
  await db().wellnessPreference.create({
    data: { userId: p.id, kind: "CATEGORY_BROWSED", categoryId },
    select: { id: true },
  });
  await db().userAvatar.create({
    data: { userId: p.id, data: new Uint8Array([1, 2, 3]), updatedAt: a.clock.now },
    select: { userId: true },
  });
  const past = await booking(p.id, new Date(a.clock.now.getTime() - 20 * DAY), "COMPLETED");
  await db().sessionMetadata.create({
    data: { bookingId: past.id, durationSeconds: 2900 },
    select: { bookingId: true },
  });
  await db().sessionPresence.create({
    data: { bookingId: past.id, userId: p.id, participantSid: `PA_${p.id}`, joinedAt: past.startsAt },
    select: { id: true },
  });
  await db().roomParticipantKey.create({
    data: { bookingId: past.id, userId: p.id, publicKey: `key-of-${p.id}` },
    select: { id: true },
  });
  const future = await booking(p.id, new Date(a.clock.now.getTime() + 20 * DAY));
  // Feedback and communication choices (other areas' models).
  await db().review.create({
    data: {
      bookingId: past.id,
      authorId: p.id,
      expertId: expert.id,
      rating: 5,
      comment: `Helpful, thank you — ${p.name}`,
    },
    select: { id: true },
  });
  await db().consent.create({
    data: { userId: p.id, kind: "NEWSLETTER", given: true, source: "SETTINGS", at: a.clock.now },
    select: { id: true },
  });
  const supportDeps = {
    db: db(),
    mail: a.deps.mail,
    limiter: a.deps.limiter,
    appUrl: "http://localhost",
    now: () => a.clock.now,
  };
  // An account question: support answers it (privacy tickets are the DPO's, and support cannot write to them).
  const ticket = await openTicket(supportDeps, p.id, {
    subject: `Help for ${p.name}`,
    category: "ACCOUNT",
    message: `My email is ${p.email}, please help.`,
  });
  // A contact-form ticket from the same address, before they had an account.
  await db().supportTicket.create({
    data: {
      contactEmail: p.email,
      contactName: p.name,
      subject: "Question before signing up",
      category: "OTHER",
      channel: "CONTACT_FORM",
      firstResponseDueAt: a.clock.now,
      resolutionDueAt: a.clock.now,
    },
    select: { id: true },
  });
  return { ...p, ticketId: ticket.id, pastBookingId: past.id, futureBookingId: future.id };
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = createTestAccounts(db());
  a.clock.now = new Date("2027-03-10T09:00:00Z");
  deps = {
    db: db(),
    mail: a.deps.mail,
    appUrl: "http://localhost:3000",
    now: () => a.clock.now,
    jobs: {
      send: (name, data, o) => {
        sent.push({ name, data, startAfter: o?.startAfter });
        return Promise.resolve("job");
      },
    },
  };
  const cat = await createCategory(db(), { slug: "sleep", name: "Sleep", description: "Support for sleep and rest." });
  categoryId = cat.id;
  const e = await createExpert(db(), {
    email: "ana-expert@example.com",
    name: "Ana Expert",
    slug: "ana",
    headline: "Listens well and helps",
    bio: "A calm, experienced practitioner who has helped many people.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: ["sleep"],
    availability: [],
    published: true,
  });
  expert = { id: e.id, userId: e.userId };
}, 120_000);
afterAll(async () => {
  await a?.deps.mail.drain();
  a?.cleanup();
  await t?.cleanup();
});

describe("deadlines (GDPR Art. 12(3))", () => {
  it("one calendar month from receipt; the 31st becomes the last day of a shorter month", () => {
    expect(dueDateFor(new Date("2027-03-10T09:00:00Z")).toISOString()).toBe("2027-04-10T09:00:00.000Z");
    expect(dueDateFor(new Date("2027-01-31T12:00:00Z")).toISOString()).toBe("2027-02-28T12:00:00.000Z");
    expect(addMonths(new Date("2027-04-10T09:00:00Z"), 2).toISOString()).toBe("2027-06-10T09:00:00.000Z");
  });

  it("days left count down and an open request past its deadline is overdue; a closed one never is", () => {
    const r = { status: "PENDING" as const, dueAt: new Date("2027-04-10T09:00:00Z"), extendedUntil: null };
    expect(daysLeft(r, new Date("2027-04-01T09:00:00Z"))).toBe(9);
    expect(isOverdue(r, new Date("2027-04-10T08:59:00Z"))).toBe(false);
    expect(isOverdue(r, new Date("2027-04-10T09:01:00Z"))).toBe(true);
    expect(isOverdue({ ...r, status: "COMPLETED" }, new Date("2027-05-10T09:00:00Z"))).toBe(false);
    expect(isOverdue({ ...r, extendedUntil: new Date("2027-06-10T09:00:00Z") }, new Date("2027-05-10T09:00:00Z"))).toBe(
      false,
    );
  });

  it("an extension: once, with a reason, within the first month, at most two further months; the user is emailed", async () => {
    const dpo = await person("DPO");
    const u = await person();
    const c = await requestCorrection(
      deps,
      u.id,
      { details: "My old address is still shown on an invoice." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    const due = c.dueAt;
    expect(due.toISOString()).toBe(dueDateFor(a.clock.now).toISOString());
    expect(
      await refusal(extendDeadline(deps, dpo.actor, c.id, { until: addMonths(due, 1), reason: "short" })),
    ).toMatchObject({ code: "VALIDATION" });
    expect(
      await refusal(
        extendDeadline(deps, dpo.actor, c.id, {
          until: new Date(addMonths(due, 2).getTime() + DAY),
          reason: "We need to check paper records in two offices.",
        }),
      ),
    ).toMatchObject({ code: "VALIDATION" });
    const ok = await extendDeadline(deps, dpo.actor, c.id, {
      until: addMonths(due, 2),
      reason: "We need to check paper records in two offices.",
    });
    expect(ok.extendedUntil.toISOString()).toBe(addMonths(due, 2).toISOString());
    const mail = await mailOf(u.email, "privacy-request-extended");
    expect(mail?.text).toContain("paper records");
    expect(mail?.text).toContain("privacy@mindnamo.com");
    expect(
      await refusal(
        extendDeadline(deps, dpo.actor, c.id, {
          until: addMonths(due, 2),
          reason: "Once more, please, for another reason.",
        }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
    expect(
      await db().auditEvent.count({
        where: { actorId: dpo.id, action: "privacy.request.extend", subjectUserId: u.id },
      }),
    ).toBe(1);

    // Past the first month, no extension can be given any more.
    const late = await requestCorrection(
      deps,
      u.id,
      { details: "My name is misspelled in an old ticket." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    const saved = a.clock.now;
    a.clock.now = new Date(late.dueAt.getTime() + 60_000);
    try {
      expect(
        await refusal(
          extendDeadline(deps, dpo.actor, late.id, {
            until: addMonths(late.dueAt, 1),
            reason: "We were too slow, sorry about that.",
          }),
        ),
      ).toMatchObject({ code: "PRECONDITION" });
      const queue = await listQueue(deps, dpo.actor, { status: "OPEN" });
      expect(queue.find((q) => q.id === late.id)).toMatchObject({ overdue: true });
      expect(queue.find((q) => q.id === c.id)).toMatchObject({ overdue: false, extended: true });
    } finally {
      a.clock.now = saved;
    }
  });
});

describe("the DPO's desk", () => {
  it("a DPO cannot decide, extend or check identity of their own request; another DPO can, and it is audited", async () => {
    const dpo1 = await person("DPO");
    const dpo2 = await person("DPO");
    const own = await requestCorrection(
      deps,
      dpo1.id,
      { details: "My staff profile shows a wrong spelling of my name." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    expect(
      await refusal(
        decideRequest(deps, dpo1.actor, own.id, { decision: "APPROVED", reason: "I corrected my own name." }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(
        decideRequest(deps, dpo1.actor, own.id, { decision: "REJECTED", reason: "I reject my own request." }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(
        extendDeadline(deps, dpo1.actor, own.id, {
          until: addMonths(own.dueAt, 1),
          reason: "I need more time myself.",
        }),
      ),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: own.id } })).status).toBe("PENDING");
    expect((await listQueue(deps, dpo1.actor)).find((q) => q.id === own.id)?.mine).toBe(true);

    const r = await decideRequest(deps, dpo2.actor, own.id, {
      decision: "APPROVED",
      reason: "Name corrected in the staff directory.",
    });
    expect(r.status).toBe("COMPLETED");
    expect(
      await db().auditEvent.count({
        where: { actorId: dpo2.id, action: "privacy.request.approve", purpose: `privacy-request:${own.id}` },
      }),
    ).toBe(1);
    expect(
      await refusal(
        decideRequest(deps, dpo2.actor, own.id, { decision: "REJECTED", reason: "Changed my mind about it." }),
      ),
    ).toMatchObject({ code: "CONFLICT" });
  });

  it("a rejection needs a reason, which the user reads in their list and their email", async () => {
    const dpo = await person("DPO");
    const u = await person();
    const r = await requestCorrection(
      deps,
      u.id,
      { details: "Please change my session history." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    expect(await refusal(decideRequest(deps, dpo.actor, r.id, { decision: "REJECTED", reason: "" }))).toMatchObject({
      code: "VALIDATION",
    });
    await decideRequest(deps, dpo.actor, r.id, {
      decision: "REJECTED",
      reason: "Session history is accurate; we cannot change facts.",
    });
    const mine = await listOwnRequests(db(), u.id);
    expect(mine[0]).toMatchObject({
      status: "REJECTED",
      decisionReason: "Session history is accurate; we cannot change facts.",
    });
    expect((await mailOf(u.email, "privacy-request-decided"))?.text).toContain("Session history is accurate");
  });

  it("viewing a request is audited with the request as purpose; another user's request is not in a user's list", async () => {
    const dpo = await person("DPO");
    const u = await person();
    const other = await person();
    const r = await requestCorrection(
      deps,
      u.id,
      { details: "My timezone is wrong in my profile." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    const view = await getRequest(deps, dpo.actor, r.id);
    expect(view.user?.email).toBe(u.email);
    expect(
      await db().auditEvent.count({
        where: {
          actorId: dpo.id,
          action: "privacy.request.view",
          subjectUserId: u.id,
          purpose: `privacy-request:${r.id}`,
        },
      }),
    ).toBe(1);
    expect(await listOwnRequests(db(), other.id)).toEqual([]);
    expect(await refusal(cancelOwnRequest(deps, { userId: other.id, requestId: r.id }))).toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("correction (P22)", () => {
  it("a correction request keeps the user's words, is acknowledged with the DPO's contact, and the DPO completes it with a reason", async () => {
    const u = await person();
    const dpo = await person("DPO");
    expect(
      await refusal(requestCorrection(deps, u.id, { details: "short" }, { ip: null, reauthenticatedAt: a.clock.now })),
    ).toMatchObject({ code: "VALIDATION" });
    const r = await requestCorrection(
      deps,
      u.id,
      { details: "My session on 3 May is listed as missed, but I attended it." },
      { ip: null, reauthenticatedAt: a.clock.now },
    );
    const ack = await mailOf(u.email, "privacy-correction-received");
    expect(ack?.text).toContain("privacy@mindnamo.com");
    expect((await listOwnRequests(db(), u.id))[0]).toMatchObject({
      type: "CORRECTION",
      status: "PENDING",
      details: "My session on 3 May is listed as missed, but I attended it.",
    });
    const view = await getRequest(deps, dpo.actor, r.id);
    expect(view.details).toContain("listed as missed");
    await decideRequest(deps, dpo.actor, r.id, {
      decision: "APPROVED",
      reason: "Corrected: the session is now recorded as attended.",
    });
    expect((await listOwnRequests(db(), u.id))[0]).toMatchObject({
      status: "COMPLETED",
      decisionReason: "Corrected: the session is now recorded as attended.",
    });
    expect((await mailOf(u.email, "privacy-request-decided"))?.text).toContain("privacy@mindnamo.com");
  });
});

describe("access export (P21)", () => {
  it("downloads of the same day started together are one ACCESS request", async () => {
    const u = await person();
    // On the PostgreSQL server: open the pool's connections first, so the five really run side by side.
    await Promise.all(Array.from({ length: 10 }, () => db().$queryRaw`SELECT 1`));
    const ids = await Promise.all(
      Array.from({ length: 5 }, () => recordAccessRequest(deps, u.id, { reauthenticatedAt: a.clock.now })),
    );
    expect(new Set(ids.map((r) => r.id)).size).toBe(1);
    expect(await db().privacyRequest.count({ where: { userId: u.id, type: "ACCESS" } })).toBe(1);
  });

  it("contains the user's data from every area and nothing of another user; recorded as a completed ACCESS request", async () => {
    const u = await richUser();
    const other = await richUser();
    const staff = await person("SUPPORT");
    await addInternalNote(
      db(),
      { id: staff.id, role: "SUPPORT", ip: "203.0.113.7" },
      { ticketId: u.ticketId, body: "INTERNAL-NOTE-SECRET staff only" },
    );
    await replyAsStaff(
      { db: db(), mail: a.deps.mail, limiter: a.deps.limiter, appUrl: "http://localhost", now: () => a.clock.now },
      { id: staff.id, role: "SUPPORT", ip: "203.0.113.7" },
      { ticketId: u.ticketId, body: "We are looking into it.", status: "OPEN" },
    );
    await recordAccessRequest(deps, u.id, { reauthenticatedAt: a.clock.now });

    const data = await exportUserData(db(), u.id, a.clock.now);
    const json = JSON.stringify(data);
    const s = data.sections as Record<string, { data: unknown }>;
    expect(s.account!.data).toMatchObject({ id: u.id, email: u.email, name: u.name, avatar: { format: "image/webp" } });
    expect((s.sessions!.data as unknown[]).length).toBe(1);
    expect((s.preferences!.data as unknown[]).length).toBe(1);
    const bookings = s.bookings!.data as Array<{
      id: string;
      metadata: unknown;
      presences: unknown[];
      roomKeys: unknown[];
      expert: unknown;
    }>;
    expect(bookings.map((b) => b.id).sort()).toEqual([u.pastBookingId, u.futureBookingId].sort());
    const past = bookings.find((b) => b.id === u.pastBookingId)!;
    expect(past).toMatchObject({
      metadata: { durationSeconds: 2900 },
      presences: [{}],
      roomKeys: [{ publicKey: `key-of-${u.id}` }],
    });
    expect(past.expert).toEqual({ slug: "ana", headline: "Listens well and helps", user: { name: "Ana Expert" } });
    expect(json).toContain(`Help for ${u.name}`);
    expect(json).toContain("please help");
    expect((s.requests!.data as { requests: Array<{ type: string; status: string }> }).requests).toEqual([
      expect.objectContaining({ type: "ACCESS", status: "COMPLETED" }),
    ]);
    expect(s.staffAccess!.data).toEqual(expect.arrayContaining([expect.objectContaining({ byRole: "SUPPORT" })]));
    expect(s.reviews!.data).toEqual([
      expect.objectContaining({ rating: 5, comment: `Helpful, thank you — ${u.name}` }),
    ]);
    expect(JSON.stringify(s.choices!.data)).toContain("NEWSLETTER");

    // Never: another user, internal notes, secrets, staff identities, the expert's email.
    for (const needle of [
      other.id,
      other.email,
      other.name,
      "INTERNAL-NOTE-SECRET",
      staff.email,
      staff.name,
      staff.id,
      "ana-expert@example.com",
      "secretHash",
      "passwordHash",
      "codeHash",
    ]) {
      expect(json, needle).not.toContain(needle);
    }
    const sessionRow = await db().session.findFirstOrThrow({
      where: { userId: u.id },
      select: { id: true, secretHash: true },
    });
    expect(json).not.toContain(sessionRow.secretHash);
    expect(json).not.toContain(sessionRow.id);
  });
});

/** Every text-like column of every table (public and the job queue's), scanned for a string. */
async function scanDatabase(needle: string): Promise<string[]> {
  const cols = await db().$queryRawUnsafe<Array<{ table_schema: string; table_name: string; column_name: string }>>(
    `SELECT c.table_schema, c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema IN ('public', 'pgboss')
        AND (c.data_type IN ('text', 'character varying', 'jsonb', 'json', 'ARRAY', 'USER-DEFINED', 'uuid'))`,
  );
  const hits: string[] = [];
  for (const c of cols) {
    const rows = await db().$queryRawUnsafe<Array<{ n: bigint | number }>>(
      `SELECT count(*) AS n FROM "${c.table_schema}"."${c.table_name}" WHERE "${c.column_name}"::text ILIKE $1`,
      `%${needle}%`,
    );
    if (Number(rows[0]?.n ?? 0) > 0) hits.push(`${c.table_name}.${c.column_name}`);
  }
  return hits;
}

describe("deletion (P23)", () => {
  it("grace period: the user can cancel for 7 days; the erasure never runs before it ends, nor without approval", async () => {
    const u = await person();
    const r = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    expect(r.graceEndsAt!.getTime() - a.clock.now.getTime()).toBe(7 * DAY);
    expect(await mailOf(u.email, "privacy-deletion-requested")).toBeDefined();
    expect(await refusal(requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now }))).toMatchObject({
      code: "CONFLICT",
    });
    // Not approved: nothing happens, even long after.
    expect(await runErasure({ ...deps, now: () => new Date(a.clock.now.getTime() + 30 * DAY) }, r.id)).toBe(
      "not-approved",
    );
    await cancelOwnRequest(deps, { userId: u.id, requestId: r.id });
    expect((await listOwnRequests(db(), u.id))[0]).toMatchObject({ status: "CANCELLED" });

    const dpo = await person("DPO");
    const r2 = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    await decideRequest(deps, dpo.actor, r2.id, {
      decision: "APPROVED",
      reason: "Identity confirmed by re-authentication.",
    });
    expect(sent.find((j) => (j.data as { requestId?: string }).requestId === r2.id)).toMatchObject({
      name: "privacy.erase",
      startAfter: r2.graceEndsAt,
    });
    expect(await runErasure({ ...deps, now: () => new Date(r2.graceEndsAt!.getTime() - 60_000) }, r2.id)).toBe(
      "grace-period",
    );
    expect(await db().user.count({ where: { id: u.id } })).toBe(1);
    // Still cancellable during the grace period, even approved.
    await cancelOwnRequest(deps, { userId: u.id, requestId: r2.id });
    expect(await runErasure({ ...deps, now: () => new Date(r2.graceEndsAt!.getTime() + DAY) }, r2.id)).toBe(
      "not-approved",
    );
    expect(await db().user.count({ where: { id: u.id } })).toBe(1);
  });

  it("after an approved erasure: no trace of id, email or name outside documented kept rows; no sign-in; experts see 'Former client'", async () => {
    const u = await richUser();
    const bystander = await richUser();
    const dpo = await person("DPO");
    const { token } = await createSession(db(), {
      userId: u.id,
      role: "USER",
      device: requesterFor().device,
      now: a.clock.now,
    });
    const signIn = () =>
      signInWithPassword(a.deps, { email: u.email, password: "correct horse battery staple 1" }, requesterFor());
    expect((await signIn()).kind).toBe("signed-in");
    // Staff read their ticket (audited), so the trail holds their id.
    await getRequest(
      deps,
      dpo.actor,
      (
        await requestCorrection(
          deps,
          u.id,
          { details: `Please fix: ${u.name} should be spelled differently.` },
          { ip: null, reauthenticatedAt: a.clock.now },
        )
      ).id,
    );
    const r = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    await decideRequest(deps, dpo.actor, r.id, {
      decision: "APPROVED",
      reason: `Approved for ${u.name} after the identity check.`,
    });

    a.clock.advance(7 * DAY + 60_000);
    expect(await runDueErasures(deps)).toEqual({ erased: 1 });

    // The receipt: completed request with what was erased and kept (and why), emailed with the DPO's contact.
    const done = await db().privacyRequest.findUniqueOrThrow({ where: { id: r.id } });
    expect(done).toMatchObject({ status: "COMPLETED", userId: null });
    const receipt = done.receipt as {
      deleted: Array<{ category: string }>;
      kept: Array<{ legalBasis: string }>;
      anonymized: Array<{ category: string }>;
    };
    expect(receipt.deleted.map((d) => d.category)).toEqual(
      expect.arrayContaining(["Account", "Devices and sign-ins", "Support requests", "Wellness preferences"]),
    );
    expect(receipt.anonymized.map((d) => d.category)).toContain("Bookings and sessions");
    expect(receipt.kept.length).toBeGreaterThan(0);
    const mail = await mailOf(u.email, "privacy-erasure-receipt");
    expect(mail?.text).toContain("privacy@mindnamo.com");
    expect(mail?.text).toMatch(/Kept, and why:[\s\S]*Art\. 5\(2\)/);

    // The scan: every text column of every table.
    expect(await scanDatabase(u.email)).toEqual([]);
    expect(await scanDatabase(u.name)).toEqual([]);
    // The account id remains only in the append-only audit trail (documented legal basis in the inventory).
    expect(await scanDatabase(u.id)).toEqual(expect.arrayContaining(["AuditEvent.subjectUserId"]));
    expect((await scanDatabase(u.id)).filter((h) => !h.startsWith("AuditEvent."))).toEqual([]);
    // The bystander is untouched.
    expect(await scanDatabase(bystander.email)).not.toEqual([]);
    expect(await db().booking.count({ where: { userId: bystander.id } })).toBe(2);

    // No sign-in, no session.
    expect(await validateSessionToken(db(), token, a.clock.now)).toBeNull();
    expect(await refusal(signIn())).toMatchObject({
      message: expect.stringContaining("email or password is not right"),
    });
    // The expert's list shows the sessions without the name; the upcoming one is cancelled.
    const list = [
      ...(await listExpertBookings(db(), expert.userId, { when: "past" }, a.clock.now)),
      ...(await listExpertBookings(db(), expert.userId, { when: "upcoming" }, a.clock.now)),
    ];
    expect(list.filter((b) => b.id === u.pastBookingId || b.id === u.futureBookingId).map((b) => b.clientName)).toEqual(
      [FORMER_CLIENT_NAME, FORMER_CLIENT_NAME],
    );
    const past = await db().booking.findUniqueOrThrow({
      where: { id: u.pastBookingId },
      select: { status: true, user: { select: { name: true } } },
    });
    const future = await db().booking.findUniqueOrThrow({
      where: { id: u.futureBookingId },
      select: { status: true, user: { select: { name: true } } },
    });
    expect(past).toEqual({ status: "COMPLETED", user: { name: FORMER_CLIENT_NAME } });
    expect(future).toEqual({ status: "CANCELLED", user: { name: FORMER_CLIENT_NAME } });
    expect(JSON.stringify(list)).not.toContain(u.name);
  });

  it("a legal hold keeps the held ticket (and lists it on the receipt); the rest is erased", async () => {
    const u = await richUser();
    const dpo = await person("DPO");
    const r = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    await placeLegalHold(deps, dpo.actor, r.id, {
      recordType: "SUPPORT_TICKET",
      recordId: u.ticketId,
      basis: "Complaint under dispute: evidence for a legal claim.",
      until: addMonths(a.clock.now, 12),
    });
    await decideRequest(deps, dpo.actor, r.id, {
      decision: "APPROVED",
      reason: "Approved; one ticket is under a legal hold.",
    });
    a.clock.advance(7 * DAY + 60_000);
    // The public page cache is told once, after the erasure (a cached profile or review may show the person)...
    let publicChanges = 0;
    const told = { ...deps, onPublicChange: () => publicChanges++ };
    expect(await runErasure(told, r.id)).toBe("erased");
    expect(publicChanges).toBe(1);
    // ...and not by a run that erases nothing.
    expect(await runErasure(told, r.id)).toBe("not-approved");
    expect(publicChanges).toBe(1);
    expect(
      await db().supportTicket.findUnique({
        where: { id: u.ticketId },
        select: { contactEmail: true, requesterId: true },
      }),
    ).toEqual({ contactEmail: u.email, requesterId: null });
    // Only the held ticket (and its messages) still name the person.
    expect(
      (await scanDatabase(u.email)).every((h) => h.startsWith("SupportTicket.") || h.startsWith("TicketMessage.")),
    ).toBe(true);
    const receipt = (await db().privacyRequest.findUniqueOrThrow({ where: { id: r.id } })).receipt as {
      legalHolds: Array<{ record: string; basis: string }>;
    };
    expect(receipt.legalHolds).toEqual([
      expect.objectContaining({
        record: `Support request ${u.ticketId}`,
        basis: expect.stringContaining("Complaint under dispute"),
      }),
    ]);
    expect((await mailOf(u.email, "privacy-erasure-receipt"))?.text).toContain("Complaint under dispute");
  });

  it("erasing an expert keeps their clients' bookings and reviews under an anonymous 'Former expert'; nothing names the expert", async () => {
    const e = await createExpert(db(), {
      email: "leaving-expert@example.com",
      name: "Lorna Leaving",
      slug: "lorna-leaving",
      headline: "Listens well and helps",
      bio: "Lorna Leaving has helped many people sleep better.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: ["sleep"],
      availability: [],
      published: true,
    });
    const client = await person();
    const s = new Date(a.clock.now.getTime() - 30 * DAY);
    const past = await db().booking.create({
      data: {
        userId: client.id,
        expertId: e.id,
        categoryId,
        startsAt: s,
        endsAt: new Date(s.getTime() + 50 * 60_000),
        blockedUntil: new Date(s.getTime() + 60 * 60_000),
        status: "COMPLETED",
        roomName: crypto.randomBytes(12).toString("hex"),
      },
      select: { id: true },
    });
    const f = new Date(a.clock.now.getTime() + 30 * DAY);
    const upcoming = await db().booking.create({
      data: {
        userId: client.id,
        expertId: e.id,
        categoryId,
        startsAt: f,
        endsAt: new Date(f.getTime() + 50 * 60_000),
        blockedUntil: new Date(f.getTime() + 60 * 60_000),
        roomName: crypto.randomBytes(12).toString("hex"),
      },
      select: { id: true },
    });
    await db().review.create({
      data: { bookingId: past.id, authorId: client.id, expertId: e.id, rating: 4, comment: "Good session." },
      select: { id: true },
    });

    await eraseUser(db(), e.userId, { now: a.clock.now });
    const kept = await db().booking.findMany({
      where: { userId: client.id },
      orderBy: { startsAt: "asc" },
      select: { id: true, status: true, expert: { select: { published: true, user: { select: { name: true } } } } },
    });
    expect(kept).toEqual([
      { id: past.id, status: "COMPLETED", expert: { published: false, user: { name: FORMER_EXPERT_NAME } } },
      { id: upcoming.id, status: "CANCELLED", expert: { published: false, user: { name: FORMER_EXPERT_NAME } } },
    ]);
    expect(await db().review.count({ where: { authorId: client.id } })).toBe(1);
    for (const needle of ["leaving-expert@example.com", "Lorna Leaving", "lorna-leaving", e.userId]) {
      expect(
        (await scanDatabase(needle)).filter((h) => !h.startsWith("AuditEvent.")),
        needle,
      ).toEqual([]);
    }
  });

  it("the erasure job and the sweep racing erase once and send one receipt", async () => {
    const u = await person();
    const dpo = await person("DPO");
    const r = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    await decideRequest(deps, dpo.actor, r.id, { decision: "APPROVED", reason: "Approved after the identity check." });
    const later = { ...deps, now: () => new Date(r.graceEndsAt!.getTime() + 60_000) };
    const outcomes = await Promise.all([runErasure(later, r.id), runErasure(later, r.id)]);
    expect(outcomes.filter((o) => o === "erased")).toHaveLength(1);
    expect(outcomes.filter((o) => o !== "erased")[0]).toMatch(/^(no-account|not-approved)$/);
    await a.deps.mail.drain();
    expect(
      (await listOutbox(a.outboxDir, 1000)).filter((m) => m.to === u.email && m.template === "privacy-erasure-receipt"),
    ).toHaveLength(1);
  });

  it("two accounts with bookings erased at the same moment share one 'Former client' account", async () => {
    const [x, y] = await Promise.all([person(), person()]);
    const past = new Date(a.clock.now.getTime() - 10 * DAY);
    const [bx, by] = await Promise.all([booking(x.id, past, "COMPLETED"), booking(y.id, past, "COMPLETED")]);
    // Both succeed (neither trips over the other creating the shared account).
    await Promise.all([eraseUser(db(), x.id), eraseUser(db(), y.id)]);
    expect(await db().user.count({ where: { id: { in: [x.id, y.id] } } })).toBe(0);
    const owners = await db().booking.findMany({
      where: { id: { in: [bx.id, by.id] } },
      select: { user: { select: { name: true } } },
    });
    expect(owners.map((o) => o.user.name)).toEqual(["Former client", "Former client"]);
  });

  it("eraseUser refuses an unknown account", async () => {
    expect(await refusal(eraseUser(db(), "00000000-0000-7000-8000-000000000000"))).toMatchObject({ code: "NOT_FOUND" });
  });
});
