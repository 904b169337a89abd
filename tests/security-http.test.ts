// Error reports (P7) and "this wasn't me" (P14) at the HTTP edge: the real server and production build.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, outbox, pageText } from "./helpers/http.ts";
import { nextIp, person, signIn as signInWith } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
});
afterAll(async () => {
  await srv?.stop();
});
const prisma = () => srv.running.services.db.prisma;

const createUser = (email: string) => person(srv, email);
const signIn = (email: string, userAgent?: string, ip = nextIp()) => signInWith(srv, email, { ip, userAgent });

/** A POST as the error reporter sends it: JSON, same origin. */
function report(b: Browser, body: unknown, ip: string, extra: Record<string, string> = {}) {
  const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  return fetch(`${srv.url}/errors`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      origin: srv.url,
      "sec-fetch-site": "same-origin",
      "x-forwarded-for": ip,
      ...(cookie ? { cookie } : {}),
      ...extra,
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

describe("POST /errors", () => {
  it("stores the report scrubbed, with no user, IP or cookie, even from a signed-in browser", async () => {
    const email = "reporter@example.com";
    const user = await createUser(email);
    const b = await signIn(email);
    const token = b.cookies.get("mn_session")!;
    const ip = "203.0.113.150";
    const res = await report(
      b,
      {
        kind: "CLIENT_CRASH",
        message:
          `TypeError: cannot read 'x' for ${email}, code 48213907, token ${token}, ` +
          "jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
        location: "/reset-password?token=s3cr3tvalue&email=reporter%40example.com",
        stack: `Error\n    at http://localhost/account?email=${email}:1:2`,
      },
      ip,
    );
    expect(res.status).toBe(204);
    const rows = await prisma().errorReport.findMany();
    expect(rows).toHaveLength(1);
    const stored = JSON.stringify(rows);
    for (const secret of [
      email,
      "reporter",
      "48213907",
      token,
      token.split(".")[0]!,
      token.split(".")[1]!,
      "eyJhbGci",
      "s3cr3tvalue",
      ip,
      user.id,
    ]) {
      expect(stored, secret).not.toContain(secret);
    }
    expect(rows[0]).toMatchObject({ kind: "CLIENT_CRASH", location: "/reset-password" });
    expect(rows[0]!.message).toContain("TypeError: cannot read 'x' for [email]");
    // Not even the rate-limit counters hold the IP.
    const counters = await prisma().rateLimiterFlexible.findMany({
      where: { key: { startsWith: "errors:ip" } },
      select: { key: true },
    });
    expect(counters.length).toBeGreaterThan(0);
    expect(JSON.stringify(counters)).not.toContain(ip);
    expect(JSON.stringify(await prisma().rateLimiterFlexible.findMany({ select: { key: true } }))).not.toContain(ip);
  });

  it("refuses malformed, server-kind and oversized reports, and cross-site posts; limits each IP", async () => {
    const b = new Browser(srv);
    const ip = "203.0.113.151";
    expect((await report(b, "not json", ip)).status).toBe(400);
    expect((await report(b, { kind: "SERVER_ERROR", message: "forged" }, ip)).status).toBe(400);
    expect((await report(b, { kind: "CLIENT_CRASH" }, ip)).status).toBe(400);
    expect((await report(b, { kind: "CLIENT_CRASH", message: "x".repeat(20_000) }, ip)).status).toBe(413);
    expect(
      (
        await report(b, { kind: "CLIENT_CRASH", message: "from elsewhere" }, ip, {
          origin: "https://evil.example",
          "sec-fetch-site": "cross-site",
        })
      ).status,
    ).toBe(403);
    expect(await prisma().errorReport.count({ where: { message: { in: ["forged", "from elsewhere"] } } })).toBe(0);

    const flood = "203.0.113.152";
    const statuses: number[] = [];
    for (let i = 0; i < 32; i++)
      statuses.push(
        (await report(b, { kind: "API_FAILURE", message: `GET /x answered 502 (${i})`, status: 502 }, flood)).status,
      );
    expect(statuses.slice(0, 30).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(30)).toEqual([429, 429]);
    // Another network is not affected.
    expect(
      (await report(b, { kind: "API_FAILURE", message: "GET /y answered 503", status: 503 }, "203.0.113.153")).status,
    ).toBe(204);
  });
});

describe("/security/not-me", () => {
  it("opening the link changes nothing; a forged token is refused; the real one ends every session, once, and leads to a new password", async () => {
    const email = "notme-http@example.com";
    const user = await createUser(email);
    const mine = await signIn(email); // first sign-in: no alert
    await signIn(email, FIREFOX, "192.0.2.77"); // a new device: alert
    const alert = (await outbox(srv)).find((m) => m.to === email && m.template === "new-device");
    expect(alert).toBeDefined();
    expect((await outbox(srv)).filter((m) => m.to === email && m.template === "new-device")).toHaveLength(1);
    const link = /\/security\/not-me\?token=(\S+)/.exec(alert!.text)!;
    const token = link[1]!;
    const sessions = () => prisma().session.count({ where: { userId: user.id } });
    expect(await sessions()).toBe(2);

    // GET only shows the confirmation (mail scanners open links).
    const visitor = new Browser(srv, { ip: nextIp() });
    const page = await visitor.get(`/security/not-me?token=${encodeURIComponent(token)}`);
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("Sign out everywhere and reset my password");
    expect(await sessions()).toBe(2);

    // Forged: nothing changes.
    const forged = await visitor.post("/security/not-me", { token: `${token.split(".")[0]}.${"a".repeat(52)}` });
    expect(forged.status).toBe(400);
    expect(await pageText(forged)).toContain("This link is not valid");
    expect(await sessions()).toBe(2);

    // The real link, even from a browser signed in as someone else: only the link's account is affected.
    const otherEmail = "bystander@example.com";
    const other = await createUser(otherEmail);
    const bystander = await signIn(otherEmail);
    const res = await bystander.post("/security/not-me", { token });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/reset-password\?token=[0-9a-f-]{36}\.[a-z2-7]{52}$/);
    expect(await sessions()).toBe(0);
    expect(await prisma().session.count({ where: { userId: other.id } })).toBe(1);
    expect((await mine.get("/account")).status).toBe(302); // signed out
    expect((await outbox(srv)).some((m) => m.to === email && m.template === "password-reset")).toBe(true);

    // Single use.
    expect((await visitor.post("/security/not-me", { token })).status).toBe(400);

    // The reset page it leads to sets a new password.
    const reset = await visitor.post(res.headers.get("location")!.split("?")[0]!, {
      token: decodeURIComponent(res.headers.get("location")!.split("token=")[1]!),
      password: "a brand new harbour password",
    });
    expect(reset.status).toBe(302);
    expect(reset.headers.get("location")).toBe("/login?reset=1");
  });
});
