// Live rooms at the HTTP edge (server side): the real server, the production Remix build. Proves that the
// routes check the session and the booking's participants themselves, take JSON only, mint tokens only inside the
// join window with exact grants, say plainly when live video is not configured, and that POST /webhooks/livekit
// refuses forged, tampered and stale calls, ignores duplicates, records presences and settles the booking.
// Also: no recording, egress or transcript code exists in the codebase (P9, P10).
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { AccessToken, TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { deriveSessionKeys, generateKeyPair } from "../core/rooms/e2ee.ts";
import { roomIdentity } from "../core/rooms/service.ts";
import { createUser } from "../core/identity/users.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { PASSWORD, signIn } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const MIN = 60_000;
const LIVEKIT = {
  LIVEKIT_URL: "wss://livekit.example.test",
  LIVEKIT_API_KEY: "APIhttptest",
  LIVEKIT_API_SECRET: "an-http-test-secret-long-enough-for-hs256",
};

let srv: TestServer; // LiveKit configured
let bare: TestServer; // no LiveKit settings

interface World {
  expert: { userId: string; id: string; email: string };
  categoryId: string;
}

async function setup(s: TestServer, tag: string): Promise<World> {
  const prisma = s.running.services.db.prisma;
  const category = await createCategory(prisma, {
    slug: "anxiety",
    name: "Anxiety",
    description: "Support for worry and anxious thoughts.",
  });
  return { expert: await newExpert(s, tag), categoryId: category.id };
}

/** Each test around the real clock has its own expert: their bookings never meet another test's. */
async function newExpert(s: TestServer, tag: string): Promise<World["expert"]> {
  const prisma = s.running.services.db.prisma;
  const email = `amara-${tag}@experts.example.com`;
  const profile = await createExpert(prisma, {
    email,
    name: "Amara Expert",
    password: PASSWORD,
    slug: `amara-${tag}`,
    headline: "Calm, practical support",
    bio: "Helps people through worry and change with practical steps.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: ["anxiety"],
    availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
    published: true,
  });
  return { userId: profile.userId, id: profile.id, email };
}

let seq = 0;
async function person(s: TestServer, name: string) {
  const email = `person${++seq}@example.com`;
  const user = await createUser(s.running.services.db.prisma, { email, name, password: PASSWORD, emailVerified: true });
  return { userId: user.id, email };
}

/** A booking straight in the database; far-apart times per test keep the expert's exclusion constraint happy. */
async function book(s: TestServer, w: World, userId: string, startsAt: Date, minutes = 50) {
  return s.running.services.db.prisma.booking.create({
    data: {
      userId,
      expertId: w.expert.id,
      categoryId: w.categoryId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + minutes * MIN),
      blockedUntil: new Date(startsAt.getTime() + (minutes + 10) * MIN),
      roomName: `mn-${crypto.randomBytes(16).toString("hex")}`,
    },
    select: { id: true, roomName: true, startsAt: true, endsAt: true },
  });
}

/** A same-origin fetch from a page of the site, with the browser's cookies. */
async function call(
  b: Browser | null,
  s: TestServer,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  contentType = "application/json",
) {
  const headers: Record<string, string> = { "x-forwarded-for": "198.51.100.250" };
  if (b && b.cookies.size > 0) headers.cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  if (method === "POST") {
    headers.origin = s.url;
    headers["sec-fetch-site"] = "same-origin";
    headers["content-type"] = contentType;
  }
  const res = await fetch(`${s.url}${path}`, {
    method,
    redirect: "manual",
    headers,
    body: method === "POST" ? (typeof body === "string" ? body : JSON.stringify(body ?? {})) : undefined,
  });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = null;
  }
  return { status: res.status, json, headers: res.headers };
}

let world: World;
let bareWorld: World;

beforeAll(async () => {
  [srv, bare] = await Promise.all([
    startTestServer({ TRUST_PROXY: "1", ...LIVEKIT }),
    startTestServer({ TRUST_PROXY: "1" }),
  ]);
  [world, bareWorld] = await Promise.all([setup(srv, "lk"), setup(bare, "bare")]);
}, 300_000);
afterAll(async () => {
  await Promise.all([srv?.stop(), bare?.stop()]);
});

