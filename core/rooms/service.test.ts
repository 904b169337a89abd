// Live rooms, server side, against a real database: who may see a room, post and read keys and get tokens; what the
// webhook records; how a session is settled (COMPLETED / NO_SHOW and its duration); what the user sees (P10).
// Webhook verification (signatures, staleness) is tested here on the core function and over HTTP in
// tests/rooms-http.test.ts.
import crypto from "node:crypto";
import { AccessToken, TokenVerifier } from "livekit-server-sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../catalog/index.ts";
import { isDomainError } from "../errors/index.ts";
import { createUser } from "../identity/users.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { generateKeyPair } from "./e2ee.ts";
import {
  getKeys,
  issueToken,
  listSessionMetadata,
  postPublicKey,
  recordWebhook,
  roomAccess,
  roomIdentity,
  settleBooking,
  settleEndedBookings,
} from "./service.ts";
import { verifyWebhook } from "./webhooks.ts";

let t: TestDatabase;
const db = () => t.db.prisma;
const MIN = 60_000;
const settings = {
  url: "wss://livekit.example",
  apiKey: "APIcoretest",
  apiSecret: "a-core-test-secret-long-enough-for-hs256",
};

let seq = 0;
async function person(name: string) {
  const user = await createUser(db(), {
    email: `p${++seq}@example.com`,
    name,
    password: "quiet lantern by the sea",
    emailVerified: true,
  });
  return { userId: user.id };
}

let expert: { userId: string; id: string };
let categoryId: string;

async function booking(userId: string, startsAt: Date, status: "CONFIRMED" | "CANCELLED" = "CONFIRMED") {
  return db().booking.create({
    data: {
      userId,
      expertId: expert.id,
      categoryId,
      startsAt,
      endsAt: new Date(startsAt.getTime() + 50 * MIN),
      blockedUntil: new Date(startsAt.getTime() + 60 * MIN),
      status,
      roomName: `mn-${crypto.randomBytes(16).toString("hex")}`,
    },
    select: { id: true, roomName: true, startsAt: true, endsAt: true },
  });
}

