// Breach incidents (GDPR Art. 33, 34; docs/breach-runbook.md) against a real database, with the clock passed in:
// the 72-hour clock from awareness, the order of the steps, late notifications, and an audit row per transition.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditActor } from "../audit/index.ts";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import {
  assessIncident,
  closeIncident,
  getIncident,
  listIncidents,
  openIncident,
  recordAuthorityNotified,
  recordPeopleNotified,
  type IncidentDeps,
} from "./incidents.ts";

let t: TestDatabase;
let deps: IncidentDeps;
let now = new Date("2027-05-03T10:00:00Z");
let dpo: AuditActor;
const HOUR = 3_600_000;
const db = () => t.db.prisma;

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message, field: error.details?.field };
    throw error;
  }
  throw new Error("expected a refusal");
}

const opened = (awareAt: Date, title = "Mail sent to the wrong person") =>
  openIncident(deps, dpo, {
    title,
    description: "A session confirmation went to another client's address; reported by the recipient.",
    awareAt: awareAt.toISOString(),
  });
const assessment = "One client's session topic (health data) and first name disclosed to one other client.";

beforeAll(async () => {
  t = await createTestDatabase();
  deps = { db: db(), now: () => now };
  const u = await createUser(db(), {
    email: "incident-dpo@example.com",
    name: "Dee Poe",
    role: "DPO",
    emailVerified: true,
  });
  dpo = { id: u.id, role: "DPO", ip: "203.0.113.20" };
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

describe("breach incidents", () => {
  it("a high-risk breach: opened, assessed, authority notified in time, people told, closed; every step audited", async () => {
    const awareAt = new Date(now.getTime() - 2 * HOUR);
    const { id, deadline } = await opened(awareAt);
    expect(deadline).toEqual(new Date(awareAt.getTime() + 72 * HOUR));
    expect(await getIncident(deps, id)).toMatchObject({
      status: "OPEN",
      awaitsAuthority: true,
      hoursLeft: 70,
      overdue: false,
    });

    now = new Date(now.getTime() + 20 * HOUR);
    await assessIncident(deps, dpo, id, { assessment, risk: "HIGH" });
    expect(await listIncidents(deps)).toContainEqual(
      expect.objectContaining({ id, status: "ASSESSED", risk: "HIGH", hoursLeft: 50 }),
    );
    // A high risk: the authority first, then the people, and only then closing.
    expect(await refusal(closeIncident(deps, dpo, id, { closingNote: "Nothing more to do about this." }))).toEqual({
      code: "CONFLICT",
      message: "The assessment found a risk to people: notify the authority (Art. 33) before closing the incident.",
      field: undefined,
    });
    expect(await refusal(recordPeopleNotified(deps, dpo, id, { notice: "Emailed the one client." }))).toMatchObject({
      code: "CONFLICT",
      message: "Record the notification to the authority first: it comes before telling the people.",
    });
    await recordAuthorityNotified(deps, dpo, id, { reference: "Authority case 2027-118" });
    expect(await refusal(closeIncident(deps, dpo, id, { closingNote: "Nothing more to do about this." }))).toEqual({
      code: "CONFLICT",
      message: "The assessment found a high risk to people: tell them (Art. 34) before closing the incident.",
      field: undefined,
    });
    await recordPeopleNotified(deps, dpo, id, { notice: "Emailed the one client with the template of the runbook." });
    const closed = await closeIncident(deps, dpo, id, {
      closingNote: "The address was taken from a stale form field; fixed and covered by a test.",
    });
    expect(closed).toMatchObject({
      status: "CLOSED",
      authorityReference: "Authority case 2027-118",
      lateReason: null,
      notifiedLate: false,
      awaitsAuthority: false,
      hoursLeft: null,
    });
    expect(await refusal(assessIncident(deps, dpo, id, { assessment, risk: "RISK" }))).toMatchObject({
      code: "CONFLICT",
      message: "This incident is closed.",
    });
    const trail = await db().auditEvent.findMany({
      where: { purpose: `incident:${id}` },
      orderBy: { at: "asc" },
      select: { action: true, actorId: true, actorRole: true },
    });
    expect(trail.map((e) => e.action)).toEqual([
      "incident.open",
      "incident.assess",
      "incident.notify_authority",
      "incident.notify_people",
      "incident.close",
    ]);
    expect(trail.every((e) => e.actorId === dpo.id && e.actorRole === "DPO")).toBe(true);
  });

  it("after 72 hours the clock is overdue and a notification needs its reason", async () => {
    const { id } = await opened(new Date(now.getTime() - 80 * HOUR), "Staff account used by someone else");
    expect(await getIncident(deps, id)).toMatchObject({ overdue: true, hoursLeft: -8 });
    await assessIncident(deps, dpo, id, { assessment, risk: "RISK" });
    expect(await refusal(recordAuthorityNotified(deps, dpo, id, { reference: "Case 7" }))).toMatchObject({
      code: "VALIDATION",
      field: "lateReason",
      message:
        "More than 72 hours passed since we became aware: say why the notification is late (Art. 33(1), at least 10 characters).",
    });
    // Notified within the 72 hours, recorded later: no reason needed.
    const inTime = await recordAuthorityNotified(deps, dpo, id, {
      reference: "Case 7",
      notifiedAt: new Date(now.getTime() - 10 * HOUR).toISOString(),
    });
    expect(inTime).toMatchObject({ status: "AUTHORITY_NOTIFIED", notifiedLate: false, overdue: false });
    // A risk that is not high may close once the authority knows.
    expect(
      await closeIncident(deps, dpo, id, { closingNote: "Account secured, second factor enforced." }),
    ).toMatchObject({ status: "CLOSED" });

    const late = await opened(new Date(now.getTime() - 90 * HOUR), "Lost laptop with an export");
    await assessIncident(deps, dpo, late.id, { assessment, risk: "RISK" });
    expect(
      await recordAuthorityNotified(deps, dpo, late.id, {
        reference: "Case 9",
        lateReason: "The laptop's loss was reported to us by the courier only on day four.",
      }),
    ).toMatchObject({
      notifiedLate: true,
      lateReason: "The laptop's loss was reported to us by the courier only on day four.",
    });
  });

  it("refuses invalid input and steps out of order with a sentence; an unlikely risk closes without notification", async () => {
    expect(
      await refusal(openIncident(deps, dpo, { title: "Future", description: "x".repeat(30), awareAt: "2099-01-01" })),
    ).toEqual({ code: "VALIDATION", message: "The moment we became aware cannot be in the future.", field: "awareAt" });
    expect(
      await refusal(openIncident(deps, dpo, { title: "Bad date", description: "x".repeat(30), awareAt: "someday" })),
    ).toMatchObject({ code: "VALIDATION", field: "awareAt" });
    expect(
      await refusal(openIncident(deps, dpo, { title: "Hi", description: "x".repeat(30), awareAt: now.toISOString() })),
    ).toEqual({ code: "VALIDATION", message: "Write the title (at least 5 characters).", field: "title" });
    expect(await refusal(getIncident(deps, "00000000-0000-7000-8000-000000000000"))).toMatchObject({
      code: "NOT_FOUND",
    });

    const { id } = await opened(new Date(now.getTime() - HOUR), "Misconfigured log level");
    expect(await refusal(recordAuthorityNotified(deps, dpo, id, { reference: "Case 1" }))).toMatchObject({
      code: "CONFLICT",
      message: "Assess the incident first: the notification says what happened, to whom and what it may mean for them.",
    });
    expect(await refusal(closeIncident(deps, dpo, id, { closingNote: "Closing without assessment." }))).toMatchObject({
      code: "CONFLICT",
      message: "Assess the incident before closing it: the record needs the assessment.",
    });
    expect(await refusal(assessIncident(deps, dpo, id, { assessment, risk: "SEVERE" }))).toMatchObject({
      code: "VALIDATION",
      field: "risk",
      message: "Choose how likely and severe the risk to people is.",
    });
    await assessIncident(deps, dpo, id, {
      assessment: "Logs held request paths only for ten minutes; no names, emails or health data.",
      risk: "UNLIKELY",
    });
    // Unlikely to be a risk: no clock runs any more.
    expect(await getIncident(deps, id)).toMatchObject({ awaitsAuthority: false, overdue: false, hoursLeft: null });
    expect(await refusal(assessIncident(deps, dpo, id, { assessment, risk: "HIGH" }))).toMatchObject({
      code: "CONFLICT",
    });
    expect(
      await closeIncident(deps, dpo, id, { closingNote: "Log level fixed; documented why it was not notified." }),
    ).toMatchObject({ status: "CLOSED", authorityNotifiedAt: null });
    expect(await refusal(closeIncident(deps, dpo, id, { closingNote: "Closing it a second time." }))).toMatchObject({
      code: "CONFLICT",
      message: "This incident is already closed.",
    });
  });
});
