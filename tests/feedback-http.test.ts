// Reviews, surveys and the usage beacon at the HTTP edge (privacy promises P4, P6, P16): the real server and the
// production Remix build. Review routes check the session and scope by owner (another person's booking is a 404,
// a session that has not taken place is refused); the public profile shows the rating at once from 3 reviews (the
// anonymous page cache is cleared); POST /metrics stores nothing identifying, even with a session cookie and an
// X-Forwarded-For address, and is rate-limited per IP without storing the IP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../core/identity/password.ts";
import { bookingAt, publishedExpert } from "./helpers/bookings.ts";
import { Browser, untilCache, pageText } from "./helpers/http.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const PASSWORD = "quiet lantern by the sea";
let srv: TestServer;
let passwordHash: string;
const prisma = () => srv.running.services.db.prisma;
beforeAll(async () => {
  [srv, passwordHash] = await Promise.all([startTestServer({ TRUST_PROXY: "1" }), hashPassword(PASSWORD)]);
  await prisma().category.create({ data: { slug: "sleep", name: "Sleep", description: "Support for sleep." } });
});
afterAll(async () => {
  await srv?.stop();
});

let n = 0;
const nextIp = () => `198.51.100.${++n}`;
async function signedIn() {
  const email = `person${++n}@example.com`;
  const user = await prisma().user.create({
    data: { email, name: `Person Number${n}`, passwordHash, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const b = new Browser(srv, { ip: nextIp() });
  const res = await b.post("/login", { email, password: PASSWORD });
  expect(res.status).toBe(302);
  return { b, id: user.id, email, name: `Person Number${n}` };
}
const expert = (slug: string) => publishedExpert(srv, { slug, category: "sleep" });
let slot = 0;
/** A booking 20 days ago (a past session to review) unless the test says otherwise. */
const booking = (userId: string, expertId: string, status: "COMPLETED" | "CONFIRMED" = "COMPLETED") =>
  bookingAt(srv, {
    userId,
    expertId,
    category: "sleep",
    status,
    startsAt: new Date(Date.now() - 20 * 86_400_000 + ++slot * 2 * 3_600_000),
  });

describe("review routes", () => {
  it("the list of past sessions says which ones this person has reviewed", async () => {
    const e = await expert("list-expert");
    const me = await signedIn();
    const reviewed = await booking(me.id, e.id);
    const notYet = await booking(me.id, e.id);
    expect((await me.b.post(`/sessions/${reviewed.id}/review`, { intent: "create", rating: "5" })).status).toBe(200);
    const html = await (await me.b.get("/sessions")).text();
    const linkText = (id: string) => new RegExp(`href="/sessions/${id}/review"[^>]*>([^<]*)<`).exec(html)?.[1]?.trim();
    expect(linkText(reviewed.id)).toBe("Your review");
    expect(linkText(notYet.id)).toBe("Rate this session");
  });

  it("need a session: anonymous GET and POST redirect to sign in", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    const path = "/sessions/00000000-0000-7000-8000-000000000000/review";
    expect((await b.get(path)).headers.get("location")).toBe(`/login?next=${encodeURIComponent(path)}`);
    expect((await b.post(path, { intent: "create", rating: "5" })).status).toBe(302);
  });

  it("refuse another user's booking (404) and a session that has not taken place; nothing is stored", async () => {
    const e = await expert("refusals-expert");
    const owner = await signedIn();
    const other = await signedIn();
    const done = await booking(owner.id, e.id);
    const upcoming = await booking(owner.id, e.id, "CONFIRMED");
    const path = `/sessions/${done.id}/review`;
    expect((await other.b.get(path)).status).toBe(404);
    for (const intent of ["create", "update", "delete"]) {
      expect((await other.b.post(path, { intent, rating: "1", comment: "intrusion" })).status, intent).toBe(404);
    }
    expect((await owner.b.post(`/sessions/${upcoming.id}/review`, { intent: "create", rating: "5" })).status).toBe(412);
    expect(await pageText(await owner.b.get(`/sessions/${upcoming.id}/review`))).toContain("once it has taken place");
    expect(await prisma().review.count({ where: { bookingId: { in: [done.id, upcoming.id] } } })).toBe(0);

    // The owner may, once; the survey answers are stored apart, with no link.
    const surveysBefore = await prisma().surveyResponse.count();
    const res = await owner.b.post(path, {
      intent: "create",
      rating: "4",
      comment: "Very kind.",
      q_booking_ease: "5",
      q_improve: "Nothing",
    });
    expect(res.status).toBe(200);
    expect(await owner.b.post(path, { intent: "create", rating: "1" }).then((r) => r.status)).toBe(409);
    expect(
      await prisma().review.findUniqueOrThrow({
        where: { bookingId: done.id },
        select: { rating: true, comment: true, authorId: true },
      }),
    ).toEqual({ rating: 4, comment: "Very kind.", authorId: owner.id });
    expect(await prisma().surveyResponse.count()).toBe(surveysBefore + 1);
    // Past sessions link to it.
    expect(await pageText(await owner.b.get("/sessions"))).toContain("Your review");
  });

  it("the public profile shows the rating from the 3rd review at once (page cache cleared), without names", async () => {
    const e = await expert("rated-expert");
    const visitor = new Browser(srv, { ip: nextIp() });
    const people = [await signedIn(), await signedIn(), await signedIn()];
    for (const p of people.slice(0, 2)) {
      const b = await booking(p.id, e.id);
      expect(
        (
          await p.b.post(`/sessions/${b.id}/review`, {
            intent: "create",
            rating: "5",
            comment: `Lovely ${p.id.slice(0, 4)}`,
          })
        ).status,
      ).toBe(200);
    }
    const before = await untilCache("HIT", () => visitor.get("/experts/rated-expert"));
    expect(before.headers.get("x-cache")).toBe("HIT");
    expect(await pageText(before)).toContain("Not shown yet");
    const third = await booking(people[2]!.id, e.id);
    expect((await people[2]!.b.post(`/sessions/${third.id}/review`, { intent: "create", rating: "2" })).status).toBe(
      200,
    );
    const after = await visitor.get("/experts/rated-expert");
    const text = await pageText(after);
    expect(text).toContain("4.0 out of 5, from 3 reviews");
    for (const p of people) {
      expect(text).not.toContain(p.name);
      expect(text).not.toContain(p.email);
    }
  });
});

describe("general survey", () => {
  it("anyone may answer; every answer is optional; the stored row has no person", async () => {
    const b = new Browser(srv, { ip: nextIp() });
    const before = await prisma().surveyResponse.count();
    expect((await b.post("/feedback", {})).status).toBe(200);
    expect(await prisma().surveyResponse.count()).toBe(before);
    const p = await signedIn();
    expect((await p.b.post("/feedback", { q_satisfaction: "4", q_improve: "More languages" })).status).toBe(200);
    const rows = await srv.running.services.db.sql.query<Record<string, unknown>>(`SELECT * FROM "SurveyResponse"`);
    expect(JSON.stringify(rows)).not.toContain(p.id);
    expect(JSON.stringify(rows)).toContain("More languages");
    expect((await b.post("/feedback", { q_satisfaction: "9" })).status).toBe(400);
  });
});

describe("POST /metrics", () => {
  const VISIT = "3f2b9c1e-8d4a-4b6f-a1c2-d3e4f5a6b7c8";
  const batch = (path: string) =>
    JSON.stringify({
      visitId: VISIT,
      events: [
        { kind: "view", path, from: "/?ref=mail" },
        { kind: "click", path, target: "book-from-profile" },
      ],
    });

  it("stores nothing identifying even with a session cookie and X-Forwarded-For: no user id, no IP, no query string", async () => {
    const p = await signedIn();
    const ip = "203.0.113.199";
    const res = await fetch(`${srv.url}/metrics`, {
      method: "POST",
      headers: {
        "content-type": "text/plain",
        cookie: [...p.b.cookies].map(([k, v]) => `${k}=${v}`).join("; "),
        "x-forwarded-for": ip,
      },
      body: batch(`/experts?email=${encodeURIComponent(p.email)}`),
    });
    expect(res.status).toBe(204);
    const rows = await srv.running.services.db.sql.query<Record<string, unknown>>(
      `SELECT * FROM "UsageEvent" WHERE "visitId" = $1`,
      [VISIT],
    );
    expect(rows.map((r) => [r.kind, r.path, r.target])).toEqual(
      expect.arrayContaining([
        ["VIEW", "/experts", "/"],
        ["CLICK", "/experts", "book-from-profile"],
      ]),
    );
    expect(Object.keys(rows[0]!).sort()).toEqual(["at", "id", "kind", "ms", "path", "target", "visitId"]);
    // Nowhere in the database: not in the events, not in the rate-limit counters.
    const dump =
      JSON.stringify(await srv.running.services.db.sql.query(`SELECT * FROM "UsageEvent"`)) +
      JSON.stringify(await srv.running.services.db.sql.query(`SELECT key FROM "RateLimiterFlexible"`));
    for (const secret of [ip, p.id, p.email, encodeURIComponent(p.email)]) expect(dump).not.toContain(secret);
  });

  it("answers 204 and stores nothing for a malformed batch; application/json works too; 413 over 16 KB", async () => {
    const count = () => prisma().usageEvent.count();
    const before = await count();
    for (const body of [
      "not json",
      JSON.stringify({ visitId: VISIT, events: [{ kind: "view", path: "javascript:alert(1)" }] }),
      JSON.stringify({ visitId: "x", events: [] }),
    ]) {
      expect(
        (
          await fetch(`${srv.url}/metrics`, {
            method: "POST",
            headers: { "content-type": "text/plain", "x-forwarded-for": "203.0.113.50" },
            body,
          })
        ).status,
      ).toBe(204);
    }
    expect(await count()).toBe(before);
    expect(
      (
        await fetch(`${srv.url}/metrics`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": "203.0.113.50" },
          body: batch("/privacy"),
        })
      ).status,
    ).toBe(204);
    expect(await count()).toBe(before + 2);
    expect(
      (
        await fetch(`${srv.url}/metrics`, {
          method: "POST",
          headers: { "content-type": "text/plain", "x-forwarded-for": "203.0.113.50" },
          body: "x".repeat(20_000),
        })
      ).status,
    ).toBe(413);
  });

  it("is rate-limited per IP (429), other addresses unaffected; a cross-site post is refused", async () => {
    const post = (ip: string) =>
      fetch(`${srv.url}/metrics`, {
        method: "POST",
        headers: { "content-type": "text/plain", "x-forwarded-for": ip },
        body: "{}",
      });
    const statuses: number[] = [];
    for (let i = 0; i < 125; i++) statuses.push((await post("203.0.113.77")).status);
    expect(statuses.slice(0, 120).every((s) => s === 204)).toBe(true);
    expect(statuses.slice(120)).toEqual([429, 429, 429, 429, 429]);
    expect((await post("203.0.113.78")).status).toBe(204);
    const cross = await fetch(`${srv.url}/metrics`, {
      method: "POST",
      headers: { "content-type": "text/plain", origin: "https://evil.example", "sec-fetch-site": "cross-site" },
      body: batch("/"),
    });
    expect(cross.status).toBe(403);
  });
});
