// Fraud and unauthorized access (P14): new-device alerts and "this wasn't me", the temporary lock after repeated
// failures (and that it expires), the security feed, retention.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as accounts from "../identity/accounts.ts";
import { createSession } from "../identity/sessions.ts";
import { reportNotMe } from "../identity/new-device.ts";
import { listOutbox } from "../platform/mail/index.ts";
import { createTestAccounts, requesterFor, type TestAccounts } from "../platform/testing/accounts.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { listSecurityFeed, purgeSecurityEvents, recordSecurityEvent, recordSignInFailure } from "./events.ts";
import { lockDurationMs } from "./lockout.ts";

let t: TestDatabase;
let a: TestAccounts;
/** The sign-up browser's cookie secret: sign-ups confirmed from the same browser keep their password. */
const BINDING = "test-signup-browser-binding";
const PASSWORD = "quiet lantern by the sea";
const UA = {
  chromeLinux120: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
  chromeLinux131: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
  firefoxWindows: "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  safariIphone:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) " +
    "Version/17.5 Mobile/15E148 Safari/604.1",
};
const MINUTE = 60_000;

beforeAll(async () => {
  t = await createTestDatabase();
  const roomy = { points: 10_000, duration: 60, message: "test ceiling" };
  a = createTestAccounts(t.db.prisma, { "mail:ip": roomy, "secret:ip": roomy });
});
afterAll(async () => {
  await a?.deps.mail.drain(); // work deferred past the last answers, before the database closes
  a?.cleanup();
  await t?.cleanup();
});
const prisma = () => t.db.prisma;

async function mails(to: string, template: string) {
  await a.deps.mail.drain();
  return (await listOutbox(a.outboxDir, 1000)).filter((m) => m.to === to && m.template === template);
}
async function signUpVerified(email: string, ua = UA.chromeLinux120) {
  await accounts.signUp(
    a.deps,
    { name: "Test Person", email, password: PASSWORD, binding: BINDING },
    requesterFor("203.0.113.1", ua),
  );
  return accounts.verifyEmail(
    a.deps,
    { email, code: await a.lastCode(email), binding: BINDING },
    requesterFor("203.0.113.1", ua),
  );
}
async function passwordSignIn(email: string, ua: string, ip = "203.0.113.2") {
  const r = await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor(ip, ua));
  if (r.kind !== "signed-in") throw new Error("not signed in");
  return r.session;
}
const notMeToken = (text: string) => /\/security\/not-me\?token=(\S+)/.exec(text)?.[1] ?? "";

