// Breach incidents through tRPC (createCaller, real sessions, a real database): only the DPO keeps the record;
// support, admins and callers without a session are refused; a step out of order is refused with its sentence.
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { createSession, validateSessionToken, type ValidSession } from "../../core/identity/sessions.ts";
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
let n = 0;
async function caller(role: Role | null) {
  if (!role)
    return createCaller(
      createInnerContext({ services: srv.running.services, requestId: "t", clientIp: "203.0.113.8", session: null }),
    );
  const i = ++n;
  const user = await prisma().user.create({
    data: { email: `incident${i}-${role.toLowerCase()}@example.com`, name: `${role} Incident${i}`, role },
    select: { id: true },
  });
  const { token, sessionId } = await createSession(prisma(), { userId: user.id, role, device: requesterFor().device });
  await prisma().session.update({ where: { id: sessionId }, data: { mfaVerifiedAt: new Date() } });
  const session = (await validateSessionToken(prisma(), token)) as ValidSession;
  return createCaller(
    createInnerContext({ services: srv.running.services, requestId: "t", clientIp: "203.0.113.8", session }),
  );
}
const codeOf = (e: unknown) => (e instanceof TRPCError ? e.code : e);

describe("breach incidents in the console", () => {
  it("the DPO opens and assesses an incident with the 72-hour deadline; SUPPORT, ADMIN and no session are refused", async () => {
    const dpo = await caller("DPO");
    const awareAt = new Date(Date.now() - 3_600_000);
    const opened = await dpo.incidents.open({
      title: "Export emailed to the wrong address",
      description: "A support agent attached a data export to a reply to the wrong requester.",
      awareAt: awareAt.toISOString(),
    });
    expect(new Date(opened.deadline).getTime()).toBe(awareAt.getTime() + 72 * 3_600_000);
    const view = await dpo.incidents.get({ incidentId: opened.id });
    expect(view).toMatchObject({ status: "OPEN", awaitsAuthority: true, overdue: false, hoursLeft: 70 });
    expect((await dpo.incidents.list()).map((i) => i.id)).toContain(opened.id);

    for (const role of ["SUPPORT", "ADMIN", "USER", "EXPERT", null] as const) {
      const other = await caller(role);
      const refused = [
        await other.incidents.list().catch((e: unknown) => e),
        await other.incidents.get({ incidentId: opened.id }).catch((e: unknown) => e),
        await other.incidents
          .assess({ incidentId: opened.id, assessment: "Nothing happened here at all, really.", risk: "UNLIKELY" })
          .catch((e: unknown) => e),
        await other.incidents
          .open({ title: "Not theirs", description: "Someone without the permission tries.", awareAt: "2027-01-01" })
          .catch((e: unknown) => e),
      ].map(codeOf);
      expect(refused).toEqual(Array(4).fill(role === null ? "UNAUTHORIZED" : "FORBIDDEN"));
    }
    expect(await prisma().incident.findUniqueOrThrow({ where: { id: opened.id }, select: { status: true } })).toEqual({
      status: "OPEN",
    });
    expect(await prisma().incident.count({ where: { title: "Not theirs" } })).toBe(0);

    const assessed = await dpo.incidents.assess({
      incidentId: opened.id,
      assessment: "One person's export (account, bookings, topics) reached one other client. High risk.",
      risk: "HIGH",
    });
    expect(assessed.status).toBe("ASSESSED");
    expect(await prisma().auditEvent.count({ where: { purpose: `incident:${opened.id}`, actorRole: "DPO" } })).toBe(2);
  });

  it("an invalid transition is refused with a clear message; a wrong id is NOT_FOUND", async () => {
    const dpo = await caller("DPO");
    const { id } = await dpo.incidents.open({
      title: "Processor notice from the mail service",
      description: "Our mail processor told us of unauthorised access to sending logs.",
      awareAt: new Date().toISOString(),
    });
    const early = await dpo.incidents
      .notifyPeople({ incidentId: id, notice: "Emailed everyone affected." })
      .catch((e: unknown) => e);
    expect(codeOf(early)).toBe("CONFLICT");
    expect((early as TRPCError).message).toBe("Assess the incident first.");
    const closing = await dpo.incidents
      .close({ incidentId: id, closingNote: "Closing before anything was assessed." })
      .catch((e: unknown) => e);
    expect((closing as TRPCError).message).toBe(
      "Assess the incident before closing it: the record needs the assessment.",
    );
    const missing = await dpo.incidents
      .get({ incidentId: "00000000-0000-7000-8000-000000000000" })
      .catch((e: unknown) => e);
    expect(codeOf(missing)).toBe("NOT_FOUND");
  });
});
