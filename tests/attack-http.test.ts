// Tests that keep closed the findings of the outside black-box attack (docs/security.md, "Findings of the outside
// attack"). Each describe block replays one finding over real HTTP against the production Remix build; every test
// here failed on the code before its fix.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { describeDevice } from "../core/identity/device.ts";
import { createSession } from "../core/identity/sessions.ts";
import { Browser, lastCode, outbox, pageText } from "./helpers/http.ts";
import { nextIp, PASSWORD, passwordHash, person, signIn as signInWith } from "./helpers/people.ts";
import { startDevAndProdServers, type TestServer } from "./helpers/server.ts";
import { staffWithTotp } from "./helpers/staff.ts";

const ATTACKER_PASSWORD = "mallory owns this account";

let srv: TestServer; // development, behind one trusted proxy: X-Forwarded-For gives each client its own IP
let prod: TestServer; // production settings
let stopServers: () => Promise<void>;

beforeAll(async () => {
  ({ dev: srv, prod, stop: stopServers } = await startDevAndProdServers());
});
afterAll(async () => {
  await stopServers?.();
});

const prisma = () => srv.running.services.db.prisma;

const createUser = (email: string, name?: string, role: "USER" | "SUPPORT" = "USER") =>
  person(srv, email, { name, role });

const signIn = (email: string, password = PASSWORD) => signInWith(srv, email, { password, landing: "/account" });