describe("new-device alerts", () => {
  it("fire once per new device (browser + OS + device family), never at sign-up or for a browser update", async () => {
    const email = "devices@example.com";
    await signUpVerified(email);
    expect(await mails(email, "new-device")).toHaveLength(0);

    await passwordSignIn(email, UA.chromeLinux120);
    await passwordSignIn(email, UA.chromeLinux131); // same family, newer version
    expect(await mails(email, "new-device")).toHaveLength(0);

    await passwordSignIn(email, UA.firefoxWindows, "198.51.100.7");
    let alerts = await mails(email, "new-device");
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.text).toContain("Firefox on Windows (Desktop)");
    expect(notMeToken(alerts[0]!.text)).toMatch(/^[0-9a-f-]{36}\.[a-z2-7]{52}$/);

    // Again from that device, also in parallel: no second alert.
    await Promise.all([passwordSignIn(email, UA.firefoxWindows), passwordSignIn(email, UA.firefoxWindows)]);
    expect(await mails(email, "new-device")).toHaveLength(1);

    // Another new device: one more alert. A code sign-in counts too.
    await accounts.requestLoginCode(a.deps, { email }, requesterFor("203.0.113.3", UA.safariIphone));
    await accounts.signInWithCode(
      a.deps,
      { email, code: await a.lastCode(email) },
      requesterFor("203.0.113.3", UA.safariIphone),
    );
    alerts = await mails(email, "new-device");
    expect(alerts).toHaveLength(2);
    expect(alerts.some((m) => m.text.includes("Mobile Safari on iOS (Apple iPhone)"))).toBe(true);

    const events = await prisma().securityEvent.findMany({ where: { kind: "NEW_DEVICE", user: { email } } });
    expect(events).toHaveLength(2);
    // Only an HMAC of the link's secret is stored.
    const secret = notMeToken(alerts[0]!.text).split(".")[1]!;
    expect(JSON.stringify(await prisma().deviceAlert.findMany({ where: { user: { email } } }))).not.toContain(secret);
  });

  it("an account's first sign-in (no device known, no session) sends no alert; its sessions' devices count as known", async () => {
    const email = "legacy@example.com";
    const { hashPassword } = await import("../identity/password.ts");
    const user = await prisma().user.create({
      data: { email, name: "Legacy", passwordHash: await hashPassword(PASSWORD), emailVerifiedAt: new Date() },
    });
    await passwordSignIn(email, UA.firefoxWindows);
    expect(await mails(email, "new-device")).toHaveLength(0);

    const other = "legacy2@example.com";
    const u2 = await prisma().user.create({
      data: {
        email: other,
        name: "Legacy Two",
        passwordHash: await hashPassword(PASSWORD),
        emailVerifiedAt: new Date(),
      },
    });
    // A session from before the feature: its device is known.
    await createSession(prisma(), {
      userId: u2.id,
      role: "USER",
      device: requesterFor("203.0.113.4", UA.chromeLinux120).device,
    });
    await passwordSignIn(other, UA.chromeLinux131);
    expect(await mails(other, "new-device")).toHaveLength(0);
    await passwordSignIn(other, UA.safariIphone);
    expect(await mails(other, "new-device")).toHaveLength(1);
    expect(user.id).not.toBe(u2.id);
  });
});

describe('"this wasn\'t me"', () => {
  it("ends every session, disables the password and sends a reset; the link is single use, and a forged one changes nothing", async () => {
    const email = "notme@example.com";
    await signUpVerified(email);
    await passwordSignIn(email, UA.chromeLinux120);
    await passwordSignIn(email, UA.firefoxWindows, "192.0.2.66"); // the intruder
    const token = notMeToken((await mails(email, "new-device"))[0]!.text);
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(3);

    // Forged: right id, wrong secret; malformed; another alert id. Nothing changes.
    const [id] = token.split(".");
    for (const forged of [
      `${id}.${"a".repeat(52)}`,
      "nonsense",
      `00000000-0000-7000-8000-000000000000.${token.split(".")[1]}`,
    ]) {
      await expect(reportNotMe(a.deps, { token: forged }, { ip: "203.0.113.9" }, a.clock.now)).rejects.toMatchObject({
        code: "VALIDATION",
      });
    }
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(3);
    expect(await mails(email, "password-reset")).toHaveLength(0);

    const result = await reportNotMe(a.deps, { token }, { ip: "203.0.113.9" }, a.clock.now);
    expect(result.endedSessions).toBe(3);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(0);
    const resets = await mails(email, "password-reset");
    expect(resets).toHaveLength(1);
    // The old password no longer works (the intruder knows it).
    await expect(
      accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor("192.0.2.66", UA.firefoxWindows)),
    ).rejects.toMatchObject({
      code: "VALIDATION",
    });
    // Single use.
    await expect(reportNotMe(a.deps, { token }, { ip: "203.0.113.9" }, a.clock.now)).rejects.toMatchObject({
      code: "VALIDATION",
    });
    // The reset it started works, from the returned link token.
    await accounts.resetPassword(
      a.deps,
      { token: result.resetToken, password: "a brand new harbour password" },
      requesterFor(),
    );
    const after = await accounts.signInWithPassword(
      a.deps,
      { email, password: "a brand new harbour password" },
      requesterFor("203.0.113.2", UA.chromeLinux120),
    );
    expect(after.kind).toBe("signed-in");
    expect(await prisma().securityEvent.count({ where: { kind: "NOT_ME_REPORTED", userId: user.id } })).toBe(1);
  });

  it("expires after 7 days", async () => {
    const email = "notme-late@example.com";
    await signUpVerified(email);
    await passwordSignIn(email, UA.safariIphone);
    const token = notMeToken((await mails(email, "new-device"))[0]!.text);
    const late = new Date(a.clock.now.getTime() + 7 * 24 * 60 * MINUTE + MINUTE);
    await expect(reportNotMe(a.deps, { token }, { ip: "203.0.113.9" }, late)).rejects.toMatchObject({
      code: "VALIDATION",
    });
    expect(await prisma().session.count({ where: { user: { email } } })).toBe(2);
  });
});