let slot = 0;
/** A start in the far future, for tests that do not depend on the real clock. */
const farStart = () => new Date(Date.UTC(2031, 0, 1) + ++slot * 3 * 60 * MIN);

describe("keys and tokens: only the booking's two participants", () => {
  it("post and read public keys; another user gets 403, an unknown id 404, no session gets 401 JSON, non-JSON gets 415", async () => {
    const ada = await person(srv, "Ada Client");
    const eve = await person(srv, "Eve Other");
    const b = await book(srv, world, ada.userId, farStart());
    const [asAda, asExpert, asEve] = await Promise.all([
      signIn(srv, ada.email),
      signIn(srv, world.expert.email),
      signIn(srv, eve.email),
    ]);
    const [ka, ke, kx] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);

    expect(await call(asAda, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: ka.publicKey })).toMatchObject({
      status: 200,
      json: { publicKey: ka.publicKey },
    });
    expect(await call(asExpert, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: ke.publicKey })).toMatchObject({
      status: 200,
    });
    expect((await call(asAda, srv, "GET", `/sessions/${b.id}/room/keys`)).json).toEqual({
      own: ka.publicKey,
      peer: ke.publicKey,
    });
    expect((await call(asExpert, srv, "GET", `/sessions/${b.id}/room/keys`)).json).toEqual({
      own: ke.publicKey,
      peer: ka.publicKey,
    });

    // Another user: refused (403); an id that does not exist: 404.
    expect((await call(asEve, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: kx.publicKey })).status).toBe(
      403,
    );
    expect((await call(asEve, srv, "GET", `/sessions/${b.id}/room/keys`)).status).toBe(403);
    expect((await call(asEve, srv, "POST", `/sessions/${b.id}/room/token`)).status).toBe(403);
    expect((await call(asEve, srv, "GET", `/sessions/no-such-booking/room/keys`)).status).toBe(404);
    // No session.
    for (const [method, path] of [
      ["POST", "key"],
      ["GET", "keys"],
      ["POST", "token"],
    ] as const) {
      const res = await call(null, srv, method, `/sessions/${b.id}/room/${path}`, { publicKey: kx.publicKey });
      expect(res).toMatchObject({ status: 401, json: { error: "Please sign in." } });
    }
    // JSON only; a bad key is a 400.
    expect(
      (
        await call(
          asAda,
          srv,
          "POST",
          `/sessions/${b.id}/room/key`,
          `publicKey=${kx.publicKey}`,
          "application/x-www-form-urlencoded",
        )
      ).status,
    ).toBe(415);
    expect((await call(asAda, srv, "POST", `/sessions/${b.id}/room/token`, "", "text/plain")).status).toBe(415);
    expect((await call(asAda, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: "nope" })).status).toBe(400);
    expect((await call(asAda, srv, "POST", `/sessions/${b.id}/room/key`, "{not json")).status).toBe(400);
    // Nothing of Eve's reached the database.
    const keys = await srv.running.services.db.prisma.roomParticipantKey.findMany({
      where: { bookingId: b.id },
      select: { publicKey: true },
    });
    expect(keys.map((k) => k.publicKey).sort()).toEqual([ka.publicKey, ke.publicKey].sort());
  });

  it("tokens only in the join window, with exactly the participant grants for the booking's room", async () => {
    const ada = await person(srv, "Ada Lovelace");
    const soon = await book(srv, world, ada.userId, new Date(Date.now() + 5 * MIN));
    const later = await book(srv, world, ada.userId, new Date(Date.now() + 3 * 60 * MIN));
    const asAda = await signIn(srv, ada.email);
    const refused = await call(asAda, srv, "POST", `/sessions/${later.id}/room/token`);
    expect(refused).toMatchObject({
      status: 412,
      json: { error: "The room opens 10 minutes before the session and closes when it ends." },
    });

    const res = await call(asAda, srv, "POST", `/sessions/${soon.id}/room/token`);
    expect(res).toMatchObject({
      status: 200,
      json: {
        url: LIVEKIT.LIVEKIT_URL,
        roomName: soon.roomName,
        expiresAt: new Date(soon.endsAt.getTime() + 5 * MIN).toISOString(),
      },
    });
    expect(res.headers.get("cache-control")).toBe("no-store");
    const claims = await new TokenVerifier(LIVEKIT.LIVEKIT_API_KEY, LIVEKIT.LIVEKIT_API_SECRET).verify(
      String(res.json?.token),
    );
    // A per-booking pseudonym and the first name: no account id, email or surname reaches LiveKit (P17, P27).
    expect(claims.sub).toBe(roomIdentity(soon.id, "USER"));
    expect(claims.name).toBe("Ada");
    expect(JSON.stringify(claims)).not.toMatch(new RegExp(`${ada.userId}|${ada.email}|Lovelace`));
    expect(claims.video).toEqual({
      room: soon.roomName,
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishSources: ["camera", "microphone"],
      canPublishData: false,
      canUpdateOwnMetadata: false,
      roomAdmin: false,
      roomCreate: false,
      roomList: false,
      roomRecord: false,
      hidden: false,
      recorder: false,
    });
    const lifetimeMs = (claims as { exp: number }).exp * 1000 - Date.now();
    expect(Math.abs(lifetimeMs - (soon.endsAt.getTime() + 5 * MIN - Date.now()))).toBeLessThan(10_000);
  });

  it("without LiveKit settings the token answer and the room page say 'Live video is not configured'; keys still work; no webhook route", async () => {
    const ada = await person(bare, "Ada");
    const b = await book(bare, bareWorld, ada.userId, new Date(Date.now() + 5 * MIN));
    const asAda = await signIn(bare, ada.email);
    expect(await call(asAda, bare, "POST", `/sessions/${b.id}/room/token`)).toMatchObject({
      status: 503,
      json: { error: "Live video is not configured" },
    });
    // The room page says so plainly (and still offers the device check and the key agreement).
    const page = await pageText(await asAda.get(`/sessions/${b.id}/room`));
    expect(page).toContain("Live video is not configured on this server.");
    expect(page).toContain("Camera and microphone");
    expect(page).toContain("End-to-end encryption");
    const k = await generateKeyPair();
    expect((await call(asAda, bare, "POST", `/sessions/${b.id}/room/key`, { publicKey: k.publicKey })).status).toBe(
      200,
    );
    expect((await call(asAda, bare, "GET", `/sessions/${b.id}/room/keys`)).json).toEqual({
      own: k.publicKey,
      peer: null,
    });
    const body = JSON.stringify({ event: "room_started", id: "EV_bare", room: { name: b.roomName } });
    const hook = await fetch(`${bare.url}/webhooks/livekit`, {
      method: "POST",
      headers: { "content-type": "application/webhook+json", authorization: await sign(body) },
      body,
    });
    expect(hook.status).toBe(404);
  });
});

