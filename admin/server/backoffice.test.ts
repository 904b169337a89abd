// The back-office through createCaller with real sessions on a real database (and a few calls over HTTP):
// the role table for EVERY procedure, the TOTP step, ticket isolation, internal notes, the audit trail (and its
// append-only guarantee in the database), role changes ending sessions.
import { resetPassword, signInWithPassword } from "../../core/identity/accounts.ts";
import { generateHOTP } from "@oslojs/otp";
import { decodeBase32IgnorePadding } from "@oslojs/encoding";
import { TRPCError } from "@trpc/server";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { listOutbox } from "../../core/platform/mail/index.ts";
import { serverTestUrl } from "../../core/platform/testing/db.ts";
import { createSession, validateSessionToken, type ValidSession } from "../../core/identity/sessions.ts";
import { requesterFor } from "../../core/platform/testing/accounts.ts";
import { openTicket, getMyTicket, replyAsRequester } from "../../core/support/tickets.ts";
import { publishedExpert } from "../../tests/helpers/bookings.ts";
import { startTestServer, type TestServer } from "../../tests/helpers/server.ts";
import { sessionPerson, staffWithTotp } from "../../tests/helpers/staff.ts";
import { ROLE_PERMISSIONS, type Permission } from "../shared/permissions.ts";
import { appRouter } from "./root.ts";
import { createCallerFactory, createInnerContext } from "./trpc.ts";

let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.stop();
});

const createCaller = createCallerFactory(appRouter);
const accountDeps = () => {
  const s = srv.running.services;
  return {
    db: s.db.prisma,
    mail: s.mailQueue,
    limiter: s.rateLimiter,
    pepper: s.secrets.codePepper,
    appUrl: s.config.appUrl,
  };
};
const person = (role: Role, opts: { mfa?: boolean } = {}) => sessionPerson(srv, role, opts);
/** A staff member with TOTP enrolled (a known secret) and passed in this session; codeAt(offset) gives codes. */
const enrolled = (role: Role) => staffWithTotp(srv, role);
/** The caller's address; a describe block may give each test its own, so per-IP secret limits do not add up. */
let defaultIp = "203.0.113.77";
const callerFor = (session: ValidSession | null, ip = defaultIp) =>
  createCaller(createInnerContext({ services: srv.running.services, requestId: "test", clientIp: ip, session }));

type RouterCaller = ReturnType<typeof callerFor>;
/** Every procedure's dotted path ("tickets.queue"), from the router's own types: a renamed procedure fails here. */
type ProcedurePath<T = RouterCaller, Prefix extends string = ""> = {
  [K in keyof T & string]: T[K] extends (...args: never[]) => unknown
    ? `${Prefix}${K}`
    : ProcedurePath<T[K], `${Prefix}${K}.`>;
}[keyof T & string];