async function refusal(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (error) {
    if (isDomainError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error("expected a refusal");
}

// Bookings are spread over the future so the expert's exclusion constraint never trips.
let slot = 0;
const nextStart = () => new Date(Date.UTC(2030, 0, 1) + ++slot * 3 * 60 * MIN);

beforeAll(async () => {
  t = await createTestDatabase();
  const category = await createCategory(db(), {
    slug: "anxiety",
    name: "Anxiety",
    description: "Support for worry and anxious thoughts.",
  });
  categoryId = category.id;
  const profile = await createExpert(db(), {
    email: "expert@example.com",
    name: "Amara Expert",
    slug: "amara",
    headline: "Listens well and helps",
    bio: "A calm, experienced practitioner who has helped many people.",
    languages: ["English"],
    timezone: "UTC",
    categorySlugs: ["anxiety"],
    availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
    published: true,
  });
  expert = { userId: profile.userId, id: profile.id };
});
afterAll(async () => {
  await t?.cleanup();
});

describe("room access", () => {
  it("is for the booking's user and its expert only; anyone else gets FORBIDDEN, unknown ids NOT_FOUND", async () => {
    const ada = await person("Ada Client");
    const eve = await person("Eve Other");
    const b = await booking(ada.userId, nextStart());
    const before = new Date(b.startsAt.getTime() - 11 * MIN);
    const asUser = await roomAccess(db(), ada, b.id, before);
    expect(asUser).toMatchObject({
      bookingId: b.id,
      roomName: b.roomName,
      role: "USER",
      you: { name: "Ada Client" },
      peer: { name: "Amara Expert" },
    });
    expect(asUser.join).toEqual({
      opensAt: new Date(b.startsAt.getTime() - 10 * MIN),
      closesAt: b.endsAt,
      open: false,
    });
    const asExpert = await roomAccess(db(), expert, b.id, new Date(b.startsAt.getTime() - 10 * MIN));
    expect(asExpert).toMatchObject({
      role: "EXPERT",
      you: { name: "Amara Expert" },
      peer: { name: "Ada" },
      join: { open: true },
    });
    expect(await refusal(roomAccess(db(), eve, b.id, before))).toMatchObject({ code: "FORBIDDEN" });
    expect(await refusal(roomAccess(db(), ada, "no-such-booking", before))).toMatchObject({ code: "NOT_FOUND" });
  });
});

describe("public keys", () => {
  it("only the two participants post and read them; each sees own + peer; a third person sees nothing", async () => {
    const ada = await person("Ada");
    const eve = await person("Eve");
    const b = await booking(ada.userId, nextStart());
    const now = new Date(b.startsAt.getTime() - 60 * MIN);
    const [ka, ke, kx] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
    expect(await getKeys(db(), ada, b.id)).toEqual({ own: null, peer: null });
    await postPublicKey(db(), ada, { bookingId: b.id, publicKey: ka.publicKey }, now);
    await postPublicKey(db(), expert, { bookingId: b.id, publicKey: ke.publicKey }, now);
    expect(await getKeys(db(), ada, b.id)).toEqual({ own: ka.publicKey, peer: ke.publicKey });
    expect(await getKeys(db(), expert, b.id)).toEqual({ own: ke.publicKey, peer: ka.publicKey });
    expect(await refusal(postPublicKey(db(), eve, { bookingId: b.id, publicKey: kx.publicKey }, now))).toMatchObject({
      code: "FORBIDDEN",
    });
    expect(await refusal(getKeys(db(), eve, b.id))).toMatchObject({ code: "FORBIDDEN" });
    // Only public keys exist in the database for the booking.
    const rows = await db().roomParticipantKey.findMany({
      where: { bookingId: b.id },
      select: { userId: true, publicKey: true },
    });
    expect(rows.map((r) => r.publicKey).sort()).toEqual([ka.publicKey, ke.publicKey].sort());
  });

  it("must be valid P-256 public keys", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const now = new Date(b.startsAt.getTime() - 60 * MIN);
    for (const bad of ["", "not-a-key", "A".repeat(87), 42, null, "x".repeat(500)]) {
      expect(await refusal(postPublicKey(db(), ada, { bookingId: b.id, publicKey: bad }, now))).toMatchObject({
        code: "VALIDATION",
      });
    }
  });

  it("may be replaced by their owner until the session starts; from then on they are fixed", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const [k1, k2, k3] = await Promise.all([generateKeyPair(), generateKeyPair(), generateKeyPair()]);
    expect(
      await postPublicKey(
        db(),
        ada,
        { bookingId: b.id, publicKey: k1.publicKey },
        new Date(b.startsAt.getTime() - 30 * MIN),
      ),
    ).toEqual({
      publicKey: k1.publicKey,
      replaced: false,
    });
    expect(
      await postPublicKey(
        db(),
        ada,
        { bookingId: b.id, publicKey: k2.publicKey },
        new Date(b.startsAt.getTime() - MIN),
      ),
    ).toEqual({
      publicKey: k2.publicKey,
      replaced: true,
    });
    const during = new Date(b.startsAt.getTime() + MIN);
    expect(await postPublicKey(db(), ada, { bookingId: b.id, publicKey: k2.publicKey }, during)).toEqual({
      publicKey: k2.publicKey,
      replaced: false,
    });
    expect(await refusal(postPublicKey(db(), ada, { bookingId: b.id, publicKey: k3.publicKey }, during))).toMatchObject(
      { code: "CONFLICT" },
    );
    expect((await getKeys(db(), ada, b.id)).own).toBe(k2.publicKey);
  });

  it("are refused for a booking that is not CONFIRMED or has ended", async () => {
    const ada = await person("Ada");
    const k = await generateKeyPair();
    const cancelled = await booking(ada.userId, nextStart(), "CANCELLED");
    expect(
      await refusal(
        postPublicKey(
          db(),
          ada,
          { bookingId: cancelled.id, publicKey: k.publicKey },
          new Date(cancelled.startsAt.getTime() - MIN),
        ),
      ),
    ).toMatchObject({ code: "PRECONDITION" });
    const b = await booking(ada.userId, nextStart());
    expect(
      await refusal(postPublicKey(db(), ada, { bookingId: b.id, publicKey: k.publicKey }, b.endsAt)),
    ).toMatchObject({
      code: "PRECONDITION",
      message: "This session has ended.",
    });
  });
});