// ------------------------------------------------------------------------------------------- webhooks

/** Signs a body the way LiveKit does (and the SDK's own tests): a JWT from our key whose sha256 claim is the body's. */
async function sign(body: string, opts: { secret?: string; apiKey?: string; ttl?: string } = {}) {
  const token = new AccessToken(opts.apiKey ?? LIVEKIT.LIVEKIT_API_KEY, opts.secret ?? LIVEKIT.LIVEKIT_API_SECRET, {
    ttl: opts.ttl ?? "5m",
  });
  token.sha256 = crypto.createHash("sha256").update(body).digest("base64");
  return token.toJwt();
}

async function postHook(body: string, authorization: string | null) {
  const headers: Record<string, string> = { "content-type": "application/webhook+json" };
  if (authorization !== null) headers.authorization = authorization;
  const res = await fetch(`${srv.url}/webhooks/livekit`, { method: "POST", headers, body });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

let eventSeq = 0;
function hookBody(
  event: string,
  roomName: string,
  p?: { identity: string; sid: string; joinedAt: number },
  createdAt = Math.floor(Date.now() / 1000),
) {
  return JSON.stringify({
    event,
    id: `EV_http_${++eventSeq}_${crypto.randomBytes(4).toString("hex")}`,
    createdAt: String(createdAt),
    room: { sid: "RM_x", name: roomName },
    ...(p
      ? {
          participant: {
            sid: p.sid,
            identity: p.identity,
            name: "whoever",
            joinedAt: String(p.joinedAt),
            state: "ACTIVE",
          },
        }
      : {}),
  });
}

async function counts() {
  const prisma = srv.running.services.db.prisma;
  return { events: await prisma.liveKitWebhookEvent.count(), presences: await prisma.sessionPresence.count() };
}

describe("POST /webhooks/livekit", () => {
  it("refuses forged, tampered, stale and unsigned calls with 401, changing nothing", async () => {
    const ada = await person(srv, "Ada");
    const b = await book(srv, world, ada.userId, farStart());
    const body = hookBody("participant_joined", b.roomName, {
      identity: roomIdentity(b.id, "USER"),
      sid: "PA_forged",
      joinedAt: Math.floor(Date.now() / 1000),
    });
    const before = await counts();
    expect((await postHook(body, null)).status).toBe(401);
    expect((await postHook(body, "garbage")).status).toBe(401);
    expect(
      (await postHook(body, await sign(body, { secret: "someone-elses-secret-long-enough-for-hs256" }))).status,
    ).toBe(401);
    expect((await postHook(body, await sign(body, { apiKey: "APIsomeoneelse" }))).status).toBe(401);
    expect((await postHook(body.replace(roomIdentity(b.id, "USER"), "intruder"), await sign(body))).status).toBe(401);
    expect((await postHook(body, await sign(body, { ttl: "10 minutes ago" }))).status).toBe(401);
    const old = hookBody(
      "participant_joined",
      b.roomName,
      { identity: roomIdentity(b.id, "USER"), sid: "PA_old", joinedAt: 1 },
      Math.floor(Date.now() / 1000) - 3600,
    );
    expect((await postHook(old, await sign(old))).status).toBe(401);
    expect(await counts()).toEqual(before);
    expect(srv.logs.some((l) => l.msg === "livekit webhook refused")).toBe(true);
    // Tokens and bodies are not logged.
    expect(JSON.stringify(srv.logs)).not.toContain(body);
  });

  it("records presences, ignores duplicates by event id, and settles the booking COMPLETED with the overlap as duration", async () => {
    const ada = await person(srv, "Ada");
    const w = { ...world, expert: await newExpert(srv, "completed") };
    const nowSec = Math.floor(Date.now() / 1000);
    // The session ended a minute ago: started 51 minutes ago, 50 minutes long.
    const b = await book(srv, w, ada.userId, new Date(nowSec * 1000 - 51 * MIN));
    const start = Math.floor(b.startsAt.getTime() / 1000);
    const joinedUser = hookBody(
      "participant_joined",
      b.roomName,
      { identity: roomIdentity(b.id, "USER"), sid: "PA_u", joinedAt: start },
      nowSec,
    );
    const first = await postHook(joinedUser, await sign(joinedUser));
    expect(first).toEqual({ status: 200, json: { ok: true, outcome: "recorded" } });
    expect(await postHook(joinedUser, await sign(joinedUser))).toEqual({
      status: 200,
      json: { ok: true, outcome: "duplicate" },
    });
    const stranger = hookBody(
      "participant_joined",
      b.roomName,
      { identity: "not-a-participant", sid: "PA_s", joinedAt: start },
      nowSec,
    );
    expect((await postHook(stranger, await sign(stranger))).json).toMatchObject({ outcome: "ignored" });

    const joinedExpert = hookBody(
      "participant_joined",
      b.roomName,
      { identity: roomIdentity(b.id, "EXPERT"), sid: "PA_e", joinedAt: start + 600 },
      nowSec,
    );
    const leftUser = hookBody(
      "participant_left",
      b.roomName,
      { identity: roomIdentity(b.id, "USER"), sid: "PA_u", joinedAt: start },
      nowSec,
    );
    const leftExpert = hookBody(
      "participant_left",
      b.roomName,
      { identity: roomIdentity(b.id, "EXPERT"), sid: "PA_e", joinedAt: start + 600 },
      nowSec,
    );
    const finished = hookBody("room_finished", b.roomName, undefined, nowSec);
    for (const body of [joinedExpert, leftUser, leftExpert, finished])
      expect((await postHook(body, await sign(body))).status).toBe(200);

    const prisma = srv.running.services.db.prisma;
    const presences = await prisma.sessionPresence.findMany({
      where: { bookingId: b.id },
      select: { userId: true, joinedAt: true, leftAt: true },
      orderBy: { joinedAt: "asc" },
    });
    expect(presences).toEqual([
      { userId: ada.userId, joinedAt: new Date(start * 1000), leftAt: new Date(nowSec * 1000) },
      { userId: w.expert.userId, joinedAt: new Date((start + 600) * 1000), leftAt: new Date(nowSec * 1000) },
    ]);
    const settled = await prisma.booking.findUniqueOrThrow({
      where: { id: b.id },
      select: { status: true, metadata: { select: { durationSeconds: true } } },
    });
    expect(settled).toEqual({ status: "COMPLETED", metadata: { durationSeconds: 41 * 60 } });
  });

  it("settles NO_SHOW when only one participant came", async () => {
    const ada = await person(srv, "Ada");
    const w = { ...world, expert: await newExpert(srv, "noshow") };
    const nowSec = Math.floor(Date.now() / 1000);
    const b = await book(srv, w, ada.userId, new Date(nowSec * 1000 - 52 * MIN), 50);
    const start = Math.floor(b.startsAt.getTime() / 1000);
    const joined = hookBody(
      "participant_joined",
      b.roomName,
      { identity: roomIdentity(b.id, "EXPERT"), sid: "PA_e2", joinedAt: start },
      nowSec,
    );
    const finished = hookBody("room_finished", b.roomName, undefined, nowSec);
    for (const body of [joined, finished]) expect((await postHook(body, await sign(body))).status).toBe(200);
    const row = await srv.running.services.db.prisma.booking.findUniqueOrThrow({
      where: { id: b.id },
      select: { status: true, metadata: { select: { durationSeconds: true } } },
    });
    expect(row).toEqual({ status: "NO_SHOW", metadata: { durationSeconds: 0 } });
  });
});

describe("the room page and the session records page", () => {
  it("a session list's Join says when the room opens, in each viewer's own zone", async () => {
    const ada = await person(srv, "Ada Zoned");
    await srv.running.services.db.prisma.user.update({ where: { id: ada.userId }, data: { timezone: "Asia/Kolkata" } });
    const expert = await newExpert(srv, "zones"); // in UTC
    const startsAt = farStart();
    await book(srv, { ...world, expert }, ada.userId, startsAt);
    const opens = new Date(startsAt.getTime() - 10 * MIN);
    const clock = (timeZone: string) =>
      new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(
        opens,
      );
    expect(clock("Asia/Kolkata")).not.toBe(clock("UTC"));
    const [asAda, asExpert] = await Promise.all([signIn(srv, ada.email), signIn(srv, expert.email)]);
    for (const path of ["/sessions", "/"]) {
      const html = await pageText(await asAda.get(path));
      expect(html).toContain(`The room opens at ${clock("Asia/Kolkata")}, 10 minutes before the start.`);
    }
    const workspace = await pageText(await asExpert.get("/expert"));
    expect(workspace).toContain(`The room opens at ${clock("UTC")}, 10 minutes before the start.`);
  });

  it("the room page: participants only (403 for another person, 404 for an unknown id, sign-in first), never cached", async () => {
    const ada = await person(srv, "Ada Roomer");
    const eve = await person(srv, "Eve Outsider");
    const b = await book(srv, world, ada.userId, farStart());
    const [asAda, asExpert, asEve] = await Promise.all([
      signIn(srv, ada.email),
      signIn(srv, world.expert.email),
      signIn(srv, eve.email),
    ]);
    const mine = await asAda.get(`/sessions/${b.id}/room`);
    expect(mine.status).toBe(200);
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    const html = await pageText(mine);
    expect(html).toContain("Session with Amara Expert");
    expect(html).toContain("The room opens 10 minutes before the start.");
    expect(await pageText(await asExpert.get(`/sessions/${b.id}/room`))).toContain("Session with Ada");
    const refused = await asEve.get(`/sessions/${b.id}/room`);
    expect(refused.status).toBe(403);
    const refusedHtml = await pageText(refused);
    expect(refusedHtml).toContain("This room is not yours");
    expect(refusedHtml).not.toContain("Ada");
    expect((await asEve.get(`/sessions/no-such-booking/room`)).status).toBe(404);
    const anonymous = await new Browser(srv, { ip: "198.51.100.240" }).get(`/sessions/${b.id}/room`);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/login\?next=/);
  });

  it("every page the expert's browser receives (documents and loader data) carries no client id, email or surname", async () => {
    const ada = await person(srv, "Ada Minimal-Surname");
    const w = { ...world, expert: await newExpert(srv, "payloads") };
    const b = await book(srv, w, ada.userId, farStart());
    // A second booking inside the join window, so the expert's own room token is minted and can be read too.
    const near = await book(srv, w, ada.userId, new Date(Date.now() + 5 * MIN), 50);
    const asExpert = await signIn(srv, w.expert.email);
    const forbidden = [ada.userId, ada.email, "Minimal-Surname"];
    const pages: [string, string][] = [
      ["/expert", "/expert.data?index"],
      // The cancel confirmation names the client: by first name only.
      [`/expert?cancel=${b.id}`, `/expert.data?index&cancel=${b.id}`],
      ["/expert/availability", "/expert/availability.data"],
      ["/expert/profile", "/expert/profile.data"],
      [`/sessions/${b.id}/room`, `/sessions/${b.id}/room.data?index`],
      [`/sessions/${near.id}/room`, `/sessions/${near.id}/room.data?index`],
    ];
    for (const [path, dataPath] of pages) {
      const doc = await asExpert.get(path);
      expect(doc.status, path).toBe(200);
      const html = await doc.text();
      for (const f of forbidden) expect(html, `${path} holds ${f}`).not.toContain(f);
      // What client-side navigation fetches: every matched loader's data (single fetch).
      const data = await asExpert.get(dataPath);
      expect(data.status, dataPath).toBe(200);
      const body = await data.text();
      expect(body.length).toBeGreaterThan(20);
      for (const f of forbidden) expect(body, `${dataPath} holds ${f}`).not.toContain(f);
    }
    // The client is there, by first name, on the list, in the cancel confirmation and in the room.
    expect(await pageText(await asExpert.get("/expert"))).toContain("Ada");
    const confirm = await pageText(await asExpert.get(`/expert?cancel=${b.id}`));
    expect(confirm).toContain("Cancelling cannot be undone");
    expect(confirm).toContain("We will tell Ada by email");
    // The room's JSON answers to the expert: public keys and a token for the expert's own pseudonym.
    for (const booking of [b, near]) {
      const keys = await call(asExpert, srv, "GET", `/sessions/${booking.id}/room/keys`);
      expect(keys.status).toBe(200);
      for (const f of forbidden) expect(JSON.stringify(keys.json)).not.toContain(f);
    }
    const token = await call(asExpert, srv, "POST", `/sessions/${near.id}/room/token`);
    expect(token.status).toBe(200);
    for (const f of forbidden) expect(JSON.stringify(token.json), `the token answer holds ${f}`).not.toContain(f);
    const claims = await new TokenVerifier(LIVEKIT.LIVEKIT_API_KEY, LIVEKIT.LIVEKIT_API_SECRET).verify(
      String(token.json?.token),
    );
    // The expert's own pseudonym and first name; nothing of the client, nor the expert's account id, email or surname.
    expect(claims.sub).toBe(roomIdentity(near.id, "EXPERT"));
    expect(claims.name).toBe("Amara");
    const all = JSON.stringify(claims);
    for (const f of [...forbidden, w.expert.userId, w.expert.email, "Amara Expert"])
      expect(all, `the expert's token holds ${f}`).not.toContain(f);
    expect(all).not.toContain("Ada");
  });

  it("the room page's first download has no livekit-client; the E2EE worker is served from our origin; the CSP admits the configured LiveKit server only", async () => {
    const ada = await person(srv, "Ada Assets");
    const b = await book(srv, world, ada.userId, farStart());
    const asAda = await signIn(srv, ada.email);
    const res = await asAda.get(`/sessions/${b.id}/room`);
    const html = await pageText(res);
    expect(html).not.toMatch(/livekit-client/);
    const connect = /connect-src ([^;]+)/.exec(res.headers.get("content-security-policy") ?? "")?.[1];
    expect(connect).toBe("'self' wss://livekit.example.test https://livekit.example.test");
    const bareHome = await fetch(`${bare.url}/`);
    expect(/connect-src ([^;]+)/.exec(bareHome.headers.get("content-security-policy") ?? "")?.[1]).toBe("'self'");
    const worker = await fetch(`${srv.url}/vendor/livekit-e2ee-worker.js`);
    expect(worker.status).toBe(200);
    expect(worker.headers.get("content-type")).toMatch(/javascript/);
    const workerCode = await worker.text();
    expect(workerCode).toBe(
      fs.readFileSync(path.resolve("node_modules/livekit-client/dist/livekit-client.e2ee.worker.mjs"), "utf8"),
    );
  });

  it("neither the database nor the logs ever hold the media key: only the two public keys", async () => {
    const ada = await person(srv, "Ada Secret");
    const w = { ...world, expert: await newExpert(srv, "keyscan") };
    const b = await book(srv, w, ada.userId, new Date(Date.now() + 5 * MIN), 50);
    const [asAda, asExpert] = await Promise.all([signIn(srv, ada.email), signIn(srv, w.expert.email)]);
    const [ka, ke] = await Promise.all([generateKeyPair(), generateKeyPair()]);
    await call(asAda, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: ka.publicKey });
    await call(asExpert, srv, "POST", `/sessions/${b.id}/room/key`, { publicKey: ke.publicKey });
    expect((await call(asAda, srv, "POST", `/sessions/${b.id}/room/token`)).status).toBe(200);
    const { peer } = (await call(asAda, srv, "GET", `/sessions/${b.id}/room/keys`)).json as { peer: string };
    const mine = await deriveSessionKeys({
      privateKey: ka.keyPair.privateKey,
      ownPublicKey: ka.publicKey,
      peerPublicKey: peer,
      bookingId: b.id,
    });
    const forms = [
      Buffer.from(mine.mediaKey).toString("base64"),
      Buffer.from(mine.mediaKey).toString("base64url"),
      Buffer.from(mine.mediaKey).toString("hex"),
    ];
    // Every text-like column of every table, as text.
    const prisma = srv.running.services.db.prisma;
    const tables = await prisma.$queryRawUnsafe<{ table_schema: string; table_name: string }[]>(
      "SELECT table_schema, table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' " +
        "AND table_schema NOT IN ('pg_catalog', 'information_schema')",
    );
    let dump = "";
    for (const t of tables) {
      const rows = await prisma.$queryRawUnsafe<{ row: string }[]>(
        `SELECT t::text AS row FROM "${t.table_schema}"."${t.table_name}" t`,
      );
      dump += rows.map((r) => r.row).join("\n");
    }
    expect(dump).toContain(ka.publicKey);
    expect(dump).toContain(ke.publicKey);
    const logs = JSON.stringify(srv.logs);
    for (const f of forms) {
      expect(dump).not.toContain(f);
      expect(logs).not.toContain(f);
    }
    expect(logs).not.toContain(ka.publicKey); // not even public keys are logged
  });

  it("/sessions/records lists only the person's own held sessions: expert, date, times, duration, topic", async () => {
    const ada = await person(srv, "Ada Records");
    const eve = await person(srv, "Eve Records");
    const w = { ...world, expert: await newExpert(srv, "records") };
    const held = await book(srv, w, ada.userId, farStart());
    const prisma = srv.running.services.db.prisma;
    await prisma.booking.update({ where: { id: held.id }, data: { status: "COMPLETED" }, select: { id: true } });
    await prisma.sessionMetadata.create({
      data: { bookingId: held.id, durationSeconds: 41 * 60 },
      select: { bookingId: true },
    });
    const other = await book(srv, w, eve.userId, farStart());
    await prisma.booking.update({ where: { id: other.id }, data: { status: "COMPLETED" }, select: { id: true } });
    const asAda = await signIn(srv, ada.email);
    const html = await pageText(await asAda.get("/sessions/records"));
    expect(html).toContain("What we keep about your sessions");
    expect(html).toContain("Amara Expert");
    expect(html).toContain("41 min");
    expect(html).toContain("Anxiety");
    expect((html.match(/data-testid="session-record"/g) ?? []).length).toBe(1);
    const asEve = await signIn(srv, eve.email);
    const eveHtml = await pageText(await asEve.get("/sessions/records"));
    expect((eveHtml.match(/data-testid="session-record"/g) ?? []).length).toBe(1);
    expect(eveHtml).toContain("Not settled yet");
    const anonymous = await new Browser(srv, { ip: "198.51.100.241" }).get("/sessions/records");
    expect(anonymous.status).toBe(302);
  });
});