/** Calls a procedure by its dotted path. */
async function callPath(
  session: ValidSession | null,
  path: ProcedurePath,
  input: unknown,
  ip?: string,
): Promise<unknown> {
  // The caller is a proxy keyed by path segments; walking it by name needs a dynamic shape.
  let fn: unknown = callerFor(session, ip);
  for (const key of path.split(".")) fn = (fn as Record<string, unknown>)[key];
  return (fn as (i: unknown) => Promise<unknown>)(input);
}
async function outcome(
  session: ValidSession | null,
  path: ProcedurePath,
  input: unknown,
  ip?: string,
): Promise<string> {
  try {
    await callPath(session, path, input, ip);
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

// ----------------------------------------------------------------------------------------------- role table

type Access = "public" | "signed-in" | "staff, before TOTP" | "staff" | Permission;
/** The role table of docs/architecture.md, written out independently of admin/shared/permissions.ts. */
const WHO_HAS: Record<Permission, Role[]> = {
  "tickets:read": ["SUPPORT"],
  "tickets:write": ["SUPPORT"],
  "audit:read": ["DPO", "ADMIN"],
  "privacy:read": ["DPO"],
  "privacy:decide": ["DPO"],
  "staff:manage": ["ADMIN"],
  "categories:manage": ["ADMIN"],
  "experts:manage": ["ADMIN"],
  "newsletter:send": ["ADMIN"],
  "errors:read": ["ADMIN"],
  "security:read": ["ADMIN"],
  "reviews:moderate": ["SUPPORT"],
  "analytics:read": ["ADMIN"],
  "incidents:manage": ["DPO"],
};
const NOPE = "00000000-0000-7000-8000-000000000000";
let slugCount = 0;
/** Every procedure: who may call it, and an input that passes validation. A new procedure without a row fails. */
const TABLE: Record<ProcedurePath, { access: Access; input: () => unknown }> = {
  "system.ping": { access: "public", input: () => undefined },
  "me.get": { access: "signed-in", input: () => undefined },
  "mfa.beginEnrolment": { access: "staff, before TOTP", input: () => undefined },
  "mfa.confirmEnrolment": { access: "staff, before TOTP", input: () => ({ code: "000000" }) },
  "mfa.verify": { access: "staff, before TOTP", input: () => ({ code: "000000" }) },
  "mfa.useRecoveryCode": { access: "staff, before TOTP", input: () => ({ code: "aaaaa-bbbbb" }) },
  "mfa.regenerateRecoveryCodes": { access: "staff", input: () => ({ code: "000000" }) },
  "console.counts": { access: "staff", input: () => undefined },
  "dashboard.support": { access: "tickets:read", input: () => undefined },
  "dashboard.privacy": { access: "privacy:read", input: () => undefined },
  "dashboard.operations": { access: "analytics:read", input: () => undefined },
  "tickets.queue": { access: "tickets:read", input: () => ({}) },
  "tickets.get": { access: "tickets:read", input: () => ({ ticketId: NOPE }) },
  "tickets.agents": { access: "tickets:read", input: () => undefined },
  "tickets.assign": { access: "tickets:write", input: () => ({ ticketId: NOPE, assigneeId: null }) },
  "tickets.setStatus": { access: "tickets:write", input: () => ({ ticketId: NOPE, status: "OPEN" }) },
  "tickets.setPriority": { access: "tickets:write", input: () => ({ ticketId: NOPE, priority: "HIGH" }) },
  "tickets.reply": { access: "tickets:write", input: () => ({ ticketId: NOPE, body: "Hello" }) },
  "tickets.addNote": { access: "tickets:write", input: () => ({ ticketId: NOPE, body: "Note" }) },
  "tickets.logOnBehalf": {
    access: "tickets:write",
    input: () => ({
      channel: "PHONE",
      email: "caller@example.com",
      subject: "Phone call",
      category: "OTHER",
      message: "Called about X",
    }),
  },
  "tickets.cannedReplies": { access: "tickets:read", input: () => undefined },
  "tickets.saveCannedReply": { access: "tickets:write", input: () => ({ title: "Greeting", body: "Hello there" }) },
  "tickets.deleteCannedReply": { access: "tickets:write", input: () => ({ id: NOPE }) },
  "tickets.updateCannedReply": {
    access: "tickets:write",
    input: () => ({ id: NOPE, title: "Greeting", body: "Hello again" }),
  },
  "tickets.requester": { access: "tickets:read", input: () => ({ ticketId: NOPE }) },
  "tickets.savedViews": { access: "tickets:read", input: () => undefined },
  "tickets.saveView": {
    access: "tickets:read",
    input: () => ({ name: `View ${++slugCount}`, filters: { assignee: "me", priority: "HIGH" } }),
  },
  "tickets.deleteView": { access: "tickets:read", input: () => ({ id: NOPE }) },
  "tickets.bulkUpdate": { access: "tickets:write", input: () => ({ ticketIds: [NOPE], status: "CLOSED" }) },
  "tickets.restore": {
    access: "tickets:write",
    input: () => ({ states: [{ ticketId: NOPE, status: "OPEN", assigneeId: null }] }),
  },
  "audit.search": { access: "audit:read", input: () => ({}) },
  "staff.list": { access: "staff:manage", input: () => undefined },
  "staff.changeRole": { access: "staff:manage", input: () => ({ userId: NOPE, role: "USER", code: "000000" }) },
  "staff.deactivate": { access: "staff:manage", input: () => ({ userId: NOPE, code: "000000" }) },
  "staff.undo": { access: "staff:manage", input: () => ({ undo: "not-a-real-undo-statement" }) },
  "staff.findByEmail": { access: "staff:manage", input: () => ({ email: "nobody@example.com" }) },
  "staff.invite": {
    access: "staff:manage",
    input: () => ({
      email: `invitee-${++slugCount}@example.com`,
      name: "Invited Person",
      role: "SUPPORT",
      code: "000000",
    }),
  },
  "categories.list": { access: "categories:manage", input: () => undefined },
  "categories.create": {
    access: "categories:manage",
    input: () => ({ slug: `topic-${++slugCount}`, name: "A topic", description: "" }),
  },
  "categories.update": {
    access: "categories:manage",
    input: () => ({ id: NOPE, data: { slug: "renamed", name: "Renamed" } }),
  },
  "categories.delete": { access: "categories:manage", input: () => ({ id: NOPE }) },
  "experts.list": { access: "experts:manage", input: () => undefined },
  "experts.onboard": {
    access: "experts:manage",
    input: () => ({ email: "nobody@example.com", slug: "new-expert", headline: "Listener", code: "000000" }),
  },
  "experts.setPublished": { access: "experts:manage", input: () => ({ expertId: NOPE, published: true }) },
  "newsletter.audience": { access: "newsletter:send", input: () => undefined },
  "newsletter.list": { access: "newsletter:send", input: () => undefined },
  "newsletter.send": {
    access: "newsletter:send",
    input: () => ({ subject: "Role table check", body: "Sent only to opted-in people." }),
  },
  "privacy.queue": { access: "privacy:read", input: () => ({}) },
  "privacy.get": { access: "privacy:read", input: () => ({ requestId: NOPE }) },
  "privacy.tickets": { access: "privacy:read", input: () => undefined },
  "privacy.identityCheck": {
    access: "privacy:decide",
    input: () => ({ requestId: NOPE, note: "Checked the ID document." }),
  },
  "privacy.extend": {
    access: "privacy:decide",
    input: () => ({ requestId: NOPE, until: "2099-01-01", reason: "Many records to collect." }),
  },
  "privacy.decide": {
    access: "privacy:decide",
    input: () => ({ requestId: NOPE, decision: "REJECTED", reason: "Not a valid request here." }),
  },
  "privacy.placeHold": {
    access: "privacy:decide",
    input: () => ({
      requestId: NOPE,
      recordType: "SUPPORT_TICKET",
      recordId: NOPE,
      basis: "Complaint under dispute.",
      until: "2099-01-01",
    }),
  },
  "privacy.releaseHold": { access: "privacy:decide", input: () => ({ holdId: NOPE }) },
  "privacy.correctName": {
    access: "privacy:decide",
    input: () => ({ requestId: NOPE, firstName: "Ada", lastName: "Lovelace", reason: "Corrected as asked." }),
  },
  "incidents.list": { access: "incidents:manage", input: () => undefined },
  "incidents.get": { access: "incidents:manage", input: () => ({ incidentId: NOPE }) },
  "incidents.open": {
    access: "incidents:manage",
    input: () => ({
      title: "Role test",
      description: "A breach opened by the role table test.",
      awareAt: "2020-01-01",
    }),
  },
  "incidents.assess": {
    access: "incidents:manage",
    input: () => ({ incidentId: NOPE, assessment: "An assessment of the breach and its risk.", risk: "RISK" }),
  },
  "incidents.notifyAuthority": {
    access: "incidents:manage",
    input: () => ({ incidentId: NOPE, reference: "Case 1" }),
  },
  "incidents.notifyPeople": {
    access: "incidents:manage",
    input: () => ({ incidentId: NOPE, notice: "Emailed every affected person." }),
  },
  "incidents.close": {
    access: "incidents:manage",
    input: () => ({ incidentId: NOPE, closingNote: "Fixed the cause and reviewed the runbook." }),
  },
  "reviews.list": { access: "reviews:moderate", input: () => ({}) },
  "reviews.hide": { access: "reviews:moderate", input: () => ({ reviewId: NOPE, reason: "Abusive language" }) },
  "analytics.surveys": { access: "analytics:read", input: () => ({}) },
  "analytics.usage": { access: "analytics:read", input: () => ({}) },
  "errors.groups": { access: "errors:read", input: () => ({}) },
  "security.feed": { access: "security:read", input: () => ({}) },
};

type Caller = "anonymous" | Role | "SUPPORT without TOTP" | "DPO without TOTP" | "ADMIN without TOTP";
const CALLERS: Caller[] = [
  "anonymous",
  "USER",
  "EXPERT",
  "SUPPORT",
  "DPO",
  "ADMIN",
  "SUPPORT without TOTP",
  "DPO without TOTP",
  "ADMIN without TOTP",
];

function expected(access: Access, caller: Caller): "allowed" | "UNAUTHORIZED" | "FORBIDDEN" {
  if (access === "public") return "allowed";
  if (caller === "anonymous") return "UNAUTHORIZED";
  if (access === "signed-in") return "allowed";
  const role = caller.split(" ")[0] as Role;
  if (role === "USER" || role === "EXPERT") return "FORBIDDEN";
  if (access === "staff, before TOTP") return "allowed";
  if (caller.endsWith("without TOTP")) return "FORBIDDEN";
  if (access === "staff") return "allowed";
  return WHO_HAS[access].includes(role) ? "allowed" : "FORBIDDEN";
}

describe("authorization of every back-office procedure", () => {
  it("the permission vocabulary matches the role table", () => {
    for (const [permission, roles] of Object.entries(WHO_HAS) as [Permission, Role[]][]) {
      for (const role of ["USER", "EXPERT", "SUPPORT", "DPO", "ADMIN"] as Role[]) {
        expect(ROLE_PERMISSIONS[role].includes(permission), `${role} ${permission}`).toBe(roles.includes(role));
      }
    }
  });

  it("every procedure has an entry in the table (a new procedure without one fails here)", () => {
    expect(Object.keys(appRouter._def.procedures).sort()).toEqual(Object.keys(TABLE).sort());
  });

  it("each caller gets exactly what the role table allows", async () => {
    const sessions = new Map<Caller, ValidSession | null>();
    for (const caller of CALLERS) {
      if (caller === "anonymous") sessions.set(caller, null);
      else
        sessions.set(
          caller,
          (await person(caller.split(" ")[0] as Role, { mfa: !caller.endsWith("without TOTP") })).session,
        );
    }
    const mismatches: string[] = [];
    let p = 0;
    for (const path of Object.keys(appRouter._def.procedures) as ProcedurePath[]) {
      const row = TABLE[path];
      // One address per procedure: the secret-checking ones would otherwise share one per-IP limit.
      const ip = `198.51.100.${++p}`;
      for (const caller of CALLERS) {
        const got = await outcome(sessions.get(caller) ?? null, path, row.input(), ip);
        const want = expected(row.access, caller);
        const ok = want === "allowed" ? got !== "UNAUTHORIZED" && got !== "FORBIDDEN" : got === want;
        if (!ok) mismatches.push(`${path} as ${caller}: expected ${want}, got ${got}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("FORBIDDEN names the missing permission, and the refusal is in the audit trail", async () => {
    const admin = await person("ADMIN", { mfa: true });
    const err = await callPath(admin.session, "tickets.queue", {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).message).toBe("Missing permission: tickets:read");
    const denied = await prisma().auditEvent.findMany({
      where: { actorId: admin.id },
      select: { action: true, target: true, ip: true },
    });
    expect(denied).toEqual([
      { action: "authz.denied.MISSING_PERMISSION", target: "procedure:tickets.queue", ip: "203.0.113.77" },
    ]);
  });
});

// ----------------------------------------------------------------------------------------------- TOTP

describe("staff second factor", () => {
  const codeAt = (secret: string, offsetSteps = 0) =>
    generateHOTP(decodeBase32IgnorePadding(secret), BigInt(Math.floor(Date.now() / 30_000) + offsetSteps), 6);

  it("the console refuses staff without TOTP, over HTTP too; enrolment and a code open it for this session only", async () => {
    const agent = await person("SUPPORT");
    // Over HTTP, with the session cookie: refused with the reason the console shows.
    const res = await fetch(`${srv.url}/admin/api/trpc/tickets.queue?input=${encodeURIComponent("{}")}`, {
      headers: { cookie: `mn_session=${agent.token}`, "x-mindnamo-console": "1" },
    });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { data: { reason: string } } };
    expect(body.error.data.reason).toBe("MFA_REQUIRED");

    const enrol = (await callPath(agent.session, "mfa.beginEnrolment", undefined)) as { secret: string; uri: string };
    expect(enrol.uri).toMatch(/^otpauth:\/\/totp\/Mind%20Namo:/);
    const stored = await prisma().staffTotp.findUniqueOrThrow({
      where: { userId: agent.id },
      select: { secretEncrypted: true },
    });
    expect(stored.secretEncrypted).not.toContain(enrol.secret); // encrypted at rest
    expect(
      await outcome(agent.session, "mfa.confirmEnrolment", {
        code: "123456" === codeAt(enrol.secret) ? "654321" : "123456",
      }),
    ).toBe("BAD_REQUEST");
    // Kept, not computed again: the replay below must send this very code, even if a 30-second step ends between.
    const used = codeAt(enrol.secret);
    await callPath(agent.session, "mfa.confirmEnrolment", { code: used });

    const fresh = (await validateSessionToken(prisma(), agent.token))!;
    expect(fresh.mfaVerifiedAt).not.toBeNull();
    expect(await outcome(fresh, "tickets.queue", {})).toBe("OK");
    const ok = await fetch(`${srv.url}/admin/api/trpc/tickets.queue?input=${encodeURIComponent("{}")}`, {
      headers: { cookie: `mn_session=${agent.token}`, "x-mindnamo-console": "1" },
    });
    expect(ok.status).toBe(200);

    // A second session of the same person starts without the second factor; a used code cannot be replayed.
    const { token } = await createSession(prisma(), {
      userId: agent.id,
      role: "SUPPORT",
      device: requesterFor().device,
    });
    const second = (await validateSessionToken(prisma(), token))!;
    expect(await outcome(second, "tickets.queue", {})).toBe("FORBIDDEN");
    expect(await outcome(second, "mfa.verify", { code: used })).toBe("BAD_REQUEST");
    expect(await outcome(second, "mfa.verify", { code: codeAt(enrol.secret, 1) })).toBe("OK");
    const refreshed = await validateSessionToken(prisma(), token);
    if (!refreshed) throw new Error("the session should still be valid");
    expect(await outcome(refreshed, "tickets.queue", {})).toBe("OK");
    // Enrolment cannot be restarted once confirmed (nobody can swap the secret of a signed-in session).
    expect(await outcome(second, "mfa.beginEnrolment", undefined)).toBe("CONFLICT");
  });

  it("the pending key stays the same until enrolment ends, and comes with a QR code of the same URI", async () => {
    const admin = await person("ADMIN");
    type Enrol = { secret: string; uri: string; qr: { size: number; path: string } };
    const first = (await callPath(admin.session, "mfa.beginEnrolment", undefined)) as Enrol;
    const again = (await callPath(admin.session, "mfa.beginEnrolment", undefined)) as Enrol;
    expect(again.secret).toBe(first.secret);
    expect(again.uri).toBe(first.uri);
    expect(first.qr.size).toBeGreaterThanOrEqual(21);
    expect(first.qr.path).toMatch(/^(M\d+ \d+h1v1h-1z)+$/);
    expect(first.uri).toContain(`secret=${first.secret}`);
  });

  it("wrong passwords sent from elsewhere do not keep a signed-in staff member from their second factor", async () => {
    const dpo = await person("DPO");
    // What ten wrong passwords for the address, from rotating addresses, leave behind: the per-address budget used up.
    for (let i = 0; i < 10; i++) await srv.running.services.rateLimiter.consume("secret:account", dpo.email);
    await expect(srv.running.services.rateLimiter.consume("secret:account", dpo.email)).rejects.toThrow();
    const enrol = (await callPath(dpo.session, "mfa.beginEnrolment", undefined)) as { secret: string };
    const { recoveryCodes } = (await callPath(dpo.session, "mfa.confirmEnrolment", {
      code: codeAt(enrol.secret),
    })) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    const { token } = await createSession(prisma(), { userId: dpo.id, role: "DPO", device: requesterFor().device });
    const next = (await validateSessionToken(prisma(), token))!;
    expect(await callPath(next, "mfa.useRecoveryCode", { code: recoveryCodes[0]! })).toEqual({ left: 9 });
  });

  it("ten recovery codes, shown once, stored hashed; each opens one session once; regenerating is audited", async () => {
    const dpo = await person("DPO");
    const enrol = (await callPath(dpo.session, "mfa.beginEnrolment", undefined)) as { secret: string };
    const used = codeAt(enrol.secret); // sent again below as the used code, whatever the clock says by then
    const { recoveryCodes } = (await callPath(dpo.session, "mfa.confirmEnrolment", {
      code: used,
    })) as { recoveryCodes: string[] };
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    const stored = await prisma().staffRecoveryCode.findMany({ where: { userId: dpo.id }, select: { codeHash: true } });
    expect(stored).toHaveLength(10);
    for (const { codeHash } of stored)
      for (const c of recoveryCodes) expect(codeHash).not.toContain(c.replace("-", ""));

    const newSession = async () => {
      const { token } = await createSession(prisma(), { userId: dpo.id, role: "DPO", device: requesterFor().device });
      return { token, session: (await validateSessionToken(prisma(), token))! };
    };
    const a = await newSession();
    expect(await outcome(a.session, "privacy.queue", {})).toBe("FORBIDDEN");
    expect(await callPath(a.session, "mfa.useRecoveryCode", { code: recoveryCodes[3]!.toUpperCase() })).toEqual({
      left: 9,
    });
    expect(await outcome(await validateSessionToken(prisma(), a.token), "privacy.queue", {})).toBe("OK");
    // The same code on another session is refused; a wrong one too.
    const b = await newSession();
    expect(await outcome(b.session, "mfa.useRecoveryCode", { code: recoveryCodes[3]! })).toBe("BAD_REQUEST");
    expect(await outcome(b.session, "mfa.useRecoveryCode", { code: "aaaaa-aaaaa" })).toBe("BAD_REQUEST");
    expect(await outcome(await validateSessionToken(prisma(), b.token), "privacy.queue", {})).toBe("FORBIDDEN");
    // Someone else's code does not open this account.
    const other = await person("SUPPORT");
    const otherEnrol = (await callPath(other.session, "mfa.beginEnrolment", undefined)) as { secret: string };
    const otherCodes = (await callPath(other.session, "mfa.confirmEnrolment", { code: codeAt(otherEnrol.secret) })) as {
      recoveryCodes: string[];
    };
    expect(await outcome(b.session, "mfa.useRecoveryCode", { code: otherCodes.recoveryCodes[0]! })).toBe("BAD_REQUEST");

    // Regenerating needs a fresh TOTP code (a used one is refused), replaces every code, and is audited.
    const signedIn = (await validateSessionToken(prisma(), a.token))!;
    expect(await outcome(signedIn, "mfa.regenerateRecoveryCodes", { code: used })).toBe("BAD_REQUEST");
    const fresh = (await callPath(signedIn, "mfa.regenerateRecoveryCodes", { code: codeAt(enrol.secret, 1) })) as {
      recoveryCodes: string[];
    };
    expect(fresh.recoveryCodes).toHaveLength(10);
    const c = await newSession();
    expect(await outcome(c.session, "mfa.useRecoveryCode", { code: recoveryCodes[5]! })).toBe("BAD_REQUEST");
    expect(await outcome(c.session, "mfa.useRecoveryCode", { code: fresh.recoveryCodes[0]! })).toBe("OK");
    const actions = (
      await prisma().auditEvent.findMany({
        where: { actorId: dpo.id },
        select: { action: true },
        orderBy: { at: "asc" },
      })
    ).map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(["mfa.enrol", "mfa.recovery_code.use", "mfa.recovery_codes.regenerate"]),
    );
  });

  it("code attempts are rate-limited per account", async () => {
    const dpo = await person("DPO");
    await callPath(dpo.session, "mfa.beginEnrolment", undefined);
    const results: string[] = [];
    for (let i = 0; i < 12; i++) results.push(await outcome(dpo.session, "mfa.confirmEnrolment", { code: "000000" }));
    expect(results.slice(0, 10).every((r) => r === "BAD_REQUEST")).toBe(true);
    expect(results.slice(10)).toEqual(["TOO_MANY_REQUESTS", "TOO_MANY_REQUESTS"]);
  });
});

// ----------------------------------------------------------------------------------------------- tickets

describe("tickets through the back-office", () => {
  const deps = () => ({
    db: prisma(),
    mail: srv.running.services.mailQueue,
    limiter: srv.running.services.rateLimiter,
    appUrl: "http://localhost:3999",
  });

  it("staff views of requester data are audited with the ticket as purpose; internal notes never reach the user", async () => {
    const user = await person("USER");
    const agent = await person("SUPPORT", { mfa: true });
    const { id } = await openTicket(deps(), user.id, {
      subject: "Cannot join my session",
      category: "BOOKING",
      message: "The room does not open.",
    });

    const queue = (await callPath(agent.session, "tickets.queue", { status: "NEW" })) as { id: string }[];
    expect(queue.map((t) => t.id)).toContain(id);
    expect(JSON.stringify(queue)).not.toContain(user.email); // the queue shows no personal data

    const ticket = (await callPath(agent.session, "tickets.get", { ticketId: id })) as {
      requester: { name: string; email: string; accountStatus: string };
    };
    expect(ticket.requester).toMatchObject({ email: user.email, accountStatus: "ACTIVE" });
    await callPath(agent.session, "tickets.assign", { ticketId: id, assigneeId: agent.id });
    await callPath(agent.session, "tickets.addNote", { ticketId: id, body: "INTERNAL: check the room logs" });
    await callPath(agent.session, "tickets.reply", { ticketId: id, body: "Please try again now." });

    const events = await prisma().auditEvent.findMany({
      where: { actorId: agent.id },
      orderBy: { id: "asc" },
      select: { action: true, subjectUserId: true, purpose: true, target: true },
    });
    expect(events).toEqual(
      ["ticket.view", "ticket.assign", "ticket.note", "ticket.reply"].map((action) => ({
        action,
        subjectUserId: user.id,
        purpose: id,
        target: `ticket:${id}`,
      })),
    );

    const mine = await getMyTicket(prisma(), { userId: user.id, ticketId: id });
    expect(mine.messages.map((m) => m.body)).toEqual(["The room does not open.", "Please try again now."]);
    expect(JSON.stringify(mine)).not.toContain("INTERNAL");
    await srv.running.services.mailQueue.drain();
    const sent = (await listOutbox(srv.config.mailOutboxDir, 100)).find((m) => m.to === user.email);
    expect(sent?.template).toBe("support-reply");
    expect(sent?.text).not.toContain("INTERNAL");
    expect(sent?.text).not.toContain("Please try again now."); // content stays on the site
  });

  it("a user cannot read or reply to another user's ticket, nor reach it through tRPC", async () => {
    const owner = await person("USER");
    const other = await person("USER");
    const { id } = await openTicket(deps(), owner.id, {
      subject: "Private matter",
      category: "OTHER",
      message: "Something personal",
    });
    await expect(getMyTicket(prisma(), { userId: other.id, ticketId: id })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(replyAsRequester(deps(), { userId: other.id, ticketId: id, message: "hi" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    expect(await outcome(other.session, "tickets.get", { ticketId: id })).toBe("FORBIDDEN");
    expect(await outcome(other.session, "tickets.reply", { ticketId: id, body: "hi" })).toBe("FORBIDDEN");
    expect(await prisma().ticketMessage.count({ where: { ticketId: id } })).toBe(1);
  });
});

// ----------------------------------------------------------------------------------------------- staff

describe("staff management", () => {
  let ipCount = 0;
  beforeEach(() => {
    defaultIp = `192.0.2.${++ipCount}`;
  });
  afterAll(() => {
    defaultIp = "203.0.113.77";
  });
  it("changing a staff member's role ends all their sessions and is audited", async () => {
    const admin = await enrolled("ADMIN");
    const agent = await person("SUPPORT", { mfa: true });
    await createSession(prisma(), { userId: agent.id, role: "SUPPORT", device: requesterFor().device });
    expect(await prisma().session.count({ where: { userId: agent.id } })).toBe(2);
    const result = await callPath(admin.session, "staff.changeRole", {
      userId: agent.id,
      role: "DPO",
      code: admin.codeAt(),
    });
    expect(result).toMatchObject({ role: "DPO", sessionsEnded: 2, previousRole: "SUPPORT" });
    expect(await prisma().session.count({ where: { userId: agent.id } })).toBe(0);
    expect(await validateSessionToken(prisma(), agent.token)).toBeNull();
    expect(
      await prisma().auditEvent.count({
        where: { actorId: admin.id, subjectUserId: agent.id, action: "staff.role.SUPPORT->DPO" },
      }),
    ).toBe(1);
    // Not even an admin changes their own role.
    expect(await outcome(admin.session, "staff.changeRole", { userId: admin.id, role: "USER", code: "1" })).toBe(
      "PRECONDITION_FAILED",
    );
  });

  it("finding an account by email to make it staff is a read of its data: audited with its purpose", async () => {
    const admin = await person("ADMIN", { mfa: true });
    const target = await person("USER");
    const found = await callPath(admin.session, "staff.findByEmail", { email: target.email.toUpperCase() });
    expect(found).toMatchObject({ id: target.id, role: "USER", status: "ACTIVE" });
    const audited = await prisma().auditEvent.findMany({
      where: { actorId: admin.id, action: "staff.account.lookup" },
    });
    expect(audited).toHaveLength(1);
    expect(audited[0]).toMatchObject({
      subjectUserId: target.id,
      target: `user:${target.id}`,
      purpose: "staff invite",
    });
    // A miss shows no one's data and writes nothing.
    expect(await callPath(admin.session, "staff.findByEmail", { email: "no-such-person@example.com" })).toBeNull();
    expect(await prisma().auditEvent.count({ where: { actorId: admin.id, action: "staff.account.lookup" } })).toBe(1);
  });

  it("the audit log names whose data it was and filters by email; each search is itself recorded", async () => {
    const admin = await person("ADMIN", { mfa: true });
    const target = await person("USER");
    await callPath(admin.session, "staff.findByEmail", { email: target.email });
    const found = (await callPath(admin.session, "audit.search", {
      subjectEmail: target.email,
      action: "staff.account.",
    })) as { events: { actorName: string | null; subjectName: string | null; purpose: string | null }[] };
    expect(found.events).toEqual([
      expect.objectContaining({ actorName: admin.name, subjectName: target.name, purpose: "staff invite" }),
    ]);
    expect(
      await prisma().auditEvent.count({
        where: { actorId: admin.id, action: "audit.search", subjectUserId: target.id },
      }),
    ).toBe(1);
    expect(await callPath(admin.session, "audit.search", { subjectEmail: "nobody-here@example.com" })).toEqual({
      events: [],
      nextCursor: null,
    });
  });

  it("an admin invites by email: a new account with the role and a set-password link, or the role for an existing one", async () => {
    const admin = await enrolled("ADMIN");
    const email = `new-agent-${Date.now()}@example.com`;
    const result = (await callPath(admin.session, "staff.invite", {
      email,
      name: "Nia Newagent",
      role: "SUPPORT",
      code: admin.codeAt(),
    })) as { userId: string; created: boolean };
    expect(result.created).toBe(true);
    const user = await prisma().user.findUniqueOrThrow({
      where: { email },
      select: { role: true, passwordHash: true },
    });
    expect(user).toEqual({ role: "SUPPORT", passwordHash: null });
    expect(
      await prisma().auditEvent.count({
        where: { actorId: admin.id, subjectUserId: result.userId, action: "staff.invite.SUPPORT" },
      }),
    ).toBe(1);
    await srv.running.services.mailQueue.drain();
    const invite = (await listOutbox(srv.config.mailOutboxDir, 1000)).find((m) => m.to === email);
    expect(invite?.template).toBe("staff-invite");
    const token = /reset-password\?token=(\S+)/.exec(invite!.text)![1]!;
    // The link sets the password once; then the invitee signs in like anyone.
    await resetPassword(accountDeps(), { token, password: "my own staff passphrase" }, requesterFor());
    const signIn = await signInWithPassword(
      accountDeps(),
      { email, password: "my own staff passphrase" },
      requesterFor(),
    );
    expect(signIn.kind).toBe("signed-in");

    // An existing account gets the role, its sessions end, and it is told.
    const user2 = await person("USER");
    await callPath(admin.session, "staff.invite", {
      email: user2.email,
      name: "Ignored",
      role: "DPO",
      code: admin.codeAt(1),
    });
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user2.id } })).role).toBe("DPO");
    expect(await validateSessionToken(prisma(), user2.token)).toBeNull();
    await srv.running.services.mailQueue.drain();
    expect((await listOutbox(srv.config.mailOutboxDir, 1000)).find((m) => m.to === user2.email)?.template).toBe(
      "staff-role-granted",
    );
    // Bad input is refused with a clear message.
    expect(
      await outcome(admin.session, "staff.invite", { email: "not-an-email", name: "X", role: "SUPPORT", code: "1" }),
    ).toBe("BAD_REQUEST");
    expect(
      await outcome(admin.session, "staff.invite", { email: "x@example.com", name: "X", role: "USER", code: "1" }),
    ).toBe("BAD_REQUEST");
  });

  it("an invite needs a fresh TOTP code: without one or with a wrong one nothing changes", async () => {
    const admin = await enrolled("ADMIN");
    const existing = await person("USER");
    const newEmail = `would-be-admin-${Date.now()}@example.com`;
    const wrong = admin.codeAt() === "123456" ? "654321" : "123456";
    const auditCount = () =>
      prisma().auditEvent.count({
        where: { actorId: admin.id, OR: [{ subjectUserId: existing.id }, { action: { startsWith: "staff.invite." } }] },
      });
    const auditBefore = await auditCount();
    for (const code of [undefined, "", wrong]) {
      for (const email of [existing.email, newEmail]) {
        expect(await outcome(admin.session, "staff.invite", { email, name: "Eve Intruder", role: "ADMIN", code })).toBe(
          "BAD_REQUEST",
        );
      }
    }
    // The existing account keeps its role and its session; no account was made; nothing was audited or mailed.
    expect((await prisma().user.findUniqueOrThrow({ where: { id: existing.id }, select: { role: true } })).role).toBe(
      "USER",
    );
    expect(await validateSessionToken(prisma(), existing.token)).not.toBeNull();
    expect(await prisma().user.count({ where: { email: newEmail } })).toBe(0);
    expect(await auditCount()).toBe(auditBefore);
    await srv.running.services.mailQueue.drain();
    const outbox = await listOutbox(srv.config.mailOutboxDir, 1000);
    expect(outbox.filter((m) => m.to === existing.email || m.to === newEmail)).toEqual([]);

    // With a valid code the existing account becomes staff, its sessions end, and the change is audited.
    const code = admin.codeAt();
    const result = (await callPath(admin.session, "staff.invite", {
      email: existing.email,
      name: "Ignored",
      role: "ADMIN",
      code,
    })) as { userId: string; created: boolean };
    expect(result).toEqual({ userId: existing.id, created: false });
    expect((await prisma().user.findUniqueOrThrow({ where: { id: existing.id }, select: { role: true } })).role).toBe(
      "ADMIN",
    );
    expect(await validateSessionToken(prisma(), existing.token)).toBeNull();
    expect(
      await prisma().auditEvent.count({
        where: { actorId: admin.id, subjectUserId: existing.id, action: "staff.role.USER->ADMIN" },
      }),
    ).toBe(1);
    // The code is spent: the same code cannot invite a second person.
    expect(
      await outcome(admin.session, "staff.invite", { email: newEmail, name: "Eve Intruder", role: "ADMIN", code }),
    ).toBe("BAD_REQUEST");
    expect(await prisma().user.count({ where: { email: newEmail } })).toBe(0);
  });

  it("turning an account into an expert is a role change: it needs a fresh TOTP code too", async () => {
    const admin = await enrolled("ADMIN");
    const user = await person("USER");
    const slug = `stepup-expert-${Date.now()}`;
    const input = { email: user.email, slug, headline: "A careful listener" };
    const wrong = admin.codeAt() === "123456" ? "654321" : "123456";
    expect(await outcome(admin.session, "experts.onboard", input)).toBe("BAD_REQUEST");
    expect(await outcome(admin.session, "experts.onboard", { ...input, code: wrong })).toBe("BAD_REQUEST");
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } })).role).toBe(
      "USER",
    );
    expect(await prisma().expertProfile.count({ where: { slug } })).toBe(0);
    expect(await validateSessionToken(prisma(), user.token)).not.toBeNull();

    await callPath(admin.session, "experts.onboard", { ...input, code: admin.codeAt() });
    expect((await prisma().user.findUniqueOrThrow({ where: { id: user.id }, select: { role: true } })).role).toBe(
      "EXPERT",
    );
    expect(await validateSessionToken(prisma(), user.token)).toBeNull();
    expect(
      await prisma().auditEvent.count({
        where: { actorId: admin.id, subjectUserId: user.id, action: "expert.onboard" },
      }),
    ).toBe(1);
  });

  it("a deactivated staff member is signed out everywhere", async () => {
    const admin = await enrolled("ADMIN");
    const dpo = await person("DPO", { mfa: true });
    await callPath(admin.session, "staff.deactivate", { userId: dpo.id, code: admin.codeAt() });
    expect(await validateSessionToken(prisma(), dpo.token)).toBeNull();
  });

  it("a role change and a deactivation need a fresh TOTP code, whatever the session already passed", async () => {
    const admin = await enrolled("ADMIN");
    const agent = await person("SUPPORT", { mfa: true });
    const wrong = admin.codeAt() === "123456" ? "654321" : "123456";
    expect(await outcome(admin.session, "staff.changeRole", { userId: agent.id, role: "EXPERT", code: wrong })).toBe(
      "BAD_REQUEST",
    );
    expect(await outcome(admin.session, "staff.deactivate", { userId: agent.id, code: wrong })).toBe("BAD_REQUEST");
    expect(await outcome(admin.session, "staff.changeRole", { userId: agent.id, role: "EXPERT" })).toBe("BAD_REQUEST");
    const still = await prisma().user.findUniqueOrThrow({
      where: { id: agent.id },
      select: { role: true, status: true },
    });
    expect(still).toEqual({ role: "SUPPORT", status: "ACTIVE" });
    expect(await validateSessionToken(prisma(), agent.token)).not.toBeNull();
    // A code is good for one action: the same code again is refused.
    const code = admin.codeAt();
    await callPath(admin.session, "staff.changeRole", { userId: agent.id, role: "DPO", code });
    const other = await person("DPO", { mfa: true });
    expect(await outcome(admin.session, "staff.deactivate", { userId: other.id, code })).toBe("BAD_REQUEST");
  });

  it("the admin who changed a role can undo it for two minutes; nobody else can, and replay does nothing", async () => {
    const admin = await enrolled("ADMIN");
    const otherAdmin = await enrolled("ADMIN");
    const agent = await person("SUPPORT", { mfa: true });
    const { undo } = (await callPath(admin.session, "staff.changeRole", {
      userId: agent.id,
      role: "EXPERT",
      code: admin.codeAt(),
    })) as { undo: string };
    const roleOf = async () =>
      (await prisma().user.findUniqueOrThrow({ where: { id: agent.id }, select: { role: true } })).role;
    expect(await roleOf()).toBe("EXPERT");
    expect(await outcome(otherAdmin.session, "staff.undo", { undo })).toBe("PRECONDITION_FAILED");
    const [body, mac] = undo.split(".");
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(body!, "base64url").toString()), from: "ADMIN" }),
    ).toString("base64url");
    expect(await outcome(admin.session, "staff.undo", { undo: `${forged}.${mac}` })).toBe("PRECONDITION_FAILED");
    expect(await callPath(admin.session, "staff.undo", { undo })).toEqual({ ok: true, kind: "role" });
    expect(await roleOf()).toBe("SUPPORT");
    expect(await outcome(admin.session, "staff.undo", { undo })).toBe("CONFLICT");
    expect(
      await prisma().auditEvent.count({ where: { subjectUserId: agent.id, action: { startsWith: "staff.role." } } }),
    ).toBe(2);

    // A deactivation's undo reactivates the account (the person signs in again).
    const d = (await callPath(admin.session, "staff.deactivate", { userId: agent.id, code: admin.codeAt(1) })) as {
      undo: string;
    };
    expect(await callPath(admin.session, "staff.undo", { undo: d.undo })).toEqual({ ok: true, kind: "deactivate" });
    const after = await prisma().user.findUniqueOrThrow({ where: { id: agent.id }, select: { status: true } });
    expect(after.status).toBe("ACTIVE");
    expect(await prisma().auditEvent.count({ where: { subjectUserId: agent.id, action: "staff.reactivate" } })).toBe(1);
  });
});

// ----------------------------------------------------------------------------------------------- audit trail

describe("the audit trail is append-only in the database", () => {
  async function oneEvent() {
    const e = await prisma().auditEvent.create({
      data: { action: "test.event", target: "test", actorRole: "ADMIN" },
      select: { id: true },
    });
    return e.id;
  }

  it("Prisma updates and deletes are refused", async () => {
    const id = await oneEvent();
    await expect(prisma().auditEvent.update({ where: { id }, data: { action: "changed" } })).rejects.toThrow(
      /append-only/,
    );
    await expect(prisma().auditEvent.deleteMany({ where: { id } })).rejects.toThrow(/append-only/);
    expect(await prisma().auditEvent.findUnique({ where: { id }, select: { action: true } })).toEqual({
      action: "test.event",
    });
  });

  it("direct SQL UPDATE, DELETE and TRUNCATE are refused (the app's own connection)", async () => {
    const id = await oneEvent();
    const db = srv.running.services.db;
    const exec = (text: string, values?: unknown[]) => db.executeSql(text, values);
    await expect(exec(`UPDATE "AuditEvent" SET "action" = 'changed' WHERE "id" = $1`, [id])).rejects.toThrow(
      /append-only/,
    );
    await expect(exec(`DELETE FROM "AuditEvent" WHERE "id" = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(exec(`TRUNCATE "AuditEvent"`)).rejects.toThrow(/append-only/);
    expect(await prisma().auditEvent.count({ where: { id } })).toBe(1);
  });

  it.skipIf(!serverTestUrl())(
    "on the server, a second connection with the app's credentials cannot change rows either",
    async () => {
      const id = await oneEvent();
      const client = new pg.Client({ connectionString: srv.database.url });
      await client.connect();
      try {
        await expect(client.query(`UPDATE "AuditEvent" SET "purpose" = 'x' WHERE "id" = $1`, [id])).rejects.toThrow(
          /append-only/,
        );
        await expect(client.query(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
      } finally {
        await client.end();
      }
    },
  );
});

// ----------------------------------------------------------------------------- error reports and security feed

describe("error reports and the security feed (P7, P14)", () => {
  it("admins see scrubbed, grouped error reports; the security feed is theirs only and every read is audited", async () => {
    const { recordError } = await import("../../core/observability/errors.ts");
    const { recordSecurityEvent } = await import("../../core/security/events.ts");
    await recordError(prisma(), {
      kind: "API_FAILURE",
      message: "POST /help answered 502 for planted.person@example.com",
      location: "/help?token=abc",
      status: 502,
    });
    await recordError(prisma(), {
      kind: "API_FAILURE",
      message: "POST /help answered 502 for other.person@example.com",
      location: "/help",
      status: 502,
    });
    await recordSecurityEvent(prisma(), {
      kind: "FAILURE_BURST",
      ip: "192.0.2.99",
      detail: "25 failed sign-ins in 10 minutes",
    });

    const admin = await person("ADMIN", { mfa: true });
    const groups = (await callerFor(admin.session).errors.groups({})).filter((g) =>
      g.message.startsWith("POST /help answered"),
    );
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({ count: 2, location: "/help", message: "POST /help answered 502 for [email]" });
    expect(JSON.stringify(groups)).not.toContain("planted.person");

    const feed = await callerFor(admin.session).security.feed({ ip: "192.0.2.99" });
    expect(feed.events.map((e) => e.kind)).toEqual(["FAILURE_BURST"]);
    const audited = await prisma().auditEvent.findMany({ where: { actorId: admin.id, action: "security.feed.view" } });
    expect(audited).toHaveLength(1);
    expect(audited[0]!.purpose).toContain("P14");

    // Support, the DPO and a user get nothing.
    for (const role of ["SUPPORT", "DPO", "USER"] as const) {
      const p = await person(role, { mfa: role !== "USER" });
      expect(await outcome(p.session, "security.feed", {}), role).toBe("FORBIDDEN");
      expect(await outcome(p.session, "errors.groups", {}), role).toBe("FORBIDDEN");
    }
    expect(await outcome(null, "security.feed", {})).toBe("UNAUTHORIZED");
  });
});

// ----------------------------------------------------------------------------- reviews moderation and analytics

describe("reviews moderation and aggregate analytics (P4, P6)", () => {
  async function completedBookingWithReview(author: { id: string }, comment: string) {
    const { createExpert } = await import("../../core/catalog/index.ts");
    const { submitReview } = await import("../../core/feedback/reviews.ts");
    const slug = `moderated-${++slugCount}`;
    if (!(await prisma().category.findUnique({ where: { slug: "moderation-topic" }, select: { id: true } }))) {
      await prisma().category.create({
        data: { slug: "moderation-topic", name: "Topic", description: "A topic for moderation tests." },
      });
    }
    const e = await createExpert(prisma(), {
      email: `${slug}@example.com`,
      name: `Expert ${slug}`,
      slug,
      headline: "Listens",
      bio: "A practitioner for the moderation tests.",
      languages: ["English"],
      timezone: "UTC",
      categorySlugs: ["moderation-topic"],
      availability: [],
      published: true,
    });
    const category = await prisma().category.findUniqueOrThrow({
      where: { slug: "moderation-topic" },
      select: { id: true },
    });
    const startsAt = new Date(Date.now() - 3 * 86_400_000);
    const b = await prisma().booking.create({
      data: {
        userId: author.id,
        expertId: e.id,
        categoryId: category.id,
        startsAt,
        status: "COMPLETED",
        endsAt: new Date(startsAt.getTime() + 50 * 60_000),
        blockedUntil: new Date(startsAt.getTime() + 60 * 60_000),
        roomName: `mn-moderation-${slugCount}`,
      },
      select: { id: true },
    });
    await submitReview(
      { db: prisma(), mail: srv.running.services.mailQueue },
      { userId: author.id, bookingId: b.id, rating: 1, comment },
    );
    return prisma().review.findUniqueOrThrow({ where: { bookingId: b.id }, select: { id: true } });
  }

  it("support hides an abusive review with a reason: audited, the author is emailed, the list never names the author", async () => {
    const author = await person("USER");
    const agent = await person("SUPPORT", { mfa: true });
    const review = await completedBookingWithReview(author, "ABUSIVE TEXT for moderation");
    const list = (await callPath(agent.session, "reviews.list", { status: "visible" })) as {
      id: string;
      comment: string | null;
    }[];
    expect(list.find((r) => r.id === review.id)?.comment).toBe("ABUSIVE TEXT for moderation");
    const json = JSON.stringify(list);
    for (const secret of [author.email, author.id, "Person"]) expect(json).not.toContain(secret);

    expect(await outcome(agent.session, "reviews.hide", { reviewId: review.id, reason: "no" })).toBe("BAD_REQUEST");
    await callPath(agent.session, "reviews.hide", { reviewId: review.id, reason: "Insults and threats" });
    expect(await outcome(agent.session, "reviews.hide", { reviewId: review.id, reason: "Insults and threats" })).toBe(
      "CONFLICT",
    );
    const events = await prisma().auditEvent.findMany({
      where: { actorId: agent.id, action: "review.hide" },
      select: { target: true, subjectUserId: true, ip: true },
    });
    expect(events).toEqual([{ target: `review:${review.id}`, subjectUserId: author.id, ip: "203.0.113.77" }]);
    const hidden = (await callPath(agent.session, "reviews.list", { status: "hidden" })) as {
      id: string;
      hiddenReason: string;
    }[];
    expect(hidden.find((r) => r.id === review.id)?.hiddenReason).toBe("Insults and threats");

    await srv.running.services.mailQueue.drain();
    const mail = (await listOutbox(srv.config.mailOutboxDir, 200)).find(
      (m) => m.to === author.email && m.subject === "Your review was hidden",
    );
    expect(mail?.text).toContain("Insults and threats");
    // An admin may not moderate; support may not read analytics.
    expect(
      await outcome((await person("ADMIN", { mfa: true })).session, "reviews.hide", {
        reviewId: review.id,
        reason: "Insults and threats",
      }),
    ).toBe("FORBIDDEN");
    expect(await outcome(agent.session, "analytics.usage", {})).toBe("FORBIDDEN");
  });

  it("admins see survey aggregates and anonymous usage, never a name or account id", async () => {
    const { submitSurvey } = await import("../../core/feedback/surveys.ts");
    const { recordUsage, parseUsageBatch } = await import("../../core/analytics/usage.ts");
    const respondent = await person("USER");
    await submitSurvey(prisma(), "GENERAL", { satisfaction: 5, improve: "Evening sessions please" });
    await submitSurvey(prisma(), "GENERAL", { satisfaction: 3 });
    await recordUsage(
      prisma(),
      parseUsageBatch({
        visitId: "admin-visit-000000000001",
        events: [
          { kind: "view", path: "/experts", from: "/" },
          { kind: "leave", path: "/experts", ms: 4000 },
        ],
      })!,
    );
    const admin = await person("ADMIN", { mfa: true });
    const surveys = (await callPath(admin.session, "analytics.surveys", {})) as {
      kind: string;
      responses: number;
      questions: { id: string; count: number; average: number | null; texts: string[] }[];
    }[];
    const general = surveys.find((s) => s.kind === "GENERAL")!;
    expect(general.responses).toBeGreaterThanOrEqual(2);
    expect(general.questions.find((q) => q.id === "improve")?.texts).toContain("Evening sessions please");
    const usage = (await callPath(admin.session, "analytics.usage", { days: 7 })) as {
      topPages: { path: string; views: number }[];
      topFlows: { from: string; to: string }[];
      timeOnPage: { path: string; averageSeconds: number }[];
    };
    expect(usage.topPages).toContainEqual({ path: "/experts", views: 1 });
    expect(usage.topFlows).toContainEqual({ from: "/", to: "/experts", count: 1 });
    expect(usage.timeOnPage).toContainEqual({ path: "/experts", measured: 1, averageSeconds: 4 });
    const json = JSON.stringify([surveys, usage]);
    expect(json).not.toContain(respondent.id);
    expect(json).not.toContain(respondent.email);
    expect(json).not.toContain("admin-visit"); // not even the random visit ids
  });
});

describe("the public pages follow the console at once (page cache cleared)", () => {
  const anonymous = (path: string) => fetch(`${srv.url}${path}`, { headers: { "x-forwarded-for": "198.51.100.80" } });
  const cached = async (path: string) => {
    await anonymous(path);
    const again = await anonymous(path);
    expect(again.headers.get("x-cache")).toBe("HIT");
    return again.text();
  };

  it("a new or renamed topic and an unpublished expert show on the cached directory and profile at once", async () => {
    const admin = await person("ADMIN", { mfa: true });
    expect(await cached("/experts")).not.toContain("Quiet Evenings");
    const topic = {
      slug: "quiet-evenings",
      name: "Quiet Evenings",
      description: "Winding down after long days.",
      sortOrder: 0,
    };
    await callPath(admin.session, "categories.create", topic);
    expect(await (await anonymous("/experts")).text()).toContain("Quiet Evenings");

    const expert = await publishedExpert(srv, { slug: "cache-follows", name: "Cache Follows", category: topic.slug });
    // Made straight in the database, as a fixture: nothing told the cache.
    srv.running.services.publicPages?.invalidate();
    expect(await cached("/experts/cache-follows")).toContain("Cache Follows");
    expect(await cached("/experts")).toContain("Cache Follows");
    await callPath(admin.session, "experts.setPublished", { expertId: expert.id, published: false });
    expect((await anonymous("/experts/cache-follows")).status).toBe(404);
    expect(await (await anonymous("/experts")).text()).not.toContain("Cache Follows");
    await callPath(admin.session, "experts.setPublished", { expertId: expert.id, published: true });
    expect((await anonymous("/experts/cache-follows")).status).toBe(200);

    const { id } = await prisma().category.findUniqueOrThrow({ where: { slug: topic.slug } });
    expect(await cached("/experts")).toContain("Quiet Evenings");
    await callPath(admin.session, "categories.update", { id, data: { ...topic, name: "Calm Evenings" } });
    const directory = await (await anonymous("/experts")).text();
    expect(directory).toContain("Calm Evenings");
    expect(directory).not.toContain("Quiet Evenings");
  });
});
