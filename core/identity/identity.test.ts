import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { createTestAccounts, requesterFor, type TestAccounts } from "../platform/testing/accounts.ts";
import * as accounts from "./accounts.ts";
import { issueCode, verifyCode } from "./codes.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./password.ts";
import {
  createSession,
  isFreshlyAuthenticated,
  sessionPolicy,
  validateSessionToken,
  type ValidSession,
} from "./sessions.ts";
import { countQueries } from "../platform/testing/query-count.ts";
import { listMyTickets } from "../support/tickets.ts";

let t: TestDatabase;
let a: TestAccounts;
/** The sign-up browser's cookie secret: sign-ups confirmed from the same browser keep their password. */
const BINDING = "test-signup-browser-binding";
const req = requesterFor();
const PASSWORD = "quiet lantern by the sea";

beforeAll(async () => {
  t = await createTestDatabase();
  // Many accounts from one test IP: the per-IP ceilings are raised here; per-account limits stay as in production.
  const roomy = { points: 10_000, duration: 60, message: "test ceiling" };
  a = createTestAccounts(t.db.prisma, { "mail:ip": roomy, "secret:ip": roomy });
});
afterAll(async () => {
  await a?.deps.mail.drain(); // work deferred past the last answers, before the database closes
  a?.cleanup();
  await t?.cleanup();
});

async function verifiedUser(email: string, role: "USER" | "ADMIN" | "SUPPORT" = "USER") {
  await accounts.signUp(a.deps, { name: "Test Person", email, password: PASSWORD, binding: BINDING }, req);
  const session = await accounts.verifyEmail(a.deps, { email, code: await a.lastCode(email), binding: BINDING }, req);
  if (role !== "USER") await t.db.prisma.user.update({ where: { email }, data: { role } });
  return session;
}

/** Asks for a change of address and confirms it with the code mailed to the new one. */
async function changeEmail(session: ValidSession, email: string) {
  await accounts.requestEmailChange(a.deps, session, { email }, req);
  await accounts.confirmEmailChange(a.deps, session, { email, code: await a.lastCode(email) }, req);
}

describe("passwords", () => {
  it("are hashed with bcrypt at cost 12, and every character counts (no 72-byte truncation)", async () => {
    const long = "a".repeat(80);
    const hash = await hashPassword(long);
    expect(hash).toMatch(/^\$2[aby]\$12\$/);
    expect(await verifyPassword(long, hash)).toBe(true);
    expect(await verifyPassword("a".repeat(79) + "b", hash)).toBe(false);
  });

  it("refuses short, long and common passwords with a clear message", async () => {
    expect(await passwordProblem("short")).toMatch(/at least 8/);
    expect(await passwordProblem("x".repeat(129))).toMatch(/at most 128/);
    expect(await passwordProblem("password")).toMatch(/most common/);
    expect(await passwordProblem("qwertyuiop")).toMatch(/most common/);
    expect(await passwordProblem("ada@example.com", { email: "ada@example.com" })).toMatch(/email/);
    expect(await passwordProblem(PASSWORD)).toBeNull();
  });
});

