// A correction that corrects (P22): the DPO applies a corrected name from a CORRECTION request. Against a real
// database (PGlite in memory, or a fresh database on the server with TEST_DATABASE_URL), clock passed in.
import crypto from "node:crypto";
import { TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditActor } from "../audit/index.ts";
import { createCategory, createExpert } from "../catalog/index.ts";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { listOutbox } from "../platform/mail/index.ts";
import { createTestAccounts, type TestAccounts } from "../platform/testing/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { issueToken, roomAccess } from "../rooms/service.ts";
import { listExpertBookings } from "../scheduling/bookings.ts";
import { applyNameCorrection } from "./corrections.ts";
import { listOwnRequests, requestCorrection, requestDeletion, type PrivacyDeps } from "./requests.ts";

let t: TestDatabase;
let a: TestAccounts;
let deps: PrivacyDeps;
const db = () => t.db.prisma;
const MIN = 60_000;
const livekit = { url: "wss://livekit.example", apiKey: "APIcorrect", apiSecret: "a-correction-test-secret-for-hs256" };
let expert: { id: string; userId: string };
let categoryId: string;

let seq = 0;
async function person(role: "USER" | "DPO" = "USER", name = `Zelda Wrongname${++seq}`) {
  const email = `c${++seq}-${crypto.randomBytes(3).toString("hex")}@example.com`;
  const u = await createUser(db(), { email, name, role, emailVerified: true });
  const actor: AuditActor = { id: u.id, role, ip: "203.0.113.9" };
  return { id: u.id, email, name, actor };
}

