// Privacy requests made outside the privacy center (help ticket, contact form, logged email or call): the emailed
// identity code, the one-month clock that starts on confirmation, the DPO's view of the linked ticket, support's
// sealed view of privacy tickets, and the escalation 7 days before the deadline. A real database per file (PGlite,
// or the PostgreSQL server with TEST_DATABASE_URL); the clock is passed in.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { listOutbox } from "../platform/mail/index.ts";
import { createRateLimiter } from "../platform/rate-limit.ts";
import { createTestAccounts, type TestAccounts } from "../platform/testing/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  addInternalNote,
  getTicketForStaff,
  logTicketOnBehalf,
  openTicket,
  replyAsStaff,
  submitContactForm,
  type SupportDeps,
} from "../support/tickets.ts";
import type { AuditActor } from "../audit/index.ts";
import {
  confirmPrivacyRequest,
  escalateUntouchedRequests,
  IDENTITY_CODE_LIFETIME_MS,
  openPrivacyRequest,
  PRIVACY_TYPE_CHOICES,
  privacyRequestForTicket,
  requestedPrivacyType,
  resendIdentityCode,
  type IntakeDeps,
} from "./intake.ts";
import { decideRequest, dueDateFor, extendDeadline, getRequest, listQueue, recordIdentityCheck } from "./requests.ts";
import { purgeExpiredData } from "./retention.ts";

let t: TestDatabase;
let a: TestAccounts;
const db = () => t.db.prisma;
const DAY = 86_400_000;
let deps: IntakeDeps;
let support: SupportDeps;

let seq = 0;
async function person(role: "USER" | "DPO" | "SUPPORT" | "ADMIN" = "USER") {
  const n = ++seq;
  const tag = crypto.randomBytes(4).toString("hex");
  const email = `i${n}-${tag}@example.com`;
  const u = await createUser(db(), { email, name: `Ines ${tag} Intake${n}`, role, emailVerified: true });
  const actor: AuditActor & { id: string; role: typeof role; ip: string } = { id: u.id, role, ip: "203.0.113.9" };
  return { id: u.id, email, actor };
}