describe("sign-up and verification", () => {
  it("stores no plaintext password or code, and verifies with the emailed code", async () => {
    const email = "new.person@example.com";
    await accounts.signUp(a.deps, { name: "New Person", email, password: PASSWORD, binding: BINDING }, req);
    await a.deps.mail.drain(); // the account is written after the answer (same timing for any address)
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(user.emailVerifiedAt).toBeNull();
    expect(user.passwordHash).toMatch(/^\$2b\$12\$/);
    expect(JSON.stringify(user)).not.toContain(PASSWORD);
    const code = await a.lastCode(email);
    expect(code).toMatch(/^\d{8}$/);
    const rows = await t.db.prisma.emailCode.findMany({ where: { email } });
    expect(JSON.stringify(rows)).not.toContain(code);
    const session = await accounts.verifyEmail(a.deps, { email, code, binding: BINDING }, req);
    expect(session.token).toMatch(/^[a-z2-7]{32}\.[a-z2-7]{52}$/);
    const stored = await t.db.prisma.session.findMany({ where: { userId: user.id } });
    expect(stored).toHaveLength(1);
    expect(JSON.stringify(stored)).not.toContain(session.token.split(".")[1]);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { email } })).emailVerifiedAt).not.toBeNull();
  });

  it("answers the same for a taken email, and tells the owner instead of creating a second account", async () => {
    const email = "taken@example.com";
    await verifiedUser(email);
    const result = await accounts.signUp(
      a.deps,
      { name: "Someone Else", email, password: PASSWORD, binding: BINDING },
      req,
    );
    expect(result).toEqual({ email });
    await a.deps.mail.drain();
    expect(await t.db.prisma.user.count({ where: { email } })).toBe(1);
    expect((await a.lastMail(email))?.template).toBe("signup-existing");
  });

  it("refuses bad input with a message naming the field", async () => {
    await expect(
      accounts.signUp(a.deps, { name: "", email: "x@example.com", password: PASSWORD }, req),
    ).rejects.toMatchObject({ details: { field: "name" } });
    await expect(
      accounts.signUp(a.deps, { name: "X", email: "not-an-email", password: PASSWORD }, req),
    ).rejects.toMatchObject({ details: { field: "email" } });
    await expect(
      accounts.signUp(a.deps, { name: "X", email: "x@example.com", password: "123456789" }, req),
    ).rejects.toMatchObject({ details: { field: "password" } });
  });
});

describe("codes", () => {
  it("expire, are single use, bound to email and purpose, and lock after 5 attempts", async () => {
    const email = "codes@example.com";
    const issue = () =>
      issueCode(t.db.prisma, a.deps.pepper, { purpose: "LOGIN", email, userId: null, now: a.clock.now });
    const verify = (code: string, opts: { purpose?: "LOGIN" | "VERIFY_EMAIL"; email?: string } = {}) =>
      verifyCode(t.db.prisma, a.deps.pepper, {
        purpose: opts.purpose ?? "LOGIN",
        email: opts.email ?? email,
        code,
        now: a.clock.now,
      });

    // single use
    let { code } = await issue();
    await expect(verify(code)).resolves.toMatchObject({ email });
    await expect(verify(code)).rejects.toMatchObject({ code: "VALIDATION" });
    // bound to purpose and email
    ({ code } = await issue());
    await expect(verify(code, { purpose: "VERIFY_EMAIL" })).rejects.toMatchObject({ code: "VALIDATION" });
    await expect(verify(code, { email: "other@example.com" })).rejects.toMatchObject({ code: "VALIDATION" });
    // a newer code voids the older one
    const older = code;
    ({ code } = await issue());
    await expect(verify(older)).rejects.toMatchObject({ code: "VALIDATION" });
    // expiry after 10 minutes
    a.clock.advance(10 * 60_000 + 1);
    await expect(verify(code)).rejects.toMatchObject({ code: "VALIDATION" });
    // lock after 5 wrong attempts, even with the right code afterwards
    ({ code } = await issue());
    const wrong = code === "00000000" ? "11111111" : "00000000";
    const attempts = await Promise.allSettled(Array.from({ length: 8 }, () => verify(wrong)));
    expect(attempts.every((r) => r.status === "rejected")).toBe(true);
    await expect(verify(code)).rejects.toMatchObject({ code: "RATE_LIMITED" });
    const row = await t.db.prisma.emailCode.findFirstOrThrow({ where: { email }, orderBy: { createdAt: "desc" } });
    expect(row.attempts).toBe(5);
  });
});