describe("temporary lock after repeated failures", () => {
  it("locks password sign-in after 10 failures, emails the owner once, lets a code sign-in through, and EXPIRES; the next lock is longer", async () => {
    const email = "locked@example.com";
    await signUpVerified(email);
    const attacker = (i: number) => requesterFor(`192.0.2.${i}`, UA.firefoxWindows);
    const tryWrong = (i: number) =>
      accounts.signInWithPassword(a.deps, { email, password: `wrong guess ${i}` }, attacker(i)).then(
        () => "ok",
        (e: { code: string; message: string }) => e.code,
      );
    const results: string[] = [];
    for (let i = 1; i <= 11; i++) results.push(await tryWrong(i));
    expect(results.slice(0, 10).every((r) => r === "VALIDATION")).toBe(true);
    expect(results[10]).toBe("RATE_LIMITED");
    // Even the right password waits, with a message that names the way in.
    const locked = await accounts
      .signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor())
      .catch((e: Error) => e);
    expect(locked).toMatchObject({ code: "RATE_LIMITED" });
    expect((locked as Error).message).toContain("Please wait 15 minutes");
    expect((locked as Error).message).toContain("code sent by email");
    expect(await mails(email, "account-locked")).toHaveLength(1);
    expect(await prisma().securityEvent.count({ where: { kind: "ACCOUNT_LOCKED", user: { email } } })).toBe(1);

    // During the lock: an emailed-code sign-in works.
    await accounts.requestLoginCode(a.deps, { email }, requesterFor());
    const viaCode = await accounts.signInWithCode(a.deps, { email, code: await a.lastCode(email) }, requesterFor());
    expect(viaCode.user.name).toBe("Test Person");

    // The lock expires.
    a.clock.advance(14 * MINUTE);
    await expect(
      accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor()),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
    a.clock.advance(2 * MINUTE);
    expect((await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor())).kind).toBe(
      "signed-in",
    );

    // Ten more failures within the day: a 30-minute lock, no second email (at most one every 6 hours).
    for (let i = 12; i <= 21; i++) expect(await tryWrong(i)).toBe("VALIDATION");
    const second = await accounts
      .signInWithPassword(a.deps, { email, password: `wrong again` }, attacker(30))
      .catch((e: Error) => e);
    expect((second as Error).message).toContain("Please wait 30 minutes");
    expect(await mails(email, "account-locked")).toHaveLength(1);
    a.clock.advance(31 * MINUTE);
    expect((await accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor())).kind).toBe(
      "signed-in",
    );
    expect(lockDurationMs(10)).toBe(4 * 60 * MINUTE); // capped
  });

  it("a password reset works during a lock and lifts it; unknown emails lock the same way (no enumeration) and get no mail", async () => {
    const email = "locked-reset@example.com";
    await signUpVerified(email);
    for (let i = 0; i < 11; i++)
      await accounts
        .signInWithPassword(a.deps, { email, password: `nope ${i}` }, requesterFor(`192.0.2.${40 + i}`))
        .catch(() => undefined);
    await expect(
      accounts.signInWithPassword(a.deps, { email, password: PASSWORD }, requesterFor()),
    ).rejects.toMatchObject({ code: "RATE_LIMITED" });
    expect(await mails(email, "account-locked")).toHaveLength(1); // (sent before the reset mail below)
    await accounts.requestPasswordReset(a.deps, { email }, requesterFor());
    await accounts.resetPassword(
      a.deps,
      { email, code: await a.lastCode(email), password: "another calm morning walk" },
      requesterFor(),
    );
    expect(
      (await accounts.signInWithPassword(a.deps, { email, password: "another calm morning walk" }, requesterFor()))
        .kind,
    ).toBe("signed-in");

    const ghost = "ghost-lock@example.com";
    const codes: string[] = [];
    for (let i = 0; i < 11; i++) {
      codes.push(
        await accounts
          .signInWithPassword(a.deps, { email: ghost, password: `nope ${i}` }, requesterFor(`192.0.2.${60 + i}`))
          .then(
            () => "ok",
            (e: { code: string }) => e.code,
          ),
      );
    }
    expect(codes.slice(10)).toEqual(["RATE_LIMITED"]);
    expect(await mails(ghost, "account-locked")).toHaveLength(0);
    // The lock stores no email address.
    expect(JSON.stringify(await prisma().accountLock.findMany())).not.toContain("ghost-lock");
  });
});

