// The DPO's desk through tRPC (createCaller, real sessions, a real database): the queue with days left, the refusal
// of a DPO's own request as FORBIDDEN, approval queuing the erasure job, privacy tickets; every read audited.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { escalateUntouchedRequests } from "../../core/privacy/intake.ts";
import { requestCorrection, requestDeletion } from "../../core/privacy/requests.ts";
import { startTestServer, type TestServer } from "../../tests/helpers/server.ts";
import { sessionPerson } from "../../tests/helpers/staff.ts";
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
async function person(role: Role) {
  const { id, email, name, session } = await sessionPerson(srv, role, { mfa: true, label: "Desk", prefix: "desk" });
  return {
    id,
    email,
    name,
    caller: createCaller(
      createInnerContext({ services: srv.running.services, requestId: "t", clientIp: "203.0.113.5", session }),
    ),
  };
}
const deps = () => ({ db: prisma(), mail: srv.running.services.mailQueue, appUrl: srv.config.appUrl });
const DAY = 86_400_000;

describe("the DPO's desk", () => {
  it("lists requests with days left; a DPO's own deletion is FORBIDDEN to them and decided by another DPO, which queues the erasure", async () => {
    const dpo1 = await person("DPO");
    const dpo2 = await person("DPO");
    const own = await requestDeletion(deps(), dpo1.id, { ip: null, reauthenticatedAt: new Date() });

    const queue = await dpo1.caller.privacy.queue({ status: "OPEN" });
    const row = queue.find((r) => r.id === own.id);
    expect(row).toMatchObject({ type: "DELETION", status: "PENDING", mine: true, overdue: false });
    expect(row?.daysLeft).toBeGreaterThanOrEqual(27);

    const refused = await dpo1.caller.privacy
      .decide({ requestId: own.id, decision: "APPROVED", reason: "Approving my own request." })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TRPCError);
    expect((refused as TRPCError).code).toBe("FORBIDDEN");

    const view = await dpo2.caller.privacy.get({ requestId: own.id });
    expect(view.user?.email).toBe(dpo1.email);
    expect(
      await dpo2.caller.privacy.decide({
        requestId: own.id,
        decision: "APPROVED",
        reason: "Identity confirmed; nothing to keep.",
      }),
    ).toEqual({ status: "APPROVED" });
    const job = await srv.running.services.db.executeSql(
      `SELECT data, start_after FROM pgboss.job WHERE name = 'privacy.erase' AND data->>'requestId' = $1`,
      [own.id],
    );
    expect(job.rows).toHaveLength(1);
    expect(
      await prisma().auditEvent.count({
        where: { actorId: dpo2.id, subjectUserId: dpo1.id, purpose: `privacy-request:${own.id}` },
      }),
    ).toBe(2);
  });

  it("the queue and the request carry the escalated flag after the escalation job; an extension answers it", async () => {
    const dpo = await person("DPO");
    const user = await prisma().user.create({
      data: { email: "escalated-desk@example.com", name: "Esme Late", emailVerifiedAt: new Date() },
      select: { id: true },
    });
    const r = await requestDeletion(deps(), user.id, { ip: null, reauthenticatedAt: new Date() });
    // Received 25 days ago, untouched: its deadline is within the 7 days that trigger the escalation.
    const now = Date.now();
    await prisma().privacyRequest.update({
      where: { id: r.id },
      data: { receivedAt: new Date(now - 25 * DAY), dueAt: new Date(now + 5 * DAY) },
      select: { id: true },
    });
    const row = async () => (await dpo.caller.privacy.queue({ status: "OPEN" })).find((x) => x.id === r.id);
    expect(await row()).toMatchObject({ escalated: false });
    expect((await escalateUntouchedRequests(deps())).ids).toContain(r.id);
    expect(await row()).toMatchObject({ escalated: true, status: "PENDING" });
    expect(await dpo.caller.privacy.get({ requestId: r.id })).toMatchObject({ escalated: true });

    await dpo.caller.privacy.extend({
      requestId: r.id,
      until: new Date(now + 35 * DAY).toISOString(),
      reason: "Several systems still to search.",
    });
    expect(await row()).toMatchObject({ escalated: false, extended: true });
    expect(await dpo.caller.privacy.get({ requestId: r.id })).toMatchObject({ escalated: false });
  });

  it("privacy tickets: subject and status for the DPO, audited; support cannot use the desk", async () => {
    const dpo = await person("DPO");
    const agent = await person("SUPPORT");
    const user = await person("USER");
    await prisma().supportTicket.create({
      data: {
        requesterId: user.id,
        subject: "Please delete my old messages",
        category: "PRIVACY",
        channel: "WEB",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
      },
      select: { id: true },
    });
    const tickets = await dpo.caller.privacy.tickets();
    expect(tickets.find((t) => t.subject === "Please delete my old messages")).toMatchObject({
      requester: user.name,
      status: "NEW",
    });
    expect(await prisma().auditEvent.count({ where: { actorId: dpo.id, action: "privacy.tickets.list" } })).toBe(1);
    const denied = await agent.caller.privacy.tickets().catch((e: unknown) => e);
    expect((denied as TRPCError).code).toBe("FORBIDDEN");
  });
});