describe("sign-in", () => {
  it("by password, with a new session each time; wrong password and unknown email get the same answer", async () => {
    const email = "signin@example.com";
    await verifiedUser(email);
    const one = await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, req);
    const two = await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, req);
    expect(one.kind).toBe("signed-in");
    expect(two.kind).toBe("signed-in");
    if (one.kind === "signed-in" && two.kind === "signed-in") expect(one.session.token).not.toBe(two.session.token);
    const wrong = await accounts
      .signInWithPassword(a.deps, { email, password: "not the password" }, req)
      .catch((e: Error) => e.message);
    const unknown = await accounts
      .signInWithPassword(a.deps, { email: "nobody@example.com", password: PASSWORD }, req)
      .catch((e: Error) => e.message);
    expect(wrong).toBe(unknown);
  });

  it("by an emailed code; an unknown email gets the same answer and no mail", async () => {
    const email = "codein@example.com";
    await verifiedUser(email);
    expect(await accounts.requestLoginCode(a.deps, { email }, req)).toEqual({ email });
    const session = await accounts.signInWithCode(a.deps, { email, code: await a.lastCode(email) }, req);
    expect(session.user.role).toBe("USER");
    expect(await accounts.requestLoginCode(a.deps, { email: "ghost@example.com" }, req)).toEqual({
      email: "ghost@example.com",
    });
    expect(await a.lastMail("ghost@example.com")).toBeUndefined();
  });

  it("throttles rapid failed sign-ins for an account", async () => {
    const email = "throttle@example.com";
    await verifiedUser(email);
    const results: string[] = [];
    for (let i = 0; i < 12; i++) {
      results.push(
        await accounts
          .signInWithPassword(a.deps, { email, password: `wrong-${i}-password` }, requesterFor(`198.51.100.${i}`))
          .then(
            () => "ok",
            (e: { code: string }) => e.code,
          ),
      );
    }
    expect(results.slice(0, 10).every((c) => c === "VALIDATION")).toBe(true);
    expect(results.slice(10)).toEqual(["RATE_LIMITED", "RATE_LIMITED"]);
    // Even the right password waits now.
    await expect(
      accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor("198.51.100.99")),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
  });
});

