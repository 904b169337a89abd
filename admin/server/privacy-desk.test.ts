// The DPO's desk through tRPC (createCaller, real sessions, a real database): the queue with days left, the refusal
// of a DPO's own request as FORBIDDEN, approval queuing the erasure job, privacy tickets; every read audited.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { requestDeletion } from "../../core/privacy/requests.ts";
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
