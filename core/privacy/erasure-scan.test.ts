// The proof that an erasure leaves nothing behind (P23), with the real pg-boss schema on the test database (PGlite,
// or the PostgreSQL server with TEST_DATABASE_URL; CI runs both). A person first leaves every kind of data the
// product can hold: mail to the expert (queued, sent and finished jobs, outbox files), failed sign-ins, a code
// request, a refused back-office call, tickets from their address by the contact form, email and phone, a legal
// hold naming them, a review, a survey, consent, room presence. Then the erasure runs, and EVERY column of EVERY
// table (public and pgboss, jsonb included) and every outbox file is searched for each part of their name, their
// email, their id, the IPs they used (the sign-in's and the code request's), the keyed hash of their email, the
// keyed hash that stands for their address on sealed account-mail jobs, and the keyed hashes of their rate-limit
// counters. On the PostgreSQL server account mail goes through pg-boss as sealed mail.account jobs, as the server
// sends it; on PGlite it is sent in-process, as there. Only the exceptions the data map names (ERASURE_EXCEPTIONS)
// may remain.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExpert } from "../catalog/index.ts";
import { createCategory } from "../catalog/index.ts";
import { recordAudit, type AuditAction } from "../audit/index.ts";
import { createUser } from "../identity/users.ts";
import { requestLoginCode, signInWithPassword } from "../identity/accounts.ts";
import { submitReview } from "../feedback/reviews.ts";
import { submitSurvey } from "../feedback/surveys.ts";
import { afterBooked, runBookingNotice, type BookingNoticeJob } from "../notifications/bookings.ts";
import { startJobQueue, type JobQueue } from "../platform/jobs/queue.ts";
import { OutboxMailer } from "../platform/mail/index.ts";
import { MailQueue } from "../platform/mail/queue.ts";
import { mailRecipientKeyOf, openMail, sealMail } from "../platform/mail/sealed.ts";
import { rateLimitKeyOf, ratePolicies, type RatePolicyName } from "../platform/rate-limit.ts";
import { createTestAccounts, requesterFor, type TestAccounts } from "../platform/testing/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { bookSlot } from "../scheduling/bookings.ts";
import { accountKeyOf } from "../security/events.ts";
import { openTicket, submitContactForm } from "../support/tickets.ts";
import { ERASURE_EXCEPTIONS } from "./datamap.ts";
import { giveHealthConsent } from "./health-consent.ts";
import { runDueErasures, type ErasureKeys } from "./erase.ts";
import { privacyRequestForTicket } from "./intake.ts";
import { addMonths, decideRequest, placeLegalHold, requestDeletion, type PrivacyDeps } from "./requests.ts";
import { purgeExpiredData } from "./retention.ts";

let t: TestDatabase;
let a: TestAccounts;
let jobs: JobQueue;
/** Account mail as the server sends it: on the PostgreSQL server sealed pg-boss jobs, on PGlite in-process. */
let mail: MailQueue;
const db = () => t.db.prisma;
const DAY = 86_400_000;

beforeAll(async () => {
  t = await createTestDatabase();
  a = createTestAccounts(db());
  jobs = await startJobQueue(t.db, { onError: () => undefined, supervise: false, pollingIntervalSeconds: 0.5 });
  mail = a.deps.mail;
  if (t.db.kind === "server") {
    // As server/boot.ts wires it: each message a sealed mail.account job, sent by a worker to the outbox.
    const mailJobKey = new Uint8Array(crypto.randomBytes(32));
    const outbox = new OutboxMailer(a.outboxDir, "test@mindnamo.test");
    await jobs.work(
      "mail.account",
      async (sealed) => {
        await outbox.send(openMail(mailJobKey, sealed));
      },
      { keepGoing: true },
    );
    mail = new MailQueue(
      outbox,
      (error) => {
        throw error;
      },
      {
        async enqueue(message) {
          const id = await jobs.send("mail.account", sealMail(mailJobKey, a.deps.pepper, message));
          if (!id) throw new Error("the job queue did not take the message");
          jobs.wake("mail.account");
          return id;
        },
        async settled(ids) {
          while ((await jobs.unfinished("mail.account", ids)) > 0) await new Promise((r) => setTimeout(r, 20));
        },
      },
    );
  }
}, 120_000);
afterAll(async () => {
  await mail?.drain();
  await jobs?.stop();
  await a?.deps.mail.drain();
  a?.cleanup();
  await t?.cleanup();
});