describe("sessions", () => {
  it("are found in one statement carrying what every page needs, and refuse a wrong secret or a suspended user", async () => {
    const user = await t.db.prisma.user.create({
      data: { email: "one-look@example.com", name: "One Look", role: "EXPERT", timezone: "Asia/Kolkata" },
    });
    const { token } = await createSession(t.db.prisma, { userId: user.id, role: "EXPERT", device: req.device });
    const { result: session, queries } = await countQueries(() => validateSessionToken(t.db.prisma, token));
    expect(queries).toBe(1);
    expect(session?.userId).toBe(user.id);
    expect(session?.user).toEqual({
      id: user.id,
      email: "one-look@example.com",
      name: "One Look",
      role: "EXPERT",
      emailVerifiedAt: null,
      timezone: "Asia/Kolkata",
    });
    expect(session?.createdAt).toBeInstanceOf(Date);
    const [id, secret] = token.split(".") as [string, string];
    const wrong = `${id}.${secret.slice(0, -1)}${secret.endsWith("a") ? "b" : "a"}`;
    expect(await validateSessionToken(t.db.prisma, wrong)).toBeNull();
    await t.db.prisma.user.update({ where: { id: user.id }, data: { status: "SUSPENDED" } });
    expect(await validateSessionToken(t.db.prisma, token)).toBeNull();
    // …and the refused session is gone.
    expect(await t.db.prisma.session.count({ where: { id } })).toBe(0);
  });

  it("are read with their exact instants whatever the process's own time zone", async () => {
    // The lookup is raw SQL: a `timestamp` column read as local time would move every expiry by the server's
    // offset. Node applies a changed TZ at once.
    const user = await t.db.prisma.user.create({
      data: { email: "instants@example.com", name: "Instants", emailVerifiedAt: new Date("2026-01-02T03:04:05.678Z") },
    });
    const now = new Date("2026-06-15T12:34:56.789Z");
    const created = await createSession(t.db.prisma, { userId: user.id, role: "USER", device: req.device, now });
    const previous = process.env.TZ;
    try {
      for (const zone of ["Asia/Kolkata", "America/Los_Angeles", "UTC"]) {
        process.env.TZ = zone;
        const session = await validateSessionToken(t.db.prisma, created.token, now);
        expect(session?.createdAt.toISOString(), zone).toBe(now.toISOString());
        expect(session?.reauthenticatedAt.toISOString(), zone).toBe(now.toISOString());
        expect(session?.expiresAt.toISOString(), zone).toBe(created.expiresAt.toISOString());
        expect(session?.absoluteExpiresAt.toISOString(), zone).toBe(created.absoluteExpiresAt.toISOString());
        expect(session?.mfaVerifiedAt, zone).toBeNull();
        expect(session?.user.emailVerifiedAt?.toISOString(), zone).toBe("2026-01-02T03:04:05.678Z");
      }
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it("slide with use and end after 7 days idle (users)", async () => {
    const user = await t.db.prisma.user.create({ data: { email: "idle@example.com", name: "Idle" } });
    const start = new Date("2026-01-01T00:00:00Z");
    const { token } = await createSession(t.db.prisma, {
      userId: user.id,
      role: "USER",
      device: req.device,
      now: start,
    });
    const day = 24 * 3600_000;
    expect(await validateSessionToken(t.db.prisma, token, new Date(start.getTime() + 6 * day))).not.toBeNull();
    // used on day 6: valid until day 13
    expect(await validateSessionToken(t.db.prisma, token, new Date(start.getTime() + 12 * day))).not.toBeNull();
    expect(await validateSessionToken(t.db.prisma, token, new Date(start.getTime() + 19 * day + 1))).toBeNull();
  });

  it("end at the absolute limit however active (30 days users, 12 hours staff)", async () => {
    const user = await t.db.prisma.user.create({ data: { email: "abs@example.com", name: "Abs" } });
    const start = new Date("2026-02-01T00:00:00Z");
    const { token } = await createSession(t.db.prisma, {
      userId: user.id,
      role: "USER",
      device: req.device,
      now: start,
    });
    for (let d = 5; d < 30; d += 5)
      expect(await validateSessionToken(t.db.prisma, token, new Date(start.getTime() + d * 86400_000))).not.toBeNull();
    expect(
      await validateSessionToken(t.db.prisma, token, new Date(start.getTime() + sessionPolicy.user.absoluteMs)),
    ).toBeNull();

    const staff = await t.db.prisma.user.create({
      data: { email: "staff@example.com", name: "Staff", role: "SUPPORT" },
    });
    const s = await createSession(t.db.prisma, { userId: staff.id, role: "SUPPORT", device: req.device, now: start });
    expect(await validateSessionToken(t.db.prisma, s.token, new Date(start.getTime() + 29 * 60_000))).not.toBeNull();
    expect(
      await validateSessionToken(t.db.prisma, s.token, new Date(start.getTime() + 29 * 60_000 + 31 * 60_000)),
    ).toBeNull();
    const s2 = await createSession(t.db.prisma, { userId: staff.id, role: "SUPPORT", device: req.device, now: start });
    for (let m = 20; m < 720; m += 20)
      expect(await validateSessionToken(t.db.prisma, s2.token, new Date(start.getTime() + m * 60_000))).not.toBeNull();
    expect(await validateSessionToken(t.db.prisma, s2.token, new Date(start.getTime() + 720 * 60_000))).toBeNull();
  });

  it("refuse malformed, tampered and unknown tokens", async () => {
    const user = await t.db.prisma.user.create({ data: { email: "tamper@example.com", name: "T" } });
    const { token } = await createSession(t.db.prisma, { userId: user.id, role: "USER", device: req.device });
    const [id, secret] = token.split(".") as [string, string];
    const flipped = secret.slice(0, -1) + (secret.endsWith("a") ? "b" : "a");
    for (const bad of [
      "",
      "x",
      `${id}.${flipped}`,
      `${id}`,
      `${"a".repeat(32)}.${secret}`,
      `${token}x`,
      "a".repeat(5000),
    ]) {
      expect(await validateSessionToken(t.db.prisma, bad)).toBeNull();
    }
    expect(await validateSessionToken(t.db.prisma, token)).not.toBeNull();
  });

  it("record device data: browser, OS, device model, IP", async () => {
    const user = await t.db.prisma.user.create({ data: { email: "device@example.com", name: "D" } });
    const phone = requesterFor(
      "192.0.2.44",
      "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/116.0.0.0 Mobile Safari/537.36",
    );
    const { sessionId } = await createSession(t.db.prisma, { userId: user.id, role: "USER", device: phone.device });
    const row = await t.db.prisma.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(row).toMatchObject({ ip: "192.0.2.44", browser: "Chrome 116", os: "Android 13", device: "Google Pixel 7" });
  });
});

describe("password reset", () => {
  it("by code or link, single use, within 1 hour, and it ends every session", async () => {
    const email = "reset@example.com";
    await verifiedUser(email);
    await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, req);
    const user = await t.db.prisma.user.findUniqueOrThrow({ where: { email } });
    expect(await t.db.prisma.session.count({ where: { userId: user.id } })).toBe(2);

    await accounts.requestPasswordReset(a.deps, { email }, req);
    const mail = await a.lastMail(email);
    const token = /token=([^\s]+)/.exec(mail!.text)?.[1];
    expect(token).toBeTruthy();
    await accounts.resetPassword(a.deps, { token, password: "a brand new passphrase" }, req);
    expect(await t.db.prisma.session.count({ where: { userId: user.id } })).toBe(0);
    await expect(
      accounts.resetPassword(a.deps, { token, password: "another new passphrase" }, req),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    expect((await accounts.signInWithPassword(a.deps, { email, password: "a brand new passphrase" }, req)).kind).toBe(
      "signed-in",
    );

    await accounts.requestPasswordReset(a.deps, { email }, req);
    const code = await a.lastCode(email);
    a.clock.advance(61 * 60_000);
    await expect(
      accounts.resetPassword(a.deps, { email, code, password: "late passphrase here" }, req),
    ).rejects.toMatchObject({ code: "VALIDATION" });
  });

  it("gives the same answer for unknown emails and sends nothing", async () => {
    expect(await accounts.requestPasswordReset(a.deps, { email: "nobody-here@example.com" }, req)).toEqual({
      email: "nobody-here@example.com",
    });
    expect(await a.lastMail("nobody-here@example.com")).toBeUndefined();
  });
});

describe("sensitive changes", () => {
  it("refuse without a fresh re-authentication, then work after it", async () => {
    const email = "sensitive@example.com";
    const created = await verifiedUser(email);
    const session = (await validateSessionToken(t.db.prisma, created.token, a.clock.now))!;
    expect(isFreshlyAuthenticated(session, a.clock.now)).toBe(true);
    a.clock.advance(11 * 60_000);
    const stale = (await validateSessionToken(t.db.prisma, created.token, a.clock.now))!;
    await expect(accounts.changePassword(a.deps, stale, { password: "fresh new passphrase" })).rejects.toMatchObject({
      code: "PRECONDITION",
    });
    await expect(
      accounts.requestEmailChange(a.deps, stale, { email: "elsewhere@example.com" }, req),
    ).rejects.toMatchObject({ code: "PRECONDITION" });
    await expect(
      accounts.confirmEmailChange(a.deps, stale, { email: "elsewhere@example.com", code: "12345678" }, req),
    ).rejects.toMatchObject({ code: "PRECONDITION" });

    await expect(
      accounts.reauthenticateWithPassword(a.deps, stale, { password: "wrong password!" }, req),
    ).rejects.toMatchObject({ code: "VALIDATION" });
    await accounts.reauthenticateWithPassword(a.deps, stale, { password: PASSWORD }, req);
    const fresh = (await validateSessionToken(t.db.prisma, created.token, a.clock.now))!;
    await changeEmail(fresh, "elsewhere@example.com");
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: fresh.userId } })).email).toBe(
      "elsewhere@example.com",
    );
    expect((await a.lastMail(email))?.template).toBe("email-changed");
  });

  it("an address given up keeps its tickets with the account: the next account to verify it reads none", async () => {
    const old = "moving@example.com";
    const created = await verifiedUser(old);
    const session = (await validateSessionToken(t.db.prisma, created.token, a.clock.now))!;
    // Sent through the contact form (no account attached) from the address while it was verified on the account.
    const sent = await t.db.prisma.supportTicket.create({
      data: {
        contactEmail: old.toUpperCase(),
        subject: "A private question",
        category: "OTHER",
        channel: "CONTACT_FORM",
        firstResponseDueAt: new Date(),
        resolutionDueAt: new Date(),
        messages: { create: { body: "Something personal." } },
      },
      select: { id: true },
    });
    expect((await listMyTickets(t.db.prisma, session.userId)).map((x) => x.id)).toEqual([sent.id]);

    await changeEmail(session, "moved@example.com");
    expect((await listMyTickets(t.db.prisma, session.userId)).map((x) => x.id)).toEqual([sent.id]);

    const next = await verifiedUser(old);
    expect(await listMyTickets(t.db.prisma, next.user.id)).toEqual([]);
  });

  it("another account asking for the same new address neither cancels my code nor spends my tries", async () => {
    const mine = await verifiedUser("mover@example.com");
    const theirs = await verifiedUser("spoiler@example.com");
    const me = (await validateSessionToken(t.db.prisma, mine.token, a.clock.now))!;
    const them = (await validateSessionToken(t.db.prisma, theirs.token, a.clock.now))!;
    const target = "new-home@example.com";
    await accounts.requestEmailChange(a.deps, me, { email: target }, req);
    const myCode = await a.lastCode(target);
    // They ask for the same address after me, then guess at codes for it until they are stopped.
    await accounts.requestEmailChange(a.deps, them, { email: target }, req);
    const wrong = myCode === "00000000" ? "11111111" : "00000000";
    let stopped = false;
    for (let i = 0; i < 15 && !stopped; i++) {
      try {
        await accounts.confirmEmailChange(a.deps, them, { email: target, code: wrong }, req);
      } catch (error) {
        stopped = (error as { code?: string }).code === "RATE_LIMITED";
      }
    }
    expect(stopped).toBe(true);
    // My code, from before their request, still works, and my budget is untouched.
    await accounts.confirmEmailChange(a.deps, me, { email: target, code: myCode }, req);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: me.userId } })).email).toBe(target);
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: them.userId } })).email).toBe(
      "spoiler@example.com",
    );
  });

  it("changing the password ends the other sessions, not this one", async () => {
    const email = "chpw@example.com";
    const first = await verifiedUser(email);
    const other = await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, req);
    const session = (await validateSessionToken(t.db.prisma, first.token, a.clock.now))!;
    const { endedSessions } = await accounts.changePassword(a.deps, session, { password: "changed passphrase ok" });
    expect(endedSessions).toBe(1);
    expect(await validateSessionToken(t.db.prisma, first.token, a.clock.now)).not.toBeNull();
    if (other.kind === "signed-in")
      expect(await validateSessionToken(t.db.prisma, other.session.token, a.clock.now)).toBeNull();
  });
});

describe("roles", () => {
  it("only an admin changes roles, never their own, and the account's sessions end", async () => {
    const admin = await verifiedUser("the.admin@example.com", "ADMIN");
    const target = await verifiedUser("target@example.com");
    const adminUser = await t.db.prisma.user.findUniqueOrThrow({ where: { email: "the.admin@example.com" } });
    const targetUser = await t.db.prisma.user.findUniqueOrThrow({ where: { email: "target@example.com" } });
    await expect(
      accounts.changeRole(a.deps, { id: targetUser.id, role: "USER" }, { userId: adminUser.id, role: "USER" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await expect(
      accounts.changeRole(a.deps, { id: adminUser.id, role: "ADMIN" }, { userId: adminUser.id, role: "USER" }),
    ).rejects.toMatchObject({ code: "FORBIDDEN" });
    await accounts.changeRole(a.deps, { id: adminUser.id, role: "ADMIN" }, { userId: targetUser.id, role: "SUPPORT" });
    expect(await validateSessionToken(t.db.prisma, target.token)).toBeNull();
    expect(await validateSessionToken(t.db.prisma, admin.token)).not.toBeNull();
  });
});