/** A back-office call as the console makes it: the session cookie, same-origin, over the real tRPC handler. */
function consoleCall(token: string, path: string, input: unknown, method: "GET" | "POST"): Promise<Response> {
  const headers = { cookie: `mn_session=${token}`, "sec-fetch-site": "same-origin", origin: srv.url };
  const url = `${srv.url}/admin/api/trpc/${path}`;
  return method === "GET"
    ? fetch(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`, { headers })
    : fetch(url, {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(input),
      });
}

/** Whether a password signs in to the address (from a fresh browser and IP). */
async function passwordWorks(email: string, password: string): Promise<boolean> {
  const res = await new Browser(srv, { ip: nextIp() }).post("/login", { email, password });
  return res.status === 302 && res.headers.get("location") === "/account";
}

// ----------------------------------------------------------------------------------------------------------

describe("finding 1: nobody keeps a password set before the address was proven (pre-hijacking)", () => {
  it("the victim's later sign-up and code win: the attacker's password and name are gone", async () => {
    const email = "prehijack.one@example.com";
    const attacker = new Browser(srv, { ip: nextIp() });
    expect((await attacker.post("/signup", { name: "Mallory", email, password: ATTACKER_PASSWORD })).status).toBe(302);

    const victim = new Browser(srv, { ip: nextIp() });
    expect((await victim.post("/signup", { name: "Vera Victim", email, password: PASSWORD })).status).toBe(302);
    const res = await victim.post("/verify", { email, code: await lastCode(srv, email) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account?welcome=1");

    expect(await passwordWorks(email, ATTACKER_PASSWORD)).toBe(false);
    expect(await passwordWorks(email, PASSWORD)).toBe(true);
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { name: true } });
    expect(user.name).toBe("Vera Victim");
  });

  it("code sign-in to an account the attacker registered clears the pending password and asks for a new one", async () => {
    const email = "prehijack.two@example.com";
    const attacker = new Browser(srv, { ip: nextIp() });
    await attacker.post("/signup", { name: "Mallory", email, password: ATTACKER_PASSWORD });

    const victim = new Browser(srv, { ip: nextIp() });
    expect((await victim.post("/login/code", { intent: "send", email })).status).toBe(200);
    const res = await victim.post("/login/code", { email, code: await lastCode(srv, email) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account/password?set=1");

    expect(await passwordWorks(email, ATTACKER_PASSWORD)).toBe(false);
    const user = await prisma().user.findUniqueOrThrow({
      where: { email },
      select: { name: true, passwordHash: true, emailVerifiedAt: true },
    });
    expect(user.passwordHash).toBeNull();
    expect(user.name).not.toBe("Mallory");
    expect(user.emailVerifiedAt).not.toBeNull();
    // The page asks for the password, and the new one works.
    expect(await pageText(await victim.get("/account/password?set=1"))).toContain("Choose a password");
    expect((await victim.post("/account/password", { password: "a new calm password" })).status).toBe(200);
    expect(await passwordWorks(email, "a new calm password")).toBe(true);
  });

  it("a code typed in another browser than the sign-up's confirms the address but not that sign-up's password", async () => {
    const email = "prehijack.three@example.com";
    const victim = new Browser(srv, { ip: nextIp() });
    await victim.post("/signup", { name: "Vera Victim", email, password: PASSWORD });
    // The attacker signs up after the victim: the latest sign-up wins, its code alone confirms.
    const attacker = new Browser(srv, { ip: nextIp() });
    await attacker.post("/signup", { name: "Mallory", email, password: ATTACKER_PASSWORD });
    const code = await lastCode(srv, email);

    // The victim types the newest code from their inbox in their own browser.
    const res = await victim.post("/verify", { email, code });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account/password?set=1");
    expect(await passwordWorks(email, ATTACKER_PASSWORD)).toBe(false);
    const user = await prisma().user.findUniqueOrThrow({
      where: { email },
      select: { name: true, passwordHash: true },
    });
    expect(user.passwordHash).toBeNull();
    expect(user.name).not.toBe("Mallory");
  });

  it("every session of the account ends when the address is first confirmed", async () => {
    const email = "prehijack.four@example.com";
    const attacker = new Browser(srv, { ip: nextIp() });
    await attacker.post("/signup", { name: "Mallory", email, password: ATTACKER_PASSWORD });
    await srv.running.services.mailQueue.drain();
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    // A session that existed before the address was proven (however it came to be).
    const { token } = await createSession(prisma(), {
      userId: user.id,
      role: "USER",
      device: describeDevice("Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0", "203.0.113.9"),
    });
    const before = await fetch(`${srv.url}/account`, {
      redirect: "manual",
      headers: { cookie: `mn_session=${token}` },
    });
    expect(before.status).toBe(200);

    const victim = new Browser(srv, { ip: nextIp() });
    await victim.post("/login/code", { intent: "send", email });
    expect((await victim.post("/login/code", { email, code: await lastCode(srv, email) })).status).toBe(302);
    const after = await fetch(`${srv.url}/account`, { redirect: "manual", headers: { cookie: `mn_session=${token}` } });
    expect(after.status).toBe(302);
    expect(await prisma().session.count({ where: { userId: user.id } })).toBe(1); // the victim's own
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 2: `next` never leaves the site and never breaks the sign-in", () => {
  const cases: [string, string][] = [
    ["/./\\evil.example", "/account"],
    ["/.//evil.example", "/account"],
    ["/%2e/\\evil.example", "/account"],
    ["\\\\evil.example", "/account"],
    ["/\\evil.example", "/account"],
    ["//evil.example", "/account"],
    ["https://evil.example/", "/account"],
    ["/sessions/../\\evil.example", "/account"],
    ["/sessions\u2028x", "/account"],
    ["/sessions?x=€", "/sessions?x=%E2%82%AC"],
    ["/sessions#top", "/sessions#top"],
    ["/experts?q=calm", "/experts?q=calm"],
  ];

  it("after a password sign-in", async () => {
    await createUser("next.one@example.com");
    for (const [next, expected] of cases) {
      const b = new Browser(srv, { ip: nextIp() });
      const res = await b.post("/login", { email: "next.one@example.com", password: PASSWORD, next });
      expect(res.status, next).toBe(302);
      expect(res.headers.get("location"), next).toBe(expected);
    }
  });

  it("on the sign-in page of a signed-in person, and after a re-authentication", async () => {
    await createUser("next.two@example.com");
    const b = await signIn("next.two@example.com");
    for (const [next, expected] of cases) {
      for (const page of ["/login", "/login/code"]) {
        const res = await b.get(`${page}?next=${encodeURIComponent(next)}`);
        expect(res.status, `${page} ${next}`).toBe(302);
        expect(res.headers.get("location"), `${page} ${next}`).toBe(expected);
      }
      const re = await b.post("/reauth", { intent: "password", password: PASSWORD, next });
      expect(re.status, `reauth ${next}`).toBe(302);
      expect(re.headers.get("location"), `reauth ${next}`).toBe(expected === "/account" ? "/account" : expected);
    }
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 7: every back-office call, GET included, passes the origin check", () => {
  const url = (path: string) => `${srv.url}/admin/api/trpc/${path}?input=${encodeURIComponent('{"ticketId":"x"}')}`;

  it("a cross-site or header-less GET is refused before any procedure runs, and writes no audit row", async () => {
    await createUser("trpc.user@example.com");
    const b = await signIn("trpc.user@example.com");
    const cookie = `mn_session=${b.cookies.get("mn_session")!}`;
    const before = await prisma().auditEvent.count();
    for (const headers of [
      { cookie, "sec-fetch-site": "cross-site", "sec-fetch-mode": "navigate" },
      { cookie, "sec-fetch-site": "same-site" },
      { cookie },
    ] as Record<string, string>[]) {
      for (const path of ["tickets.get", "privacy.get", "security.feed"]) {
        const res = await fetch(url(path), { headers });
        expect(res.status, `${path} ${JSON.stringify(headers)}`).toBe(403);
        expect(await res.text()).toContain("Cross-origin request refused");
      }
    }
    expect(await prisma().auditEvent.count()).toBe(before);

    // The console's own requests (same-origin, or carrying its header) reach the procedures, which refuse a
    // plain user and audit that refusal.
    const same = await fetch(url("tickets.get"), { headers: { cookie, "sec-fetch-site": "same-origin" } });
    expect(same.status).toBe(403);
    expect(((await same.json()) as { error: { data: { reason: string } } }).error.data.reason).toBe("NOT_STAFF");
    const header = await fetch(url("tickets.get"), { headers: { cookie, "x-mindnamo-console": "1" } });
    expect(header.status).toBe(403);
    expect(await prisma().auditEvent.count()).toBe(before + 2);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 9: production trusts only APP_URL; security.txt; CSP reports to our own origin", () => {
  it("production refuses a POST whose Origin is the request's own Host but not APP_URL", async () => {
    const host = new URL(prod.url).host;
    const res = await fetch(`${prod.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: `http://${host}`, "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40example.com&password=x",
    });
    expect(res.status).toBe(403);
    const ok = await fetch(`${prod.url}/login`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: "https://mindnamo.example", "content-type": "application/x-www-form-urlencoded" },
      body: "email=a%40example.com&password=x",
    });
    expect(ok.status).not.toBe(403);
  });

  it("serves /.well-known/security.txt (RFC 9116) with a contact and an expiry within a year", async () => {
    const res = await fetch(`${prod.url}/.well-known/security.txt`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; charset=utf-8/);
    const text = await res.text();
    expect(text).toMatch(/^Contact: mailto:security@/m);
    expect(text).toMatch(/^Canonical: https:\/\/mindnamo\.example\/\.well-known\/security\.txt$/m);
    const expires = /^Expires: (.+)$/m.exec(text)?.[1];
    expect(expires).toBeDefined();
    const ms = Date.parse(expires!) - Date.now();
    expect(ms).toBeGreaterThan(0);
    expect(ms).toBeLessThanOrEqual(366 * 24 * 60 * 60_000);
  });

  it("the CSP reports to our own origin; reports are stored, counted in the error view, limited and body-capped", async () => {
    const { listErrorGroups } = await import("../core/observability/errors.ts");
    const page = await fetch(`${srv.url}/`);
    const csp = page.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("report-uri /csp-reports");
    expect(csp).toContain("report-to csp");
    expect(page.headers.get("reporting-endpoints")).toBe('csp="http://localhost:3999/csp-reports"');

    const before = await prisma().errorReport.count({ where: { kind: "CSP_VIOLATION" } });
    const legacy = await fetch(`${srv.url}/csp-reports`, {
      method: "POST",
      headers: { "content-type": "application/csp-report", "x-forwarded-for": "203.0.113.200" },
      body: JSON.stringify({
        "csp-report": {
          "document-uri": "http://localhost:3999/account?email=a%40b.example",
          "violated-directive": "script-src-elem",
          "effective-directive": "script-src-elem",
          "blocked-uri": "https://evil.example/x.js",
        },
      }),
    });
    expect(legacy.status).toBe(204);
    const modern = await fetch(`${srv.url}/csp-reports`, {
      method: "POST",
      headers: { "content-type": "application/reports+json", "x-forwarded-for": "203.0.113.200" },
      body: JSON.stringify([
        {
          type: "csp-violation",
          url: "http://localhost:3999/sessions",
          body: { documentURL: "http://localhost:3999/sessions", effectiveDirective: "img-src", blockedURL: "data" },
        },
      ]),
    });
    expect(modern.status).toBe(204);
    const rows = await prisma().errorReport.findMany({ where: { kind: "CSP_VIOLATION" } });
    expect(rows.length - before).toBe(2);
    expect(JSON.stringify(rows)).not.toContain("a%40b.example");
    expect(rows.map((r) => r.location).sort()).toEqual(["/account", "/sessions"]);
    // The console's error view (errors:read) lists them as their own kind, counted.
    const groups = await listErrorGroups(prisma(), { kind: "CSP_VIOLATION" });
    expect(groups.reduce((n, g) => n + g.count, 0)).toBe(2);
    // ...through the console's own back-office call too (`errors.groups`, over HTTP, as an admin).
    const admin = await staffWithTotp(srv, "ADMIN");
    const view = await consoleCall(admin.token, "errors.groups", { kind: "CSP_VIOLATION" }, "GET");
    expect(view.status).toBe(200);
    const listed = ((await view.json()) as { result: { data: { kind: string; count: number; location: string }[] } })
      .result.data;
    expect(listed.every((g) => g.kind === "CSP_VIOLATION")).toBe(true);
    expect(listed.reduce((n, g) => n + g.count, 0)).toBe(2);
    expect(listed.map((g) => g.location).sort()).toEqual(["/account", "/sessions"]);

    const big = await fetch(`${srv.url}/csp-reports`, {
      method: "POST",
      headers: { "content-type": "application/csp-report", "x-forwarded-for": "203.0.113.201" },
      body: JSON.stringify({ "csp-report": { "blocked-uri": "x".repeat(20_000) } }),
    });
    expect(big.status).toBe(413);

    let limited = 0;
    for (let i = 0; i < 40; i++) {
      const r = await fetch(`${srv.url}/csp-reports`, {
        method: "POST",
        headers: { "content-type": "application/csp-report", "x-forwarded-for": "203.0.113.202" },
        body: JSON.stringify({ "csp-report": { "effective-directive": "img-src", "blocked-uri": "inline" } }),
      });
      if (r.status === 429) limited++;
    }
    expect(limited).toBeGreaterThan(0);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 6: the placeholder accounts of erased people cannot be squatted", () => {
  it("the Former client row exists from the migration, with fixed text and no way in", async () => {
    const row = await prisma().user.findUniqueOrThrow({
      where: { email: "former-client@erased.invalid" },
      select: { name: true, passwordHash: true, status: true, emailVerifiedAt: true },
    });
    expect(row).toEqual({ name: "Former client", passwordHash: null, status: "DELETED", emailVerifiedAt: null });
  });

  it("sign-up, email change and invitations refuse reserved addresses", async () => {
    for (const email of ["former-client@erased.invalid", "former-expert-x@erased.invalid", "me@anything.invalid"]) {
      const b = new Browser(srv, { ip: nextIp() });
      const res = await b.post("/signup", { name: "Squatter", email, password: ATTACKER_PASSWORD });
      expect(res.status, email).toBe(400);
      expect(await pageText(res)).toContain("Use an email address that can receive mail.");
    }
    await srv.running.services.mailQueue.drain();
    const row = await prisma().user.findUniqueOrThrow({
      where: { email: "former-client@erased.invalid" },
      select: { name: true, passwordHash: true },
    });
    expect(row).toEqual({ name: "Former client", passwordHash: null });
    expect(await prisma().user.count({ where: { email: "me@anything.invalid" } })).toBe(0);

    // Email change (after a fresh re-authentication: the sign-in just happened).
    await createUser("reserved.change@example.com");
    const b = await signIn("reserved.change@example.com");
    const change = await b.post("/account/email", { intent: "request", email: "former-client@erased.invalid" });
    expect(change.status).toBe(400);
    expect(await pageText(change)).toContain("Use an email address that can receive mail.");

    // Invitations: the console's own call, by an admin with a fresh authenticator code.
    const admin = await staffWithTotp(srv, "ADMIN");
    for (const email of ["former-client@erased.invalid", "former-expert-x@erased.invalid"]) {
      const res = await consoleCall(
        admin.token,
        "staff.invite",
        { email, name: "Squatter", role: "ADMIN", code: admin.codeAt() },
        "POST",
      );
      expect(res.status, email).toBe(400);
      expect(((await res.json()) as { error: { data: { code: string } } }).error.data.code).toBe("BAD_REQUEST");
    }
    const placeholder = await prisma().user.findUniqueOrThrow({
      where: { email: "former-client@erased.invalid" },
      select: { name: true, role: true, passwordHash: true, status: true },
    });
    expect(placeholder).toEqual({ name: "Former client", role: "USER", passwordHash: null, status: "DELETED" });
    expect(await prisma().user.count({ where: { email: "former-expert-x@erased.invalid" } })).toBe(0);
    // The same call with an ordinary address goes through: the refusal above was the address.
    const ok = await consoleCall(
      admin.token,
      "staff.invite",
      { email: "reserved.invitee@example.com", name: "Ivy Invitee", role: "SUPPORT", code: admin.codeAt() },
      "POST",
    );
    expect(ok.status).toBe(200);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 8: code, sign-up, reset and resend requests answer before any account-dependent work", () => {
  it("the account-dependent work starts only once the response has been sent, for each of the four", async () => {
    await createUser("timing.after@example.com");
    await prisma().user.create({
      data: { email: "timing.after.unverified@example.com", name: "U", passwordHash: await passwordHash() },
    });
    const queue = srv.running.services.mailQueue;
    // Responses the server has begun and not yet sent, counted by the server itself.
    let unsent = 0;
    const onRequest = (_req: http.IncomingMessage, res: http.ServerResponse) => {
      unsent++;
      let done = false;
      const sent = () => {
        if (!done) unsent--;
        done = true;
      };
      res.once("finish", sent);
      res.once("close", sent);
    };
    const starts: { label: string; unsent: number }[] = [];
    const defer = queue.defer.bind(queue);
    const spy = vi.spyOn(queue, "defer").mockImplementation((label, answered, work) =>
      defer(label, answered, async () => {
        starts.push({ label, unsent });
        await work();
      }),
    );
    srv.running.server.on("request", onRequest);
    try {
      for (const [path, fields] of [
        ["/login/code", { intent: "send", email: "timing.after@example.com" }],
        ["/forgot-password", { email: "timing.after@example.com" }],
        ["/signup", { name: "Someone", email: "timing.after@example.com", password: PASSWORD }],
        ["/verify", { intent: "resend", email: "timing.after.unverified@example.com" }],
      ] as const) {
        const res = await new Browser(srv, { ip: nextIp() }).post(path, fields);
        expect([200, 302], path).toContain(res.status);
        await res.arrayBuffer();
        await queue.drain();
      }
    } finally {
      srv.running.server.off("request", onRequest);
      spy.mockRestore();
    }
    expect(starts.map((s) => s.label)).toEqual(["login-code", "password-reset", "signup", "resend-verification"]);
    expect(starts.filter((s) => s.unsent > 0)).toEqual([]);
  });

  it("the answer comes before the account is looked up or its code written, for each of the four", async () => {
    await createUser("timing.known@example.com");
    const queue = srv.running.services.mailQueue;
    const codes = () => prisma().emailCode.count({ where: { email: "timing.known@example.com" } });
    const requests: [string, Record<string, string>][] = [
      ["/login/code", { intent: "send", email: "timing.known@example.com" }],
      ["/forgot-password", { email: "timing.known@example.com" }],
      ["/signup", { name: "Someone", email: "timing.known@example.com", password: PASSWORD }],
      ["/verify", { intent: "resend", email: "timing.unverified@example.com" }],
    ];
    // An unverified account for the resend.
    await prisma().user.create({
      data: { email: "timing.unverified@example.com", name: "U", passwordHash: await passwordHash() },
    });

    for (const [path, fields] of requests) {
      const release = queue.hold();
      const before = await codes();
      const unverifiedBefore = await prisma().emailCode.count({ where: { email: "timing.unverified@example.com" } });
      const res = await new Browser(srv, { ip: nextIp() }).post(path, fields);
      expect([200, 302], path).toContain(res.status);
      // Answered: nothing that depends on the account has happened yet.
      expect(await codes(), path).toBe(before);
      expect(await prisma().emailCode.count({ where: { email: "timing.unverified@example.com" } }), path).toBe(
        unverifiedBefore,
      );
      release();
      await queue.drain();
    }
    // After the answers, the work was done: a login code, a reset code, a resend code (sign-up of a taken
    // address sends a notice, no code).
    expect(await codes()).toBe(2);
    expect(await prisma().emailCode.count({ where: { email: "timing.unverified@example.com" } })).toBe(1);
    const templates = (await outbox(srv)).filter((m) => m.to === "timing.known@example.com").map((m) => m.template);
    expect(templates).toContain("signup-existing");
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 3: the owner always has a door", () => {
  it("after the attack from rotating IPs, the owner's browser signs in by password and by code, and gets a working reset link", async () => {
    const email = "owner.door@example.com";
    await createUser(email);
    // The owner's own browser: it has signed in here before, then signed out.
    const owner = await signIn(email);
    expect((await owner.post("/logout", {})).status).toBe(302);
    expect(owner.cookies.has("mn_session")).toBe(false);
    const codeRequest = (b: Browser) => b.post("/login/code", { intent: "send", email });
    const resetRequest = (b: Browser) => b.post("/forgot-password", { email });

    // The attack, each request from a new address: code requests until the address's mail budget is used up, five
    // wrong guesses on the last code, eleven wrong passwords, and reset requests until they are refused.
    let codesSent = 0;
    for (; codesSent < 20; codesSent++) {
      const r = await codeRequest(new Browser(srv, { ip: nextIp() }));
      if (r.status === 429) break;
      expect(r.status).toBe(200);
    }
    expect(codesSent).toBe(5); // the per-recipient budget (`mail:recipient`), now used up
    const last = await lastCode(srv, email);
    const wrong = last === "00000000" ? "11111111" : "00000000";
    for (let i = 0; i < 5; i++) await new Browser(srv, { ip: nextIp() }).post("/login/code", { email, code: wrong });
    expect((await new Browser(srv, { ip: nextIp() }).post("/login/code", { email, code: last })).status).toBe(429);
    for (let i = 0; i < 11; i++)
      await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: "not the password" });
    expect((await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: PASSWORD })).status).toBe(429);
    let resetsSent = 0;
    for (; resetsSent < 20; resetsSent++) {
      const r = await resetRequest(new Browser(srv, { ip: nextIp() }));
      if (r.status === 429) break;
      expect(r.status).toBe(200);
    }
    expect(resetsSent).toBe(5); // the reset budget (`mail:reset`), now used up
    // Every reset link mailed during the attack is still valid (each for its hour).
    await srv.running.services.mailQueue.drain();
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    const validResetLinks = () =>
      prisma().emailCode.count({
        where: { userId: user.id, purpose: "RESET_PASSWORD", consumedAt: null, expiresAt: { gt: new Date() } },
      });
    expect(await validResetLinks()).toBe(5);

    // The owner's browser: the password works.
    const pw = await owner.post("/login", { email, password: PASSWORD });
    expect(pw.status).toBe(302);
    expect(pw.headers.get("location")).toBe("/account");
    expect((await owner.post("/logout", {})).status).toBe(302);

    // The owner's browser: a new code is sent although the address's budget is used up, and it works (each code
    // has its own lock). A fresh browser is still refused.
    expect((await codeRequest(new Browser(srv, { ip: nextIp() }))).status).toBe(429);
    expect((await codeRequest(owner)).status).toBe(200);
    const fresh = await lastCode(srv, email);
    expect(fresh).not.toBe(last);
    expect((await codeRequest(new Browser(srv, { ip: nextIp() }))).status).toBe(429);
    const byCode = await owner.post("/login/code", { email, code: fresh });
    expect(byCode.status).toBe(302);
    expect(byCode.headers.get("location")).toBe("/account");
    expect((await owner.post("/logout", {})).status).toBe(302);

    // The owner's browser: a reset request is answered with a new link although the reset budget is used up (a
    // fresh browser is still refused), and the link works.
    // Newest first.
    const resetMails = async () =>
      (await outbox(srv)).filter((m) => m.to === email && m.template === "password-reset").map((m) => m.text);
    const before = (await resetMails()).length;
    expect((await resetRequest(new Browser(srv, { ip: nextIp() }))).status).toBe(429);
    expect((await resetRequest(owner)).status).toBe(200);
    await srv.running.services.mailQueue.drain();
    const mails = await resetMails();
    expect(mails.length).toBe(before + 1);
    const token = /token=([a-z0-9.-]+)/.exec(mails[0]!)?.[1];
    expect(token).toBeDefined();
    const reset = await owner.post("/reset-password", { token: token!, password: "a fresh start for the owner" });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/login?reset=1");
    expect(await passwordWorks(email, "a fresh start for the owner")).toBe(true);
    // The reset used one link and ended the others, the attack's too.
    expect(await validResetLinks()).toBe(0);
    const oldest = /token=([a-z0-9.-]+)/.exec(mails[mails.length - 1]!)?.[1];
    const other = await new Browser(srv, { ip: nextIp() }).post("/reset-password", {
      token: oldest!,
      password: "someone else's choice here",
    });
    expect(other.status).toBe(400);
  });

  it("the signed-in owner can still confirm it's them, by password and by code, after the attack", async () => {
    const email = "owner.door.reauth@example.com";
    await createUser(email);
    const owner = await signIn(email);
    // The attack, each request from a new address: ten wrong passwords (the per-account budget, used up without
    // reaching the lock, which would start a fresh count) and code requests until refused.
    for (let i = 0; i < 10; i++)
      expect(
        (await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: "not the password" })).status,
      ).toBe(400);
    for (let i = 0; i < 20; i++) {
      const r = await new Browser(srv, { ip: nextIp() }).post("/login/code", { intent: "send", email });
      if (r.status === 429) break;
    }
    expect((await new Browser(srv, { ip: nextIp() }).post("/login/code", { intent: "send", email })).status).toBe(429);

    // The owner's session: re-authentication by password works, then by an emailed code.
    const byPassword = await owner.post("/reauth", {
      intent: "password",
      password: PASSWORD,
      next: "/account/password",
    });
    expect(byPassword.status).toBe(302);
    expect(byPassword.headers.get("location")).toBe("/account/password");
    expect((await owner.post("/reauth", { intent: "send-code" })).status).toBe(200);
    expect((await outbox(srv)).find((m) => m.to === email)?.template).toBe("reauth-code");
    const byCode = await owner.post("/reauth", {
      intent: "code",
      code: await lastCode(srv, email),
      next: "/account/password",
    });
    expect(byCode.status).toBe(302);
    expect(byCode.headers.get("location")).toBe("/account/password");

    // The session's own budget still limits guessing from it.
    let refused = false;
    for (let i = 0; i < 11 && !refused; i++)
      refused = (await owner.post("/reauth", { intent: "password", password: "not the password" })).status === 429;
    expect(refused).toBe(true);
  });

  it("another browser gets no such exemption: the lock holds there", async () => {
    const email = "owner.door.two@example.com";
    await createUser(email);
    for (let i = 0; i < 11; i++)
      await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: "not the password" });
    expect((await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: PASSWORD })).status).toBe(429);
    // A forged owner-device cookie is ignored.
    const forged = new Browser(srv, { ip: nextIp() });
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { id: true } });
    forged.cookies.set("mn_device", `${user.id}.${Date.now().toString(36)}.${"a".repeat(26)}.${"0".repeat(43)}`);
    expect((await forged.post("/login", { email, password: PASSWORD })).status).toBe(429);
  });

  it("a password reset closes the door of every browser that had it: an old mark no longer lifts the lock", async () => {
    const email = "owner.door.three@example.com";
    await createUser(email);
    const old = await signIn(email);
    expect((await old.post("/logout", {})).status).toBe(302);
    expect(old.cookies.has("mn_device")).toBe(true);
    // A reset (by the owner, or by whoever reads the mailbox) ends every session and every owner-device mark.
    expect((await new Browser(srv, { ip: nextIp() }).post("/forgot-password", { email })).status).toBe(200);
    const mail = (await outbox(srv)).filter((m) => m.to === email && m.template === "password-reset").pop();
    const token = /token=([a-z0-9.-]+)/.exec(mail?.text ?? "")?.[1];
    expect(token).toBeDefined();
    const fresh = "a new password after the reset";
    expect(
      (await new Browser(srv, { ip: nextIp() }).post("/reset-password", { token: token!, password: fresh })).status,
    ).toBe(302);
    for (let i = 0; i < 11; i++)
      await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: "not the password" });
    // The browser that carried the mark before the reset is now like any other: the lock holds there too.
    expect((await old.post("/login", { email, password: fresh })).status).toBe(429);
    // What ended them: the account's revocation time, which every older mark is compared with.
    const user = await prisma().user.findUniqueOrThrow({ where: { email }, select: { ownerDevicesRevokedAt: true } });
    expect(user.ownerDevicesRevokedAt).not.toBeNull();
  });
});