interface Hit {
  where: string;
  needle: string;
  /** A job's template, when the row is a sealed mail job (the only thing about it in clear). */
  template?: string;
}

/** Every row of every base table in public and pgboss, as JSON text, searched for every needle. */
async function scanDatabase(needles: Record<string, string>): Promise<Hit[]> {
  const tables = await t.db.sql.query<{ table_schema: string; table_name: string }>(
    `SELECT table_schema, table_name FROM information_schema.tables
     WHERE table_schema IN ('public', 'pgboss') AND table_type = 'BASE TABLE' ORDER BY 1, 2`,
  );
  expect(tables.map((r) => r.table_name)).toEqual(expect.arrayContaining(["User", "AuditEvent", "job"]));
  const hits: Hit[] = [];
  for (const { table_schema, table_name } of tables) {
    const rows = await t.db.sql.query<{ r: string }>(
      `SELECT row_to_json(x)::text AS r FROM "${table_schema}"."${table_name}" AS x`,
    );
    for (const { r } of rows) {
      const text = r.toLowerCase();
      const template = (JSON.parse(r) as { data?: { template?: unknown } }).data?.template;
      for (const [label, needle] of Object.entries(needles))
        if (text.includes(needle.toLowerCase()))
          hits.push({
            where: `${table_schema}.${table_name}`,
            needle: label,
            ...(typeof template === "string" ? { template } : {}),
          });
    }
  }
  return dedupe(hits);
}

/**
 * Every outbox file, searched for every needle: its recipient ("outbox.to") apart from everything else in it
 * ("outbox": subject, text, html, headers, attachments decoded), so an address in the text is never excused by
 * the address the file is sent to.
 */
async function scanOutbox(needles: Record<string, string>): Promise<Array<Hit & { template: string; file: string }>> {
  const hits: Array<Hit & { template: string; file: string }> = [];
  for (const file of await fs.readdir(a.outboxDir)) {
    const { to, ...rest } = JSON.parse(await fs.readFile(path.join(a.outboxDir, file), "utf8")) as {
      to: string;
      template: string;
      attachments?: Array<{ content?: string }>;
    };
    const attachments = (rest.attachments ?? []).map((x) => Buffer.from(x.content ?? "", "base64").toString("utf8"));
    // A recipient that IS the person's address is that one trace (the name parts inside the address are the
    // address); any other recipient is searched like the rest.
    if (to.toLowerCase() === needles.email?.toLowerCase())
      hits.push({ where: "outbox.to", needle: "email", template: rest.template, file });
    const parts = {
      ...(to.toLowerCase() === needles.email?.toLowerCase() ? {} : { "outbox.to": to }),
      outbox: JSON.stringify(rest) + attachments.join("\n"),
    };
    for (const [where, text] of Object.entries(parts))
      for (const [label, needle] of Object.entries(needles))
        if (text.toLowerCase().includes(needle.toLowerCase()))
          hits.push({ where, needle: label, template: rest.template, file });
  }
  return hits;
}

/** Whether the data map's erasure exceptions allow a hit (after the hold ended: only those not tied to it). */
function allowedByMap(h: Hit, { holdEnded }: { holdEnded: boolean }): boolean {
  return ERASURE_EXCEPTIONS.some(
    (e) =>
      !(holdEnded && e.untilHoldEnds) &&
      e.scan.some(
        (s) =>
          (h.where === s.store || h.where.startsWith(`${s.store}.`)) &&
          (s.traces.includes("*") || s.traces.includes(h.needle)) &&
          (s.template === undefined || h.template === s.template),
      ),
  );
}

const dedupe = <T extends Hit>(hits: T[]) => [
  ...new Map(hits.map((h) => [`${h.where}|${h.needle}|${h.template ?? ""}`, h])).values(),
];