describe("security feed", () => {
  it("shows failures on many accounts from one IP, bursts of failures and codes requested in bulk; raw signals only on request", async () => {
    const ip = "192.0.2.200";
    for (let i = 0; i < 5; i++) {
      await accounts
        .signInWithPassword(a.deps, { email: `target${i}@example.com`, password: "guessing away" }, requesterFor(ip))
        .catch(() => undefined);
    }
    const codeIp = "192.0.2.201";
    for (let i = 0; i < 10; i++)
      await accounts.requestLoginCode(a.deps, { email: `bulk${i}@example.com` }, requesterFor(codeIp));
    const burstIp = "192.0.2.202";
    for (let i = 0; i < 20; i++) {
      await recordSignInFailure(
        prisma(),
        { ip: burstIp, accountKey: "same-account", userId: null, method: "password" },
        a.clock.now,
      );
    }

    const feed = await listSecurityFeed(prisma(), { limit: 200 });
    const of = (kind: string, forIp: string) => feed.events.filter((e) => e.kind === kind && e.ip === forIp);
    expect(of("MANY_ACCOUNTS_FROM_IP", ip)).toHaveLength(1);
    expect(of("CODES_IN_BULK", codeIp)).toHaveLength(1);
    expect(of("FAILURE_BURST", burstIp)).toHaveLength(1);
    // One burst from a single account is not "many accounts".
    expect(of("MANY_ACCOUNTS_FROM_IP", burstIp)).toHaveLength(0);
    expect(feed.events.some((e) => e.kind === "SIGN_IN_FAILED" || e.kind === "CODE_REQUESTED")).toBe(false);
    expect(feed.events.some((e) => e.kind === "ACCOUNT_LOCKED")).toBe(true);
    // No email address anywhere in the feed or the table.
    const all = JSON.stringify(await prisma().securityEvent.findMany());
    expect(all).not.toContain("target0@example.com");
    expect(all).not.toContain("bulk0@example.com");
    const raw = await listSecurityFeed(prisma(), { kinds: ["SIGN_IN_FAILED"], ip });
    expect(raw.events).toHaveLength(5);
  });

  it("keeps raw signals 7 days and events 90 days", async () => {
    const now = new Date(Date.UTC(2027, 5, 1));
    const at = (days: number) => new Date(now.getTime() - days * 24 * 60 * MINUTE);
    await recordSecurityEvent(prisma(), { kind: "SIGN_IN_FAILED", ip: "192.0.2.250", detail: "old-signal" }, at(8));
    await recordSecurityEvent(prisma(), { kind: "SIGN_IN_FAILED", ip: "192.0.2.250", detail: "young-signal" }, at(6));
    await recordSecurityEvent(prisma(), { kind: "FAILURE_BURST", ip: "192.0.2.250", detail: "old-event" }, at(91));
    await recordSecurityEvent(prisma(), { kind: "FAILURE_BURST", ip: "192.0.2.250", detail: "young-event" }, at(60));
    await purgeSecurityEvents(prisma(), now);
    const left = (await prisma().securityEvent.findMany({ where: { ip: "192.0.2.250" }, select: { detail: true } }))
      .map((e) => e.detail)
      .sort();
    expect(left).toEqual(["young-event", "young-signal"]);
  });
});