describe("tokens", () => {
  it("without LiveKit settings: 'Live video is not configured' (keys still work)", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const now = new Date(b.startsAt.getTime() - 5 * MIN);
    expect(await refusal(issueToken(db(), null, ada, b.id, now))).toEqual({
      code: "UNAVAILABLE",
      message: "Live video is not configured",
    });
    const k = await generateKeyPair();
    await postPublicKey(db(), ada, { bookingId: b.id, publicKey: k.publicKey }, now);
    expect((await getKeys(db(), ada, b.id)).own).toBe(k.publicKey);
  });

  it("only for the two participants, only in the join window; identity = a per-booking pseudonym, name = first name", async () => {
    const ada = await person("Ada Lovelace");
    const eve = await person("Eve");
    const b = await booking(ada.userId, nextStart());
    const other = await booking(ada.userId, new Date(b.startsAt.getTime() + 2 * 60 * MIN));
    expect(
      await refusal(issueToken(db(), settings, eve, b.id, new Date(b.startsAt.getTime() - 5 * MIN))),
    ).toMatchObject({ code: "FORBIDDEN" });
    expect(
      await refusal(issueToken(db(), settings, ada, b.id, new Date(b.startsAt.getTime() - 11 * MIN))),
    ).toMatchObject({ code: "PRECONDITION" });
    expect(await refusal(issueToken(db(), settings, ada, b.id, b.endsAt))).toMatchObject({ code: "PRECONDITION" });
    const adaRow = await db().user.findUniqueOrThrow({ where: { id: ada.userId }, select: { email: true } });
    const expertRow = await db().user.findUniqueOrThrow({ where: { id: expert.userId }, select: { email: true } });
    for (const [actor, role, name] of [
      [ada, "USER", "Ada"],
      [expert, "EXPERT", "Amara"],
    ] as const) {
      const issued = await issueToken(db(), settings, actor, b.id, new Date(b.startsAt.getTime() - 10 * MIN));
      expect(issued).toMatchObject({
        url: settings.url,
        roomName: b.roomName,
        expiresAt: new Date(b.endsAt.getTime() + 5 * MIN),
      });
      const claims = await new TokenVerifier(settings.apiKey, settings.apiSecret).verify(issued.token);
      expect(claims.sub).toBe(roomIdentity(b.id, role));
      expect(claims.name).toBe(name);
      expect(claims.video?.room).toBe(b.roomName);
      // Nothing in the whole token (header, claims, metadata) names an account, an email or a surname.
      const decoded = issued.token
        .split(".")
        .slice(0, 2)
        .map((part) => Buffer.from(part, "base64url").toString("utf8"))
        .join("\n");
      for (const secret of [ada.userId, expert.userId, adaRow.email, expertRow.email, "Lovelace", "Expert", b.id]) {
        expect(decoded).not.toContain(secret);
      }
      // Another booking of the same person gets another pseudonym: LiveKit cannot link the two sessions.
      const later = await issueToken(db(), settings, actor, other.id, new Date(other.startsAt.getTime() - 5 * MIN));
      const laterClaims = await new TokenVerifier(settings.apiKey, settings.apiSecret).verify(later.token);
      expect(laterClaims.sub).not.toBe(claims.sub);
    }
  });

  it("the room page's data names the client to the expert by first name and carries no account id", async () => {
    const ada = await person("Ada Lovelace");
    const b = await booking(ada.userId, nextStart());
    const asExpert = await roomAccess(db(), expert, b.id, new Date(b.startsAt.getTime() - 5 * MIN));
    expect(asExpert.peer.name).toBe("Ada");
    expect(asExpert.identity).toBe(roomIdentity(b.id, "EXPERT"));
    expect(JSON.stringify(asExpert)).not.toContain(ada.userId);
    expect(JSON.stringify(asExpert)).not.toContain("Lovelace");
    const asClient = await roomAccess(db(), ada, b.id, new Date(b.startsAt.getTime() - 5 * MIN));
    expect(asClient.peer.name).toBe("Amara Expert");
    expect(JSON.stringify(asClient)).not.toContain(expert.userId);
  });
});

// ------------------------------------------------------------------------------------------- webhooks