async function mailsTo(to: string, template: string) {
  await a.deps.mail.drain();
  return (await listOutbox(a.outboxDir, 1000)).filter((m) => m.to === to && m.template === template);
}
/** The code and the link of the newest identity-code email to an address. */
async function codeFor(to: string) {
  const [m] = await mailsTo(to, "privacy-identity-code");
  if (!m) throw new Error(`no identity code mailed to ${to}`);
  const code = /(\d{4}) (\d{4})/.exec(m.text)!;
  const link = /(http\S+\/privacy\/confirm\?request=\S+)/.exec(m.text)![1]!;
  return { code: `${code[1]}${code[2]}`, link, text: m.text };
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

let ipSeq = 0;
const freshIp = () => `198.51.100.${++ipSeq}`;

async function contactPrivacy(email: string, message = "Please tell me what data you hold about me.") {
  const ip = freshIp();
  const ticket = await submitContactForm(
    support,
    { email, name: "Visitor", subject: "My data", category: "PRIVACY", message },
    ip,
  );
  const request = await privacyRequestForTicket(deps, ticket.id, { ip });
  return { ticketId: ticket.id, requestId: request!.id, ip };
}

beforeAll(async () => {
  t = await createTestDatabase();
  a = createTestAccounts(db());
  a.clock.now = new Date("2027-05-10T09:00:00Z");
  deps = {
    db: db(),
    mail: a.deps.mail,
    limiter: a.deps.limiter,
    codeKey: a.deps.pepper,
    appUrl: "http://localhost:3000",
    now: () => a.clock.now,
  };
  support = { db: db(), mail: a.deps.mail, limiter: a.deps.limiter, appUrl: "http://localhost:3000", now: deps.now };
}, 120_000);

afterAll(async () => {
  await a?.deps.mail.drain();
  a?.cleanup();
  await t?.cleanup();
});

describe("privacy requests from anywhere: the identity code", () => {
  it("a contact-form privacy message waits for its code: not tracked, only a hash stored, nothing to decide", async () => {
    const email = `visitor-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { ticketId, requestId } = await contactPrivacy(email);
    const row = await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({
      status: "AWAITING_IDENTITY",
      source: "CONTACT_FORM",
      type: "OTHER",
      requesterEmail: email,
      ticketId,
      userId: null,
      identityCheckedAt: null,
    });
    const { code, link, text } = await codeFor(email);
    expect(link).toBe(`http://localhost:3000/privacy/confirm?request=${requestId}`);
    expect(text).toContain("30 minutes");
    // Only a keyed hash of the code is stored; the code appears nowhere in the row.
    expect(row.verificationCodeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(row)).not.toContain(code);
    expect(row.verificationExpiresAt!.getTime() - a.clock.now.getTime()).toBe(IDENTITY_CODE_LIFETIME_MS);

    const dpo = await person("DPO");
    const open = await listQueue(deps, dpo.actor, { status: "OPEN" });
    expect(open.find((r) => r.id === requestId)).toBeUndefined();
    const all = await listQueue(deps, dpo.actor, {});
    expect(all.find((r) => r.id === requestId)).toMatchObject({
      status: "AWAITING_IDENTITY",
      awaitingIdentity: true,
      daysLeft: null,
      source: "CONTACT_FORM",
    });
    expect(
      await refusal(decideRequest(deps, dpo.actor, requestId, { decision: "APPROVED", reason: "Answered by email." })),
    ).toMatchObject({ code: "PRECONDITION" });
    expect(
      await refusal(
        extendDeadline(deps, dpo.actor, requestId, { until: "2027-07-01", reason: "Complex request, many systems." }),
      ),
    ).toMatchObject({ code: "PRECONDITION" });
  });

  it("confirming the code starts the one-month clock then, and puts the request on the DPO's open queue", async () => {
    const email = `later-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { requestId } = await contactPrivacy(email);
    const received = a.clock.now;
    const { code } = await codeFor(email);
    a.clock.advance(20 * 60_000);
    const confirmedAt = a.clock.now;
    const out = await confirmPrivacyRequest(
      deps,
      { requestId, code: `${code.slice(0, 4)} ${code.slice(4)}` },
      {
        ip: freshIp(),
      },
    );
    expect(out.dueAt).toEqual(dueDateFor(confirmedAt));
    const row = await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId } });
    expect(row).toMatchObject({
      status: "PENDING",
      receivedAt: received,
      dueAt: dueDateFor(confirmedAt),
      identityCheckedAt: confirmedAt,
      verificationCodeHash: null,
    });
    expect(row.identityCheck).toContain("Code emailed to the address the requester gave");
    expect(await mailsTo(email, "privacy-identity-confirmed")).toHaveLength(1);
    const dpo = await person("DPO");
    expect((await listQueue(deps, dpo.actor, { status: "OPEN" })).find((r) => r.id === requestId)).toMatchObject({
      status: "PENDING",
      // 10 May to 10 June: the whole month is left.
      daysLeft: 31,
    });
    // Single use: the same code again is "not valid".
    expect(await refusal(confirmPrivacyRequest(deps, { requestId, code }, { ip: freshIp() }))).toMatchObject({
      code: "VALIDATION",
      field: "code",
    });
  });

  it("wrong, malformed, expired and unknown codes get clear errors; five wrong tries void the code; a new one works", async () => {
    const email = `tries-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { requestId } = await contactPrivacy(email);
    const { code } = await codeFor(email);
    const wrong = code === "00000000" ? "11111111" : "00000000";
    for (const bad of ["", "12ab", "123", null, { x: 1 }])
      expect(await refusal(confirmPrivacyRequest(deps, { requestId, code: bad }, { ip: freshIp() }))).toMatchObject({
        code: "VALIDATION",
        field: "code",
      });
    expect(
      await refusal(confirmPrivacyRequest(deps, { requestId: "no-such-request", code }, { ip: freshIp() })),
    ).toMatchObject({ code: "VALIDATION", message: expect.stringContaining("not valid") });
    expect(await refusal(confirmPrivacyRequest(deps, { requestId: ["x"], code }, { ip: freshIp() }))).toMatchObject({
      code: "VALIDATION",
    });
    for (let i = 0; i < 4; i++)
      expect(await refusal(confirmPrivacyRequest(deps, { requestId, code: wrong }, { ip: freshIp() }))).toMatchObject({
        code: "VALIDATION",
        message: expect.stringContaining("not valid"),
      });
    expect(await refusal(confirmPrivacyRequest(deps, { requestId, code: wrong }, { ip: freshIp() }))).toMatchObject({
      code: "RATE_LIMITED",
      message: expect.stringContaining("Too many wrong attempts"),
    });
    // Even the right code no longer works.
    expect(await refusal(confirmPrivacyRequest(deps, { requestId, code }, { ip: freshIp() }))).toMatchObject({
      code: "RATE_LIMITED",
    });
    expect(await resendIdentityCode(deps, { requestId }, { ip: freshIp() })).toEqual({ sent: true });
    const fresh = await codeFor(email);
    expect(fresh.code).not.toBe(code);
    // Expired after 30 minutes.
    a.clock.advance(IDENTITY_CODE_LIFETIME_MS + 1000);
    expect(
      await refusal(confirmPrivacyRequest(deps, { requestId, code: fresh.code }, { ip: freshIp() })),
    ).toMatchObject({ code: "VALIDATION", message: expect.stringContaining("expired") });
    await resendIdentityCode(deps, { requestId }, { ip: freshIp() });
    const last = await codeFor(email);
    await confirmPrivacyRequest(deps, { requestId, code: last.code }, { ip: freshIp() });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).status).toBe("PENDING");
    // A confirmed request asks for no more codes, and says nothing about it.
    expect(await resendIdentityCode(deps, { requestId }, { ip: freshIp() })).toEqual({ sent: false });
  });

  it("code mails are limited per recipient and per IP, like every mail-sending path; guesses count per IP", async () => {
    const limiter = createRateLimiter(db(), {
      "mail:recipient": { points: 2, duration: 3600, message: "recipient limit" },
      "mail:ip": { points: 3, duration: 900, message: "ip limit" },
      "secret:ip": { points: 2, duration: 900, message: "secret limit" },
    });
    const limited = { ...deps, limiter };
    const supportLimited = { ...support, limiter: createRateLimiter(db()) };
    const email = `flood-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const ticket = async (to: string) =>
      (
        await submitContactForm(
          supportLimited,
          { email: to, name: "", subject: "Data", category: "PRIVACY", message: "What do you hold?" },
          freshIp(),
        )
      ).id;
    expect(await privacyRequestForTicket(limited, await ticket(email), { ip: "192.0.2.1" })).toMatchObject({
      codeSent: true,
    });
    await privacyRequestForTicket(limited, await ticket(email), { ip: "192.0.2.2" });
    // Past the limit the code is held back, but the request is recorded: its ticket exists already, and a request
    // lost to a busy mailbox would be one nobody answers. Asking for the code later is limited the same way.
    const held = await privacyRequestForTicket(limited, await ticket(email), { ip: "192.0.2.3" });
    expect(held).toMatchObject({ codeSent: false });
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: held!.id } })).toMatchObject({
      status: "AWAITING_IDENTITY",
      requesterEmail: email,
    });
    expect(await mailsTo(email, "privacy-identity-code")).toHaveLength(2);
    expect(await refusal(resendIdentityCode(limited, { requestId: held!.id }, { ip: "192.0.2.4" }))).toMatchObject({
      code: "RATE_LIMITED",
      message: "recipient limit",
    });
    // Without a ticket there is nothing to keep: the limit refuses the request itself.
    expect(
      await refusal(openPrivacyRequest(limited, { source: "CONTACT_FORM", email }, { ip: "192.0.2.5" })),
    ).toMatchObject({ code: "RATE_LIMITED", message: "recipient limit" });
    const other = (n: number) => `ip-${n}-${crypto.randomBytes(3).toString("hex")}@example.com`;
    await privacyRequestForTicket(limited, await ticket(other(1)), { ip: "192.0.2.9" });
    await privacyRequestForTicket(limited, await ticket(other(2)), { ip: "192.0.2.9" });
    await privacyRequestForTicket(limited, await ticket(other(3)), { ip: "192.0.2.9" });
    const fourth = other(4);
    expect(await privacyRequestForTicket(limited, await ticket(fourth), { ip: "192.0.2.9" })).toMatchObject({
      codeSent: false,
    });
    expect(await mailsTo(fourth, "privacy-identity-code")).toHaveLength(0);
    const [r] = await db().privacyRequest.findMany({ where: { requesterEmail: email }, take: 1 });
    await confirmPrivacyRequest(limited, { requestId: r!.id, code: "00000001" }, { ip: "192.0.2.50" }).catch(() => {});
    await confirmPrivacyRequest(limited, { requestId: r!.id, code: "00000002" }, { ip: "192.0.2.50" }).catch(() => {});
    expect(
      await refusal(confirmPrivacyRequest(limited, { requestId: r!.id, code: "00000003" }, { ip: "192.0.2.50" })),
    ).toMatchObject({ code: "RATE_LIMITED", message: "secret limit" });
  });

  it("a help ticket and a logged phone call or email become requests with their source; other categories do not", async () => {
    const user = await person();
    const agent = await person("SUPPORT");
    const web = await openTicket(support, user.id, {
      subject: "Delete my data",
      category: "PRIVACY",
      message: "Please delete my session notes.",
    });
    const webRequest = await privacyRequestForTicket(deps, web.id, { ip: freshIp() });
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: webRequest!.id } })).toMatchObject({
      source: "TICKET",
      userId: user.id,
      requesterEmail: user.email,
      ticketId: web.id,
      status: "AWAITING_IDENTITY",
    });
    expect((await codeFor(user.email)).code).toMatch(/^\d{8}$/);

    for (const channel of ["PHONE", "EMAIL"] as const) {
      const caller = `${channel.toLowerCase()}-${crypto.randomBytes(3).toString("hex")}@example.com`;
      const logged = await logTicketOnBehalf(support, agent.actor, {
        channel,
        email: caller,
        subject: "Asked about their data",
        category: "PRIVACY",
        message: "The caller wants a copy of their data.",
        priority: "NORMAL",
      });
      const req = await privacyRequestForTicket(deps, logged.id, { ip: freshIp() });
      expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: req!.id } })).toMatchObject({
        source: channel,
        requesterEmail: caller,
        ticketId: logged.id,
      });
      expect(await mailsTo(caller, "privacy-identity-code")).toHaveLength(1);
    }
    const other = await openTicket(support, user.id, { subject: "Booking", category: "BOOKING", message: "Help" });
    expect(await privacyRequestForTicket(deps, other.id, { ip: freshIp() })).toBeNull();
  });

  it("confirmed from an account's verified address, the request is that account's; unconfirmed ones go after 30 days", async () => {
    const user = await person();
    const { requestId } = await contactPrivacy(user.email);
    await confirmPrivacyRequest(deps, { requestId, code: (await codeFor(user.email)).code }, { ip: freshIp() });
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).userId).toBe(user.id);

    const stale = await contactPrivacy(`stale-${crypto.randomBytes(3).toString("hex")}@example.com`);
    await purgeExpiredData(db(), new Date(a.clock.now.getTime() + 29 * DAY));
    expect(await db().privacyRequest.count({ where: { id: stale.requestId } })).toBe(1);
    await purgeExpiredData(db(), new Date(a.clock.now.getTime() + 31 * DAY));
    expect(await db().privacyRequest.count({ where: { id: stale.requestId } })).toBe(0);
    // The confirmed one is a tracked request and stays.
    expect(await db().privacyRequest.count({ where: { id: requestId } })).toBe(1);
  });
});

describe("what the help and contact forms say a privacy request is for", () => {
  it("counts only under the privacy category, empty is something else, and a value off the list is refused", () => {
    expect(PRIVACY_TYPE_CHOICES.map((c) => c.value)).toEqual(["ACCESS", "CORRECTION", "DELETION", "OPT_OUT", "OTHER"]);
    expect(requestedPrivacyType("PRIVACY", "DELETION")).toBe("DELETION");
    expect(requestedPrivacyType("PRIVACY", "")).toBe("OTHER");
    expect(requestedPrivacyType("PRIVACY", undefined)).toBe("OTHER");
    expect(requestedPrivacyType("BOOKING", "DELETION")).toBeUndefined();
    expect(requestedPrivacyType("BOOKING", "junk")).toBeUndefined();
    for (const bad of ["deletion", "ERASE", 42, {}]) {
      let caught: unknown;
      try {
        requestedPrivacyType("PRIVACY", bad);
      } catch (error) {
        caught = error;
      }
      expect(isDomainError(caught) && caught.code === "VALIDATION" && caught.details?.field).toBe("privacyType");
      expect((caught as Error).message).toBe("Choose what you are asking for from the list.");
    }
  });
});

describe("privacy tickets belong to the DPO", () => {
  it("the DPO reads the linked ticket's messages on the request, audited; support sees only that it is with the DPO", async () => {
    const email = `thread-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { ticketId, requestId } = await contactPrivacy(email, "Please erase the notes about my anxiety.");
    const dpo = await person("DPO");
    const agent = await person("SUPPORT");

    const seen = await getRequest(deps, dpo.actor, requestId);
    expect(seen.linkedTicket?.id).toBe(ticketId);
    expect(seen.linkedTicket?.messages.map((m) => m.body)).toEqual(["Please erase the notes about my anxiety."]);
    expect(seen.requesterEmail).toBe(email);
    expect(
      await db().auditEvent.findFirst({
        where: { actorId: dpo.id, action: "privacy.request.ticket.view", purpose: `privacy-request:${requestId}` },
      }),
    ).toMatchObject({ target: `ticket:${ticketId}` });

    const asSupport = await getTicketForStaff(db(), agent.actor, ticketId, a.clock.now);
    expect(asSupport).toMatchObject({ id: ticketId, withDpo: true, messages: [] });
    expect(JSON.stringify(asSupport)).not.toContain("anxiety");
    expect(
      await refusal(replyAsStaff(support, agent.actor, { ticketId, body: "We can help with that." })),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(addInternalNote(db(), agent.actor, { ticketId, body: "Looks sensitive." }))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await db().ticketMessage.count({ where: { ticketId } })).toBe(1);

    // Other tickets still show their thread to support.
    const user = await person();
    const booking = await openTicket(support, user.id, { subject: "Booking", category: "BOOKING", message: "Moved?" });
    const normal = await getTicketForStaff(db(), agent.actor, booking.id, a.clock.now);
    expect(normal).toMatchObject({ withDpo: false });
    expect(normal.messages).toHaveLength(1);
  });

  it("a visitor's confirmed request is answered by email; an erasure of an address with no account is refused", async () => {
    const email = `answer-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { requestId } = await contactPrivacy(email);
    await confirmPrivacyRequest(deps, { requestId, code: (await codeFor(email)).code }, { ip: freshIp() });
    const dpo = await person("DPO");
    await decideRequest(deps, dpo.actor, requestId, {
      decision: "APPROVED",
      reason: "We hold only this message; we answered your question.",
    });
    expect(await db().privacyRequest.findUniqueOrThrow({ where: { id: requestId } })).toMatchObject({
      status: "COMPLETED",
      reviewerId: dpo.id,
    });
    const decided = await mailsTo(email, "privacy-request-decided");
    expect(decided).toHaveLength(1);
    // No account, so no privacy center to point to: the email is the answer.
    expect(decided[0]!.text).toContain("this email is our answer");
    expect(decided[0]!.text).not.toContain("/account/privacy");

    const del = await db().privacyRequest.update({
      where: { id: (await contactPrivacy(`del-${crypto.randomBytes(3).toString("hex")}@example.com`)).requestId },
      data: { type: "DELETION" },
      select: { id: true, requesterEmail: true },
    });
    await confirmPrivacyRequest(
      deps,
      { requestId: del.id, code: (await codeFor(del.requesterEmail!)).code },
      {
        ip: freshIp(),
      },
    );
    expect(
      await refusal(decideRequest(deps, dpo.actor, del.id, { decision: "APPROVED", reason: "Erase it all please." })),
    ).toMatchObject({ code: "CONFLICT" });
  });
});

describe("escalation 7 days before the deadline", () => {
  async function tracked() {
    const email = `esc-${crypto.randomBytes(3).toString("hex")}@example.com`;
    const { requestId } = await contactPrivacy(email);
    await confirmPrivacyRequest(deps, { requestId, code: (await codeFor(email)).code }, { ip: freshIp() });
    return db().privacyRequest.findUniqueOrThrow({ where: { id: requestId }, select: { id: true, dueAt: true } });
  }
  const at = (d: Date, ms: number) => ({ ...deps, now: () => new Date(d.getTime() + ms) });

  it("escalates an untouched request once, at 7 days before its deadline, to the DPO and admins, with no personal data", async () => {
    const admin = await person("ADMIN");
    const dpo = await person("DPO");
    const r = await tracked();
    const email = (await db().privacyRequest.findUniqueOrThrow({ where: { id: r.id } })).requesterEmail!;
    // A view is not an action.
    await getRequest(deps, dpo.actor, r.id);
    // 7 days and a minute before: not yet. (Other requests of this file's database may be escalated meanwhile.)
    expect((await escalateUntouchedRequests(at(r.dueAt, -7 * DAY - 60_000))).ids).not.toContain(r.id);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: r.id } })).escalatedAt).toBeNull();
    const when = new Date(r.dueAt.getTime() - 7 * DAY);
    expect((await escalateUntouchedRequests(at(r.dueAt, -7 * DAY))).ids).toContain(r.id);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: r.id } })).escalatedAt).toEqual(when);
    // Once only.
    expect((await escalateUntouchedRequests(at(r.dueAt, -6 * DAY))).ids).not.toContain(r.id);
    expect((await escalateUntouchedRequests(at(r.dueAt, -1 * DAY))).ids).not.toContain(r.id);

    for (const to of [admin.email, dpo.email]) {
      const mails = (await mailsTo(to, "privacy-escalation")).filter((m) => m.text.includes(r.id));
      expect(mails).toHaveLength(1);
      expect(mails[0]!.text).toContain(`/admin/privacy/${r.id}`);
      expect(mails[0]!.text).not.toContain(email);
      expect(mails[0]!.text).not.toContain("What do you hold");
    }
    const q = await listQueue(deps, dpo.actor, { status: "OPEN" });
    expect(q.find((x) => x.id === r.id)).toMatchObject({ escalated: true });
  });

  it("after an extension: escalated again at 7 days before the extended deadline if untouched since the extension", async () => {
    const dpo = await person("DPO");
    const extend = (r: { id: string; dueAt: Date }, atMs: number, until: Date) =>
      extendDeadline(at(r.dueAt, atMs), dpo.actor, r.id, {
        until: until.toISOString(),
        reason: "Many systems to search for this request.",
      });
    const flagged = async (id: string) =>
      (await listQueue(deps, dpo.actor, { status: "OPEN" })).find((x) => x.id === id)?.escalated;
    const escalationsOf = async (id: string) =>
      (await mailsTo(dpo.email, "privacy-escalation")).filter((m) => m.text.includes(id)).length;

    // Escalated before its first deadline, then extended: the flag is answered; the extended deadline, left alone,
    // is escalated once more when it in turn is 7 days away.
    const first = await tracked();
    expect((await escalateUntouchedRequests(at(first.dueAt, -7 * DAY))).ids).toContain(first.id);
    const firstUntil = new Date(first.dueAt.getTime() + 30 * DAY);
    await extend(first, -5 * DAY, firstUntil);
    expect(await flagged(first.id)).toBe(false);
    expect((await escalateUntouchedRequests(at(firstUntil, -7 * DAY - 60_000))).ids).not.toContain(first.id);
    expect((await escalateUntouchedRequests(at(firstUntil, -7 * DAY))).ids).toContain(first.id);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: first.id } })).escalatedAt).toEqual(
      new Date(firstUntil.getTime() - 7 * DAY),
    );
    expect(await flagged(first.id)).toBe(true);
    expect((await escalateUntouchedRequests(at(firstUntil, -DAY))).ids).not.toContain(first.id);
    expect(await escalationsOf(first.id)).toBe(2);
    // The second mail does not offer what can no longer be done: a deadline is extended once.
    const texts = (await mailsTo(dpo.email, "privacy-escalation"))
      .map((m) => m.text)
      .filter((t) => t.includes(first.id));
    const offering = texts.filter((t) => t.includes("may be extended once"));
    expect(offering).toHaveLength(1);
    expect(offering[0]).not.toMatch(new RegExp(`${first.id.slice(0, 8)}[^\n]*already extended once`));
    const refusing = texts.filter((t) => new RegExp(`${first.id.slice(0, 8)}[^\n]*already extended once`).test(t));
    expect(refusing).toHaveLength(1);

    // Extended early (never escalated); an identity check before the extension does not count for the new period.
    const early = await tracked();
    await recordIdentityCheck(at(early.dueAt, -25 * DAY), dpo.actor, early.id, { note: "Checked the address." });
    const earlyUntil = new Date(early.dueAt.getTime() + 40 * DAY);
    await extend(early, -20 * DAY, earlyUntil);
    expect((await escalateUntouchedRequests(at(early.dueAt, -DAY))).ids).not.toContain(early.id);
    expect((await escalateUntouchedRequests(at(earlyUntil, -7 * DAY))).ids).toContain(early.id);

    // Someone acted after the extension: not escalated.
    const worked = await tracked();
    const workedUntil = new Date(worked.dueAt.getTime() + 30 * DAY);
    await extend(worked, -10 * DAY, workedUntil);
    await recordIdentityCheck(at(worked.dueAt, -9 * DAY), dpo.actor, worked.id, { note: "Asked for a document." });
    expect((await escalateUntouchedRequests(at(workedUntil, -7 * DAY))).ids).not.toContain(worked.id);
    expect((await escalateUntouchedRequests(at(workedUntil, -DAY))).ids).not.toContain(worked.id);
    expect((await db().privacyRequest.findUniqueOrThrow({ where: { id: worked.id } })).escalatedAt).toBeNull();
  });

  it("does not escalate a request someone acted on (decision or extension), nor one awaiting its code", async () => {
    const dpo = await person("DPO");
    const decided = await tracked();
    await decideRequest(deps, dpo.actor, decided.id, { decision: "REJECTED", reason: "Not a request we can act on." });
    const extended = await tracked();
    await extendDeadline(deps, dpo.actor, extended.id, {
      until: new Date(extended.dueAt.getTime() + 30 * DAY).toISOString(),
      reason: "Many systems to search for this request.",
    });
    const awaiting = await contactPrivacy(`wait-${crypto.randomBytes(3).toString("hex")}@example.com`);
    await escalateUntouchedRequests(at(decided.dueAt, -DAY));
    const rows = await db().privacyRequest.findMany({
      where: { id: { in: [decided.id, extended.id, awaiting.requestId] } },
      select: { escalatedAt: true },
    });
    expect(rows.map((r) => r.escalatedAt)).toEqual([null, null, null]);
  });
});