async function correctionOf(userId: string) {
  return requestCorrection(
    deps,
    userId,
    { details: "My name is misspelled: it should be Zelda Rightname." },
    { ip: null, reauthenticatedAt: a.clock.now },
  );
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

beforeAll(async () => {
  t = await createTestDatabase();
  a = createTestAccounts(db());
  a.clock.now = new Date("2027-04-12T09:00:00Z");
  deps = { db: db(), mail: a.deps.mail, appUrl: "http://localhost:3000", now: () => a.clock.now };
  const cat = await createCategory(db(), { slug: "stress", name: "Stress", description: "Support for stress." });
  categoryId = cat.id;
  const e = await createExpert(db(), {
    email: "corr-expert@example.com",
    name: "Amara Okafor",
    slug: "corr-amara",
    headline: "Listens well and helps",
    bio: "A calm, experienced practitioner who has helped many people.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: ["stress"],
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

describe("applying a name correction (P22)", () => {
  it("changes the name, completes the request, is audited and emailed; the expert and LiveKit get the corrected first name", async () => {
    const u = await person("USER", "Zelda Wrongname");
    const dpo = await person("DPO");
    const startsAt = new Date(a.clock.now.getTime() + 2 * 24 * 60 * MIN);
    const b = await db().booking.create({
      data: {
        userId: u.id,
        expertId: expert.id,
        categoryId,
        startsAt,
        endsAt: new Date(startsAt.getTime() + 50 * MIN),
        blockedUntil: new Date(startsAt.getTime() + 60 * MIN),
        status: "CONFIRMED",
        roomName: crypto.randomBytes(12).toString("hex"),
        idempotencyKey: crypto.randomUUID(),
      },
      select: { id: true },
    });
    const before = await listExpertBookings(db(), expert.userId, { when: "upcoming" }, a.clock.now);
    expect(before.find((x) => x.id === b.id)?.clientName).toBe("Zelda");

    const r = await correctionOf(u.id);
    const done = await applyNameCorrection(deps, dpo.actor, r.id, {
      firstName: "  Selda ",
      lastName: "Rightname",
      reason: "Corrected the spelling of your first name as you asked.",
    });
    expect(done).toMatchObject({ status: "COMPLETED", name: "Selda Rightname" });
    expect(done.processors.map((p) => p.processor)).toEqual(["LiveKit (video)", "Resend (email)"]);

    expect(await db().user.findUniqueOrThrow({ where: { id: u.id }, select: { name: true } })).toEqual({
      name: "Selda Rightname",
    });
    expect((await listOwnRequests(db(), u.id))[0]).toMatchObject({
      id: r.id,
      status: "COMPLETED",
      decision: "APPROVED",
      decisionReason: "Corrected the spelling of your first name as you asked.",
    });
    expect(
      await db().auditEvent.findMany({
        where: { action: "privacy.request.correct" },
        select: { actorId: true, actorRole: true, subjectUserId: true, purpose: true },
      }),
    ).toEqual([{ actorId: dpo.id, actorRole: "DPO", subjectUserId: u.id, purpose: `privacy-request:${r.id}` }]);

    await a.deps.mail.drain();
    const mail = (await listOutbox(a.outboxDir, 1000)).find(
      (m) => m.to === u.email && m.template === "privacy-correction-applied",
    );
    expect(mail?.text).toContain("Selda Rightname");
    expect(mail?.text).toContain("privacy@mindnamo.com");

    // The expert's workspace reads the name when it shows the session: the corrected first name, never the surname.
    const after = await listExpertBookings(db(), expert.userId, { when: "upcoming" }, a.clock.now);
    expect(after.find((x) => x.id === b.id)?.clientName).toBe("Selda");
    expect(JSON.stringify(after)).not.toContain("Rightname");
    // The room page names the client to the expert by the corrected first name.
    expect((await roomAccess(db(), { userId: expert.userId }, b.id, a.clock.now)).peer.name).toBe("Selda");
    // LiveKit gets the first name in the join token, made at join time: the corrected one.
    const issued = await issueToken(db(), livekit, { userId: u.id }, b.id, new Date(startsAt.getTime() - 5 * MIN));
    const claims = await new TokenVerifier(livekit.apiKey, livekit.apiSecret).verify(issued.token);
    expect(claims.name).toBe("Selda");
  });

  it("refuses with clear messages: invalid names, no reason, unchanged name; nothing changes", async () => {
    const u = await person("USER", "Zelda Wrongname");
    const dpo = await person("DPO");
    const r = await correctionOf(u.id);
    const reason = "Corrected the spelling as you asked.";
    expect(
      await refusal(applyNameCorrection(deps, dpo.actor, r.id, { firstName: " ", lastName: "X", reason })),
    ).toEqual({
      code: "VALIDATION",
      message: "Enter the first name.",
      field: "firstName",
    });
    expect(
      await refusal(applyNameCorrection(deps, dpo.actor, r.id, { firstName: "Zelda", lastName: "R0bert$", reason })),
    ).toEqual({
      code: "VALIDATION",
      message: "The last name may contain letters, spaces, apostrophes, hyphens and dots only.",
      field: "lastName",
    });
    expect(
      await refusal(applyNameCorrection(deps, dpo.actor, r.id, { firstName: "x".repeat(51), lastName: "", reason })),
    ).toMatchObject({ code: "VALIDATION", field: "firstName" });
    expect(
      await refusal(
        applyNameCorrection(deps, dpo.actor, r.id, { firstName: "Zelda", lastName: "Right", reason: "ok" }),
      ),
    ).toMatchObject({ code: "VALIDATION", field: "reason" });
    expect(
      await refusal(applyNameCorrection(deps, dpo.actor, r.id, { firstName: "Zelda", lastName: "Wrongname", reason })),
    ).toEqual({ code: "VALIDATION", message: "That is already the name on the account.", field: "firstName" });
    // A single name, with letters of another script, is a name.
    expect(
      await applyNameCorrection(deps, dpo.actor, r.id, { firstName: "Zoë-Anne O’Brien", lastName: "", reason }),
    ).toMatchObject({ name: "Zoë-Anne O’Brien" });
    // Applied once: a second try is refused and the name stays.
    expect(
      await refusal(applyNameCorrection(deps, dpo.actor, r.id, { firstName: "Other", lastName: "Name", reason })),
    ).toMatchObject({ code: "CONFLICT" });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id }, select: { name: true } })).name).toBe(
      "Zoë-Anne O’Brien",
    );
  });

  it("only a correction request, never the DPO's own, never an unknown request", async () => {
    const dpo = await person("DPO");
    const u = await person();
    const deletion = await requestDeletion(deps, u.id, { ip: null, reauthenticatedAt: a.clock.now });
    const input = { firstName: "Selda", lastName: "Rightname", reason: "Corrected the spelling as you asked." };
    expect(await refusal(applyNameCorrection(deps, dpo.actor, deletion.id, input))).toEqual({
      code: "CONFLICT",
      message: "This is not a correction request: only a correction request can change the person's data.",
      field: undefined,
    });
    expect(await refusal(applyNameCorrection(deps, dpo.actor, crypto.randomUUID(), input))).toMatchObject({
      code: "NOT_FOUND",
    });
    const own = await correctionOf(dpo.id);
    expect(await refusal(applyNameCorrection(deps, dpo.actor, own.id, input))).toMatchObject({ code: "FORBIDDEN" });
    expect((await db().user.findUniqueOrThrow({ where: { id: u.id }, select: { name: true } })).name).toBe(u.name);
    expect((await db().user.findUniqueOrThrow({ where: { id: dpo.id }, select: { name: true } })).name).toBe(dpo.name);
  });
});
