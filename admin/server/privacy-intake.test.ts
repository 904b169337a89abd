// Privacy requests from tickets, the contact form, and support's logged calls and emails, through tRPC (createCaller,
// real sessions, a real database): who may read a privacy ticket's messages (the DPO on the request; never support),
// refusals for no session, the wrong role and a wrong id, and the phone call that becomes a request.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { createSession, validateSessionToken, type ValidSession } from "../../core/identity/sessions.ts";
import { privacyRequestForTicket } from "../../core/privacy/intake.ts";
import { submitContactForm } from "../../core/support/tickets.ts";
import { requesterFor } from "../../core/platform/testing/accounts.ts";
import { startTestServer, type TestServer } from "../../tests/helpers/server.ts";
import { appRouter } from "./root.ts";
import { createCallerFactory, createInnerContext } from "./trpc.ts";

let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;
beforeAll(async () => {
  srv = await startTestServer();
}, 120_000);
afterAll(async () => {
  await srv?.stop();
});

const createCaller = createCallerFactory(appRouter);
const anonymous = () =>
  createCaller(
    createInnerContext({ services: srv.running.services, requestId: "t", clientIp: "203.0.113.5", session: null }),
  );
let n = 0;
async function person(role: Role) {
  const i = ++n;
  const email = `intake${i}-${role.toLowerCase()}@example.com`;
  const user = await prisma().user.create({
    data: { email, name: `${role} Intake${i}`, role, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const { token, sessionId } = await createSession(prisma(), { userId: user.id, role, device: requesterFor().device });
  await prisma().session.update({ where: { id: sessionId }, data: { mfaVerifiedAt: new Date() } });
  const session = (await validateSessionToken(prisma(), token)) as ValidSession;
  return {
    id: user.id,
    email,
    caller: createCaller(
      createInnerContext({ services: srv.running.services, requestId: "t", clientIp: `203.0.113.${i}`, session }),
    ),
  };
}

async function codeOf(promise: Promise<unknown>) {
  const e = await promise.then(
    () => null,
    (error: unknown) => error,
  );
  expect(e).toBeInstanceOf(TRPCError);
  return (e as TRPCError).code;
}

const SECRET = "My therapist's notes mention my divorce; please erase them.";
let ip = 0;
async function visitorPrivacyTicket() {
  const s = srv.running.services;
  const address = `visitor${++ip}@example.com`;
  const ticket = await submitContactForm(
    { db: prisma(), mail: s.mailQueue, limiter: s.rateLimiter, appUrl: s.config.appUrl },
    { email: address, name: "", subject: "My data", category: "PRIVACY", message: SECRET },
    `198.51.100.${ip}`,
  );
  const request = await privacyRequestForTicket(
    {
      db: prisma(),
      mail: s.mailQueue,
      limiter: s.rateLimiter,
      appUrl: s.config.appUrl,
      codeKey: s.secrets.codePepper,
    },
    ticket.id,
    { ip: `198.51.100.${ip}` },
  );
  return { ticketId: ticket.id, requestId: request!.id, address };
}

describe("privacy tickets and the DPO's desk", () => {
  it("the DPO reads the request's ticket messages (audited); support is refused the request and sees the ticket without them", async () => {
    const { ticketId, requestId } = await visitorPrivacyTicket();
    const dpo = await person("DPO");
    const agent = await person("SUPPORT");

    const view = await dpo.caller.privacy.get({ requestId });
    expect(view).toMatchObject({ source: "CONTACT_FORM", status: "AWAITING_IDENTITY" });
    expect(view.linkedTicket?.messages.map((m) => m.body)).toEqual([SECRET]);
    expect(
      await prisma().auditEvent.count({
        where: { actorId: dpo.id, action: "privacy.request.ticket.view", purpose: `privacy-request:${requestId}` },
      }),
    ).toBe(1);

    expect(await codeOf(agent.caller.privacy.get({ requestId }))).toBe("FORBIDDEN");
    const asSupport = await agent.caller.tickets.get({ ticketId });
    expect(asSupport).toMatchObject({ withDpo: true, messages: [] });
    expect(JSON.stringify(asSupport)).not.toContain("divorce");
    expect(await codeOf(agent.caller.tickets.reply({ ticketId, body: "Hello" }))).toBe("FORBIDDEN");
    expect(await codeOf(agent.caller.tickets.addNote({ ticketId, body: "Note" }))).toBe("FORBIDDEN");
    expect(await prisma().ticketMessage.count({ where: { ticketId } })).toBe(1);
  });

  it("support sees neither a privacy ticket's subject nor its words: not in the queue, the ticket, a search or the requester panel", async () => {
    const { ticketId } = await visitorPrivacyTicket();
    // A ticket with a privacy request stays the DPO's even when its category is changed afterwards.
    const other = await visitorPrivacyTicket();
    const linked = await prisma().supportTicket.update({
      where: { id: other.ticketId },
      data: { category: "ACCOUNT", subject: "Divorce papers in my file" },
    });
    await prisma().supportTicket.update({ where: { id: ticketId }, data: { subject: "Divorce and my data" } });
    const agent = await person("SUPPORT");
    const dpo = await person("DPO");

    const queue = await agent.caller.tickets.queue({});
    for (const id of [ticketId, linked.id]) {
      const row = queue.find((r) => r.id === id);
      expect(row).toMatchObject({ withDpo: true, subject: "Privacy request (with the Data Protection Officer)" });
    }
    expect(JSON.stringify(queue)).not.toContain("Divorce");
    // Searching word by word would tell support what the subject says: privacy tickets do not answer a search.
    const found = await agent.caller.tickets.queue({ q: "divorce" });
    expect(found.map((r) => r.id)).not.toContain(ticketId);
    expect(found.map((r) => r.id)).not.toContain(linked.id);
    const opened = await agent.caller.tickets.get({ ticketId: linked.id });
    expect(opened).toMatchObject({ withDpo: true, messages: [] });
    expect(JSON.stringify(opened)).not.toContain("ivorce");
    expect(await agent.caller.tickets.requester({ ticketId: linked.id })).toEqual({ kind: "privacy" });

    // The DPO reads it as written, on the privacy desk.
    const desk = await dpo.caller.privacy.tickets();
    expect(desk.find((r) => r.id === ticketId)?.subject).toBe("Divorce and my data");
  });

  it("no session, a user, an expert or an admin is refused; a wrong id is NOT_FOUND and leaves no read", async () => {
    const { requestId, ticketId } = await visitorPrivacyTicket();
    expect(await codeOf(anonymous().privacy.get({ requestId }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anonymous().tickets.get({ ticketId }))).toBe("UNAUTHORIZED");
    for (const role of ["USER", "EXPERT", "ADMIN"] as const) {
      const p = await person(role);
      expect(await codeOf(p.caller.privacy.get({ requestId }))).toBe("FORBIDDEN");
    }
    // A user who made a request of their own still cannot open another person's through the back-office.
    const dpo = await person("DPO");
    expect(await codeOf(dpo.caller.privacy.get({ requestId: "00000000-0000-4000-8000-000000000000" }))).toBe(
      "NOT_FOUND",
    );
    expect(await codeOf(dpo.caller.privacy.get({ requestId: "" }))).toBe("BAD_REQUEST");
    expect(await prisma().auditEvent.count({ where: { actorId: dpo.id, action: "privacy.request.ticket.view" } })).toBe(
      0,
    );
  });

  it("a request awaiting its identity code is flagged on the queue and cannot be decided yet", async () => {
    const { requestId } = await visitorPrivacyTicket();
    const dpo = await person("DPO");
    expect((await dpo.caller.privacy.queue({ status: "OPEN" })).some((r) => r.id === requestId)).toBe(false);
    expect((await dpo.caller.privacy.queue({})).find((r) => r.id === requestId)).toMatchObject({
      awaitingIdentity: true,
      daysLeft: null,
    });
    expect(
      await codeOf(
        dpo.caller.privacy.decide({ requestId, decision: "APPROVED", reason: "Answered the visitor by email." }),
      ),
    ).toBe("PRECONDITION_FAILED");
  });

  it("support logs a phone call about privacy: it becomes a request from that number's caller's address, with a code mailed", async () => {
    const agent = await person("SUPPORT");
    const caller = `caller${++ip}@example.com`;
    const out = await agent.caller.tickets.logOnBehalf({
      channel: "PHONE",
      email: caller,
      subject: "Wants a copy of their data",
      category: "PRIVACY",
      message: "Called to ask for a copy of everything we hold.",
      privacyType: "ACCESS",
    });
    expect(out.privacyRequest).toBe(true);
    expect(
      await prisma().privacyRequest.findFirstOrThrow({
        where: { ticketId: out.id },
        select: { source: true, type: true, status: true },
      }),
    ).toEqual({ source: "PHONE", type: "ACCESS", status: "AWAITING_IDENTITY" });
    const booking = await agent.caller.tickets.logOnBehalf({
      channel: "EMAIL",
      email: caller,
      subject: "Booking question",
      category: "BOOKING",
      message: "When is my session?",
    });
    expect(booking.privacyRequest).toBe(false);
  });
});