describe("erasure leaves nothing behind (P23)", () => {
  it("every table and column (pgboss included) and the outbox hold none of the person's traces after the erasure, except what the data map names; held records go when the hold ends", async () => {
    const tag = crypto.randomBytes(3).toString("hex");
    const first = "Ysolde";
    const last = `Vantrebb${tag}`;
    const email = `ysolde.${tag}@example.com`;
    const ip = "198.51.100.23";
    const codeIp = "198.51.100.24";
    const password = "correct horse battery staple 9";
    const me = requesterFor(ip);
    const deps = { ...a.deps, mail };
    const now = () => a.clock.now;

    const category = await createCategory(db(), { slug: `calm-${tag}`, name: "Calm", description: "Calmer days." });
    const expertProfile = await createExpert(db(), {
      email: `expert-${tag}@example.com`,
      name: "Ona Expert",
      slug: `ona-${tag}`,
      headline: "Listens well and helps",
      bio: "A calm, experienced practitioner who has helped many people.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: [category.slug],
      availability: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, startMinute: 8 * 60, endMinute: 18 * 60 })),
      published: true,
    });
    // This expert chose detailed booking emails, so their confirmation names the client (by first name): an outbox
    // file the erasure must purge.
    await db().user.update({ where: { email: `expert-${tag}@example.com` }, data: { emailDetails: true } });
    const dpo = await createUser(db(), { email: `dpo-${tag}@example.com`, name: "Dee Pee", role: "DPO" });
    const dpoActor = { id: dpo.id, role: "DPO" as const, ip: "192.0.2.1" };
    const support = await createUser(db(), { email: `agent-${tag}@example.com`, name: "Sue Port", role: "SUPPORT" });

    // ---------------------------------------------------------------- the person, and everything they leave
    const user = await createUser(db(), { email, name: `${first} ${last}`, password, emailVerified: true });
    // Two failed sign-ins, then a good one (session with IP, known device); a login code requested from another IP.
    for (let i = 0; i < 2; i++)
      await signInWithPassword(deps, { email, password: "wrong password entirely" }, me).catch(() => undefined);
    expect((await signInWithPassword(deps, { email, password }, me)).kind).toBe("signed-in");
    await requestLoginCode(deps, { email }, requesterFor(codeIp));
    // A session with the expert: confirmation mails through the real queue, sent by a worker (finished jobs and
    // outbox files that name the client), reminders still queued.
    const startsAt = new Date(Math.ceil((now().getTime() + 3 * DAY) / DAY) * DAY + 10 * 3600_000);
    // The explicit health-data consent a booking needs (a consent record the erasure must remove as well).
    await giveHealthConsent(db(), user.id, "BOOKING");
    const booking = await bookSlot(
      db(),
      { userId: user.id },
      { expertSlug: expertProfile.slug, categorySlug: category.slug, startsAt },
      now(),
    );
    const mailer = new OutboxMailer(a.outboxDir, "test@mindnamo.test");
    const notifyDeps = { db: db(), jobs, appUrl: "http://localhost", unsubscribeKey: a.rateLimitKey, now };
    await jobs.work<BookingNoticeJob>("booking.notice", async (job) => {
      await runBookingNotice(notifyDeps, mailer, job);
    });
    await afterBooked(notifyDeps, booking.id);
    for (let i = 0; i < 200; i++) {
      const done = await t.db.sql.query<{ n: number }>(
        "SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'booking.notice' AND state = 'completed'",
      );
      if (done[0]!.n >= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const outboxBefore = await scanOutbox({ name: first });
    expect(outboxBefore.map((h) => h.template)).toContain("booking-confirmation-expert");
    // A held session: presence, key, duration, a review naming them; an anonymous survey.
    const past = await db().booking.create({
      data: {
        userId: user.id,
        expertId: expertProfile.id,
        categoryId: category.id,
        startsAt: new Date(now().getTime() - 10 * DAY),
        endsAt: new Date(now().getTime() - 10 * DAY + 50 * 60_000),
        blockedUntil: new Date(now().getTime() - 10 * DAY + 60 * 60_000),
        status: "COMPLETED",
        roomName: crypto.randomBytes(12).toString("hex"),
      },
      select: { id: true, startsAt: true },
    });
    await db().sessionPresence.create({
      data: { bookingId: past.id, userId: user.id, participantSid: `PA_${tag}`, joinedAt: past.startsAt },
    });
    await db().roomParticipantKey.create({ data: { bookingId: past.id, userId: user.id, publicKey: `pk-${tag}` } });
    await db().sessionMetadata.create({ data: { bookingId: past.id, durationSeconds: 2900 } });
    await submitReview(
      { db: db(), mail, now },
      { userId: user.id, bookingId: past.id, rating: 5, comment: `Thank you, from ${first}` },
    );
    await submitSurvey(db(), "POST_SESSION", { helped: 4 }, now());
    await db().consent.create({ data: { userId: user.id, kind: "NEWSLETTER", given: true, source: "SETTINGS" } });
    await db().wellnessPreference.create({
      data: { userId: user.id, kind: "CATEGORY_BROWSED", categoryId: category.id },
    });
    // Support: their own ticket, and tickets from their address by the contact form, email and phone.
    const supportDeps = { db: db(), mail, limiter: a.deps.limiter, appUrl: "http://localhost", now };
    const ticket = await openTicket(supportDeps, user.id, {
      subject: `Refund for ${first}`,
      category: "ACCOUNT",
      message: `Hello, this is ${first} ${last} (${email}).`,
    });
    const held = await openTicket(supportDeps, user.id, {
      subject: "A complaint",
      category: "OTHER",
      message: `I, ${first}, dispute the charge.`,
    });
    await submitContactForm(
      supportDeps,
      { email, name: `${first} ${last}`, subject: "Before I signed up", category: "OTHER", message: `From ${first}` },
      ip,
    );
    // A privacy question by the contact form from their address, confirmed with the emailed code: a request that
    // carries the address (requesterEmail) and, until the erasure, its ticket.
    const privacyTicket = await submitContactForm(
      supportDeps,
      { email, name: first, subject: "My data", category: "PRIVACY", message: `What do you hold on ${first}?` },
      ip,
    );
    await privacyRequestForTicket({ ...supportDeps, codeKey: a.deps.pepper }, privacyTicket.id, { ip });
    for (const channel of ["EMAIL", "PHONE"] as const)
      await db().supportTicket.create({
        data: {
          contactEmail: email.toUpperCase(),
          contactName: first,
          subject: `Called in: ${first}`,
          category: "BOOKING",
          channel,
          firstResponseDueAt: now(),
          resolutionDueAt: now(),
          messages: { create: { body: `${first} asked about a session`, fromStaff: true } },
        },
      });
    // A refused back-office call they made (the audit trail keeps the IP only for a while), as older versions
    // wrote it: without the reason, outside today's vocabulary.
    await recordAudit(
      db(),
      { id: user.id, role: "USER", ip },
      { action: "authz.denied" as AuditAction, target: "procedure:tickets.list" },
    );
    // Staff read their ticket (audited with the staff member's IP).
    await recordAudit(
      db(),
      { id: support.id, role: "SUPPORT", ip: "192.0.2.9" },
      { action: "ticket.view", target: `ticket:${ticket.id}`, subjectUserId: user.id, purpose: `ticket:${ticket.id}` },
    );
    // The deletion request: a DPO's hold naming them by first name, and an approval reason naming them.
    const privacyDeps: PrivacyDeps = { db: db(), mail, appUrl: "http://localhost", jobs, now };
    const request = await requestDeletion(privacyDeps, user.id, { ip, reauthenticatedAt: now() });
    await placeLegalHold(privacyDeps, dpoActor, request.id, {
      recordType: "SUPPORT_TICKET",
      recordId: held.id,
      basis: `${first} disputes a charge; evidence for a legal claim.`,
      until: addMonths(now(), 6),
    });
    await decideRequest(privacyDeps, dpoActor, request.id, {
      decision: "APPROVED",
      reason: `Approved after ${first} confirmed by phone (${email}).`,
    });
    await mail.drain();

    const keys: ErasureKeys = {
      accountKeyPepper: a.deps.pepper,
      rateLimitKey: a.rateLimitKey,
      outboxDir: a.outboxDir,
    };
    const needles: Record<string, string> = {
      email,
      id: user.id,
      "full name": `${first} ${last}`,
      "first name": first,
      "last name": last,
      ip,
      "code request ip": codeIp,
      "email hash": accountKeyOf(a.deps.pepper, email),
      // What a sealed account-mail job carries instead of the address (pgboss.job, pgboss.archive).
      "mail recipient key": mailRecipientKeyOf(a.deps.pepper, email),
    };
    for (const policy of Object.keys(ratePolicies) as RatePolicyName[])
      for (const [label, subject] of [
        ["email", email],
        ["ip", ip],
        ["code request ip", codeIp],
        ["id", user.id],
      ] as const)
        needles[`rate-limit key ${policy}:${label}`] = rateLimitKeyOf(a.rateLimitKey, policy, subject)
          .split(":")
          .pop()!;

    // Before: the person is everywhere (the scan can find them).
    const before = await scanDatabase(needles);
    for (const where of [
      "public.User",
      "public.SecurityEvent",
      "public.AuditEvent",
      "public.RateLimiterFlexible",
      "public.SupportTicket",
      "public.LegalHold",
    ])
      expect(
        before.map((h) => h.where),
        where,
      ).toContain(where);
    // The counters of the second IP (the code request's) are there, under their keyed hash.
    expect(before.filter((h) => h.needle.endsWith(":code request ip")).map((h) => h.where)).toContain(
      "public.RateLimiterFlexible",
    );
    // On the PostgreSQL server account mail (codes, notices) went through pg-boss as sealed jobs under the keyed
    // hash of the address.
    if (t.db.kind === "server")
      expect(before.filter((h) => h.needle === "mail recipient key").map((h) => h.where)).toContain("pgboss.job");

    // Job payloads carry ids only: the person's jobs point at their booking (queued reminders, finished notices).
    const jobsOf = async (id: string) =>
      (
        await t.db.sql.query<{ n: number }>(
          `SELECT (SELECT count(*) FROM pgboss.job WHERE data::text LIKE $1)::int
                + (SELECT count(*) FROM pgboss.archive WHERE data::text LIKE $1)::int AS n`,
          [`%${id}%`],
        )
      )[0]!.n;
    expect(await jobsOf(booking.id)).toBeGreaterThanOrEqual(4);

    // ---------------------------------------------------------------- the erasure
    a.clock.advance(7 * DAY + 60_000);
    expect(await runDueErasures({ db: db(), mail, now, keys })).toEqual({ erased: 1 });
    await mail.drain();

    // What may remain: only what the data map's ERASURE_EXCEPTIONS name, each with its reason.
    const after = await scanDatabase(needles);
    expect(after.filter((h) => !allowedByMap(h, { holdEnded: false }))).toEqual([]);
    // The held ticket is among them until its hold ends.
    expect(after.map((h) => h.where)).toContain("public.SupportTicket");
    expect(await jobsOf(booking.id)).toBe(0);
    const heldLeft = await db().supportTicket.findMany({ where: { contactEmail: email }, select: { id: true } });
    expect(heldLeft.map((x) => x.id)).toEqual([held.id]);
    // The receipt, emailed to the address the account had, is the one outbox file left about them: addressed to
    // them, and naming them nowhere in its subject, text, html or headers (not their name, id or address; the
    // hold's reason is scrubbed on it too).
    const outbox = await scanOutbox(needles);
    expect(outbox.filter((h) => !allowedByMap(h, { holdEnded: false }))).toEqual([]);
    expect(outbox.map((h) => ({ where: h.where, needle: h.needle, template: h.template }))).toEqual([
      { where: "outbox.to", needle: "email", template: "privacy-erasure-receipt" },
    ]);
    const receipt = (await db().privacyRequest.findUniqueOrThrow({ where: { id: request.id } })).receipt;
    expect(JSON.stringify(receipt)).not.toContain(first);
    expect(JSON.stringify(receipt)).toContain("disputes a charge");

    // The hold ends: the held ticket goes with the next retention run, and then only the audit trail's id is left.
    const afterHold = new Date(addMonths(now(), 6).getTime() + DAY);
    await purgeExpiredData(db(), afterHold);
    const afterTheHold = await scanDatabase(needles);
    expect(afterTheHold.filter((h) => !allowedByMap(h, { holdEnded: true }))).toEqual([]);
    expect(afterTheHold.filter((h) => h.where.startsWith("public."))).toEqual([
      { where: "public.AuditEvent", needle: "id" },
    ]);
  }, 240_000);
});