describe("applying a correction from the desk", () => {
  const input = { firstName: "Selda", lastName: "Rightname", reason: "Corrected the spelling as you asked." };
  const codeOf = (e: unknown) => (e instanceof TRPCError ? e.code : e);

  it("the DPO applies a corrected name; SUPPORT, ADMIN and a caller without a session are refused and nothing changes", async () => {
    const dpo = await person("DPO");
    const agent = await person("SUPPORT");
    const admin = await person("ADMIN");
    const user = await person("USER");
    const r = await requestCorrection(
      deps(),
      user.id,
      { details: "My surname is misspelled: it should be Rightname." },
      { ip: null, reauthenticatedAt: new Date() },
    );
    const anonymous = createCaller(
      createInnerContext({ services: srv.running.services, requestId: "t", clientIp: "203.0.113.6", session: null }),
    );
    const stored = () => prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } });

    expect(codeOf(await anonymous.privacy.correctName({ requestId: r.id, ...input }).catch((e: unknown) => e))).toBe(
      "UNAUTHORIZED",
    );
    for (const staff of [agent, admin]) {
      const denied = await staff.caller.privacy.correctName({ requestId: r.id, ...input }).catch((e: unknown) => e);
      expect(codeOf(denied)).toBe("FORBIDDEN");
      expect((denied as TRPCError).message).toBe("Missing permission: privacy:decide");
    }
    expect((await stored()).name).toBe(user.name);

    const done = await dpo.caller.privacy.correctName({ requestId: r.id, ...input });
    expect(done).toMatchObject({ status: "COMPLETED", name: "Selda Rightname" });
    expect((await stored()).name).toBe("Selda Rightname");
    expect(
      await prisma().auditEvent.count({
        where: { actorId: dpo.id, action: "privacy.request.correct", subjectUserId: user.id },
      }),
    ).toBe(1);
  });

  it("a wrong request id is NOT_FOUND, a request that is not a correction is a CONFLICT, a bad name names its field", async () => {
    const dpo = await person("DPO");
    const user = await person("USER");
    const deletion = await requestDeletion(deps(), user.id, { ip: null, reauthenticatedAt: new Date() });
    const missing = await dpo.caller.privacy
      .correctName({ requestId: "00000000-0000-7000-8000-000000000000", ...input })
      .catch((e: unknown) => e);
    expect(codeOf(missing)).toBe("NOT_FOUND");
    const notCorrection = await dpo.caller.privacy
      .correctName({ requestId: deletion.id, ...input })
      .catch((e: unknown) => e);
    expect(codeOf(notCorrection)).toBe("CONFLICT");
    expect((notCorrection as TRPCError).message).toBe(
      "This is not a correction request: only a correction request can change the person's data.",
    );
    const r = await requestCorrection(
      deps(),
      user.id,
      { details: "My surname is misspelled: it should be Rightname." },
      { ip: null, reauthenticatedAt: new Date() },
    );
    const bad = await dpo.caller.privacy
      .correctName({ requestId: r.id, ...input, firstName: "<script>" })
      .catch((e: unknown) => e);
    expect(codeOf(bad)).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toBe(
      "The first name may contain letters, spaces, apostrophes, hyphens and dots only.",
    );
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { name: true } })).name).toBe(
      user.name,
    );
  });
});