// ----------------------------------------------------------------------------------------------------------

/**
 * Sends the headers of a POST declaring `declared` bytes, then at most `send` bytes (in 64 KB chunks, stopping
 * as soon as an answer arrives): proves the server answers without reading the rest.
 */
function postDeclared(
  path: string,
  opts: { type: string; declared?: number; send: number; chunked?: boolean; ip?: string },
): Promise<{ status: number; sent: number }> {
  const url = new URL(path, srv.url);
  return new Promise((resolve, reject) => {
    let answered = false;
    let sent = 0;
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: "POST",
        headers: {
          "content-type": opts.type,
          origin: srv.url,
          "sec-fetch-site": "same-origin",
          "x-forwarded-for": opts.ip ?? nextIp(),
          ...(opts.chunked ? { "transfer-encoding": "chunked" } : { "content-length": String(opts.declared) }),
        },
      },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sent });
        req.destroy();
      },
    );
    req.on("error", (e) => (answered ? undefined : reject(e)));
    req.flushHeaders();
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      if (answered || req.destroyed) return;
      if (sent >= opts.send) return opts.chunked ? req.end() : undefined;
      sent += chunk.length;
      req.write(chunk, () => setImmediate(pump));
    };
    pump();
  });
}

describe("finding 4: request bodies are limited before anything reads them", () => {
  it("a 24 MB form, multipart or JSON body is answered 413 after its headers, without the rest being read", async () => {
    const mb24 = 24 * 1024 * 1024;
    for (const [path, type] of [
      ["/login", "application/x-www-form-urlencoded"],
      ["/contact", "multipart/form-data; boundary=x"],
      ["/signup", "application/x-www-form-urlencoded"],
      ["/sessions/00000000-0000-0000-0000-000000000000/room/key", "application/json"],
      ["/account", "multipart/form-data; boundary=x"],
    ] as const) {
      const r = await postDeclared(path, { type, declared: mb24, send: 1024 * 1024 });
      expect(r.status, path).toBe(413);
      expect(r.sent, path).toBeLessThan(mb24);
    }
  });

  it("the limits: 64 KB for forms and JSON, 5 MB for the picture upload; a body without a length gets 411", async () => {
    const over = 64 * 1024 + 1;
    expect(
      (await postDeclared("/login", { type: "application/x-www-form-urlencoded", declared: over, send: 0 })).status,
    ).toBe(413);
    expect((await postDeclared("/help", { type: "application/json", declared: over, send: 0 })).status).toBe(413);
    // The picture upload: 6 MB refused at the edge; 4 MB passes it (and meets the route's own guard: no session).
    expect(
      (await postDeclared("/account", { type: "multipart/form-data; boundary=x", declared: 6 * 1024 * 1024, send: 0 }))
        .status,
    ).toBe(413);
    const under = await postDeclared("/account", {
      type: "multipart/form-data; boundary=x",
      declared: 4 * 1024 * 1024,
      send: 4 * 1024 * 1024,
    });
    expect(under.status).not.toBe(413);
    // Elsewhere a multipart body has the form limit.
    expect(
      (await postDeclared("/contact", { type: "multipart/form-data; boundary=x", declared: over, send: 0 })).status,
    ).toBe(413);
    const chunked = await postDeclared("/login", {
      type: "application/x-www-form-urlencoded",
      chunked: true,
      send: 2 * 1024 * 1024,
    });
    expect(chunked.status).toBe(411);
    expect(chunked.sent).toBeLessThan(2 * 1024 * 1024 + 1);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("finding 5: data exports are limited per account, and a day's exports are one request", () => {
  it("five exports a day (five at once too), then the privacy center says when the next is possible; one ACCESS request", async () => {
    const user = await createUser("export.limit@example.com");
    const b = await signIn("export.limit@example.com"); // a fresh sign-in counts as a re-authentication
    const waitNotice = "You can download it again in about 24 hours.";
    expect(await pageText(await b.get("/account/privacy"))).not.toContain(waitNotice);
    // Five at once: all answered, one ACCESS request.
    const five = await Promise.all(Array.from({ length: 5 }, () => b.post("/account/privacy/export", {})));
    for (const [i, res] of five.entries()) {
      expect(res.status, `export ${i + 1}`).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      await res.arrayBuffer();
    }
    expect(await prisma().privacyRequest.count({ where: { userId: user.id, type: "ACCESS" } })).toBe(1);
    const sixth = await b.post("/account/privacy/export", {});
    expect(sixth.status).toBe(303);
    expect(sixth.headers.get("location")).toBe("/account/privacy?export-wait=24");
    expect(await pageText(await b.get(sixth.headers.get("location")!))).toContain(waitNotice);
    // The page says it on its own too, before any further try.
    expect(await pageText(await b.get("/account/privacy"))).toContain(waitNotice);
    expect(await prisma().privacyRequest.count({ where: { userId: user.id, type: "ACCESS" } })).toBe(1);
    // Another account has its own budget.
    await createUser("export.other@example.com");
    const other = await signIn("export.other@example.com");
    expect(await pageText(await other.get("/account/privacy"))).not.toContain(waitNotice);
    expect((await other.post("/account/privacy/export", {})).status).toBe(200);
  });
});