describe("settling sessions whose room never finished", () => {
  it("the server schedules rooms.settle every five minutes, and the job settles an ended session from its presences", async () => {
    const prisma = srv.running.services.db.prisma;
    const schedules = await prisma.$queryRawUnsafe<{ name: string; cron: string }[]>(
      "SELECT name, cron FROM pgboss.schedule",
    );
    expect(schedules).toContainEqual({ name: "rooms.settle", cron: "*/5 * * * *" });

    const ada = await person(srv, "Ada");
    const w = { ...world, expert: await newExpert(srv, "settlejob") };
    // Ended 20 minutes ago (past the tokens' margin); nobody's room ever reported "finished".
    const b = await book(srv, w, ada.userId, new Date(Date.now() - 70 * MIN), 50);
    await srv.running.services.jobs.send("rooms.settle", {});
    let status = "CONFIRMED";
    for (let i = 0; i < 60 && status === "CONFIRMED"; i++) {
      await new Promise((r) => setTimeout(r, 500));
      status = (await prisma.booking.findUniqueOrThrow({ where: { id: b.id }, select: { status: true } })).status;
    }
    expect(status).toBe("NO_SHOW");
  }, 60_000);
});

describe("no recording, egress or transcript code (P9, P10)", () => {
  it("the codebase's own source contains none", () => {
    // Every file of the repository's own source, outside docs/ and this test (no git needed: CI images may lack it).
    const skip = new Set([
      "node_modules",
      ".git",
      "build",
      ".cache",
      ".data",
      "test-results",
      "playwright-report",
      "docs",
      "generated",
      // CI's own results: test titles and output, not source.
      ".ci-results",
    ]);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const file = path.join(dir, entry.name);
        if (entry.isDirectory()) {
          // public/build is our compiled output; public/vendor a copy of livekit-client's worker (node_modules).
          if (!skip.has(entry.name) && file !== path.join("public", "build") && file !== path.join("public", "vendor"))
            walk(file);
        } else if (
          /\.(tsx?|jsx?|mjs|cjs|json|prisma|sql|ya?ml|toml|md|css|html|sh)$/.test(entry.name) ||
          entry.name === "Dockerfile"
        ) {
          if (file !== path.join("tests", "rooms-http.test.ts") && entry.name !== "package-lock.json") files.push(file);
        }
      }
    };
    walk(".");
    expect(files.length).toBeGreaterThan(50);
    const hits: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const needle of [
        /EgressClient/,
        /startRoomCompositeEgress/,
        /startTrackEgress/,
        /egress/i,
        /transcri/i,
        /roomRecord\s*:\s*true/,
        /recorder\s*:\s*true/,
      ]) {
        if (needle.test(text)) hits.push(`${file}: ${needle}`);
      }
    }
    expect(hits).toEqual([]);
  });
});