let eventSeq = 0;
const ev = (
  event: string,
  roomName: string,
  extra: { identity?: string; sid?: string; at?: Date; joinedAt?: Date } = {},
) => ({
  id: `EV_${++eventSeq}`,
  event,
  roomName,
  createdAt: extra.at,
  participant:
    extra.identity !== undefined
      ? { sid: extra.sid ?? `PA_${extra.identity}`, identity: extra.identity, joinedAt: extra.joinedAt }
      : undefined,
});

describe("webhooks and settling", () => {
  it("each event id is processed once; unknown rooms and identities are ignored", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const joined = ev("participant_joined", b.roomName, { identity: roomIdentity(b.id, "USER"), at: b.startsAt });
    expect(await recordWebhook(db(), joined, b.startsAt)).toBe("recorded");
    expect(await recordWebhook(db(), joined, b.startsAt)).toBe("duplicate");
    expect(
      await recordWebhook(db(), ev("participant_joined", "mn-unknown", { identity: ada.userId }), b.startsAt),
    ).toBe("ignored");
    expect(
      await recordWebhook(db(), ev("participant_joined", b.roomName, { identity: "someone-else" }), b.startsAt),
    ).toBe("ignored");
    // An account id is not an identity any more: only the booking's pseudonyms are recorded.
    expect(await recordWebhook(db(), ev("participant_joined", b.roomName, { identity: ada.userId }), b.startsAt)).toBe(
      "ignored",
    );
    expect(await db().sessionPresence.count({ where: { bookingId: b.id } })).toBe(1);
  });

  it("COMPLETED when both joined, with the duration of their overlap (reconnects counted once, out-of-order leave)", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const s = b.startsAt.getTime();
    const at = (m: number) => new Date(s + m * MIN);
    // The user joins 2 min early, drops at 20, is back at 22 until 45; the expert is there from 0 to 50.
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a1",
        joinedAt: at(-2),
        at: at(-2),
      }),
      at(-2),
    );
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "EXPERT"),
        sid: "PA_e1",
        joinedAt: at(0),
        at: at(0),
      }),
      at(0),
    );
    await recordWebhook(
      db(),
      ev("participant_left", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a1",
        joinedAt: at(-2),
        at: at(20),
      }),
      at(20),
    );
    // The second connection's leave arrives before its join.
    await recordWebhook(
      db(),
      ev("participant_left", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a2",
        joinedAt: at(22),
        at: at(45),
      }),
      at(45),
    );
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a2",
        joinedAt: at(22),
        at: at(22),
      }),
      at(46),
    );
    // Before the end nothing is settled.
    expect(await settleBooking(db(), b.id, at(49))).toBeNull();
    await recordWebhook(
      db(),
      ev("participant_left", b.roomName, {
        identity: roomIdentity(b.id, "EXPERT"),
        sid: "PA_e1",
        joinedAt: at(0),
        at: at(50),
      }),
      at(50),
    );
    await recordWebhook(db(), ev("room_finished", b.roomName, { at: at(51) }), at(51));
    const row = await db().booking.findUniqueOrThrow({
      where: { id: b.id },
      select: { status: true, metadata: { select: { durationSeconds: true } } },
    });
    expect(row).toEqual({ status: "COMPLETED", metadata: { durationSeconds: (20 + 23) * 60 } });
    // Settled once: a later call changes nothing.
    expect(await settleBooking(db(), b.id, at(60))).toBeNull();
  });

  it("NO_SHOW when only one joined; a job settles ended bookings nobody's webhook settled", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const at = (m: number) => new Date(b.startsAt.getTime() + m * MIN);
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "EXPERT"),
        sid: "PA_e",
        joinedAt: at(0),
        at: at(0),
      }),
      at(0),
    );
    expect(await settleBooking(db(), b.id, at(50))).toEqual({ status: "NO_SHOW", durationSeconds: 0 });

    const quiet = await booking(ada.userId, nextStart());
    const after = new Date(quiet.endsAt.getTime() + 10 * MIN);
    expect(await settleEndedBookings(db(), after)).toBeGreaterThanOrEqual(1);
    expect(await db().booking.findUniqueOrThrow({ where: { id: quiet.id }, select: { status: true } })).toEqual({
      status: "NO_SHOW",
    });
  });

  it("an open presence counts at most until the end plus the tokens' margin", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const at = (m: number) => new Date(b.startsAt.getTime() + m * MIN);
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a",
        joinedAt: at(-20),
        at: at(-20),
      }),
      at(-20),
    );
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, {
        identity: roomIdentity(b.id, "EXPERT"),
        sid: "PA_e",
        joinedAt: at(0),
        at: at(0),
      }),
      at(0),
    );
    expect(await settleBooking(db(), b.id, at(120))).toEqual({ status: "COMPLETED", durationSeconds: 55 * 60 });
  });
});

describe("session metadata the user sees (P10)", () => {
  it("is the expert, the date, start and end, the duration and the topic — nothing else", async () => {
    const ada = await person("Ada");
    const b = await booking(ada.userId, nextStart());
    const at = (m: number) => new Date(b.startsAt.getTime() + m * MIN);
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, { identity: roomIdentity(b.id, "USER"), sid: "PA_a", joinedAt: at(0) }),
      at(0),
    );
    await recordWebhook(
      db(),
      ev("participant_joined", b.roomName, { identity: roomIdentity(b.id, "EXPERT"), sid: "PA_e", joinedAt: at(5) }),
      at(5),
    );
    await recordWebhook(
      db(),
      ev("participant_left", b.roomName, {
        identity: roomIdentity(b.id, "USER"),
        sid: "PA_a",
        joinedAt: at(0),
        at: at(50),
      }),
      at(50),
    );
    await recordWebhook(
      db(),
      ev("participant_left", b.roomName, {
        identity: roomIdentity(b.id, "EXPERT"),
        sid: "PA_e",
        joinedAt: at(5),
        at: at(50),
      }),
      at(50),
    );
    await recordWebhook(db(), ev("room_finished", b.roomName, { at: at(51) }), at(51));
    await booking(ada.userId, nextStart()); // upcoming: not a held session
    const list = await listSessionMetadata(db(), ada.userId);
    expect(list).toEqual([
      {
        bookingId: b.id,
        expertName: "Amara Expert",
        topic: "Anxiety",
        date: b.startsAt,
        startsAt: b.startsAt,
        endsAt: b.endsAt,
        durationSeconds: 45 * 60,
      },
    ]);
    expect(await listSessionMetadata(db(), expert.userId)).toEqual([]);
  });
});

describe("webhook verification (core)", () => {
  const sign = async (body: string, secret = settings.apiSecret, ttl: number | string = "5m") => {
    const token = new AccessToken(settings.apiKey, secret, { ttl });
    token.sha256 = crypto.createHash("sha256").update(body).digest("base64");
    return token.toJwt();
  };
  const body = (createdAt = Math.floor(Date.now() / 1000)) =>
    JSON.stringify({
      event: "participant_joined",
      id: "EV_core",
      createdAt: String(createdAt),
      room: { name: "mn-x" },
      participant: { sid: "PA_1", identity: "u1", joinedAt: String(createdAt) },
    });

  it("accepts our own signature and keeps only the fields we use", async () => {
    const raw = body();
    const parsed = await verifyWebhook(settings, raw, await sign(raw));
    expect(parsed).toMatchObject({
      id: "EV_core",
      event: "participant_joined",
      roomName: "mn-x",
      participant: { sid: "PA_1", identity: "u1" },
    });
  });

  it("refuses forged, tampered, stale and missing signatures", async () => {
    const raw = body();
    const refused = async (p: Promise<unknown>) => expect(await refusal(p)).toMatchObject({ code: "UNAUTHENTICATED" });
    await refused(verifyWebhook(settings, raw, null));
    await refused(verifyWebhook(settings, raw, await sign(raw, "another-secret-that-is-long-enough-xxxx")));
    await refused(verifyWebhook(settings, raw.replace("u1", "u2"), await sign(raw)));
    await refused(verifyWebhook(settings, raw, "not-a-jwt"));
    // A token that expired more than the 5-minute tolerance ago.
    await refused(verifyWebhook(settings, raw, await sign(raw, settings.apiSecret, "6 minutes ago")));
    // ... while one inside the tolerance passes.
    await expect(
      verifyWebhook(settings, raw, await sign(raw, settings.apiSecret, "4 minutes ago")),
    ).resolves.toBeTruthy();
    // An event created long ago (a replayed capture with a fresh-looking token).
    const old = body(Math.floor(Date.now() / 1000) - 3600);
    await refused(verifyWebhook(settings, old, await sign(old)));
  });
});
