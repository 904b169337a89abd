// Live rooms, server side (docs/decisions/0007-live-rooms-e2ee.md). Every function checks who is asking: a
// booking's room belongs to its user and its expert; anyone else signed in gets FORBIDDEN, unknown ids NOT_FOUND.
// The server stores only PUBLIC keys, presences (who was in the room, from when to when) and the settled duration:
// the media key never exists here, and nothing of the media is recorded (privacy promises P9, P10).
import { createHash } from "node:crypto";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { BookingStatus } from "../generated/prisma/enums.ts";
import { DomainError, isUniqueViolation } from "../errors/index.ts";
import { firstName } from "../privacy/minimise.ts";
import { isValidPublicKey } from "./e2ee.ts";
import { isJoinOpen, joinWindow, mintRoomToken, TOKEN_MARGIN_MS, type LiveKitSettings } from "./tokens.ts";
import type { RoomWebhookEvent } from "./webhooks.ts";

/** Who is asking: the signed-in account (a ValidSession fits). */
export interface Actor {
  userId: string;
}

export type RoomRole = "USER" | "EXPERT";

// ------------------------------------------------------------------------------------------- minimum data (P17, P27)

/**
 * The participant's identity in LiveKit: a pseudonym for this booking and this side of it, never an account id.
 * It is a hash of the booking's id (random, never sent to LiveKit, which only sees the random room name) and the
 * role, so the processor cannot link two sessions of one person, and our webhooks still map it back to the booking's
 * client or expert without storing anything.
 */
export function roomIdentity(bookingId: string, role: RoomRole): string {
  const digest = createHash("sha256").update(`mindnamo.room-identity.v1\0${bookingId}\0${role}`).digest("base64url");
  return `${role === "USER" ? "client" : "expert"}-${digest.slice(0, 22)}`;
}

const NOT_FOUND_MESSAGE = "We could not find this session.";
export const NOT_PARTY_MESSAGE = "This session's room is only for the person who booked it and their expert.";
export const NOT_CONFIGURED_MESSAGE = "Live video is not configured";
const idSchema = z.string().trim().min(1).max(64);
const publicKeySchema = z.string().trim().min(1).max(200);

// ------------------------------------------------------------------------------------------- access

const partySelect = {
  id: true,
  userId: true,
  status: true,
  startsAt: true,
  endsAt: true,
  roomName: true,
  user: { select: { name: true } },
  expert: { select: { userId: true, user: { select: { name: true } } } },
} as const;

/** The booking and the actor's part in it; FORBIDDEN when the actor is neither its user nor its expert. */
async function requireParty(db: PrismaClient, actor: Actor, bookingId: unknown) {
  const id = idSchema.safeParse(bookingId);
  if (!id.success) throw new DomainError("NOT_FOUND", NOT_FOUND_MESSAGE);
  const booking = await db.booking.findUnique({ where: { id: id.data }, select: partySelect });
  const role: RoomRole | null = !booking
    ? null
    : booking.userId === actor.userId
      ? "USER"
      : booking.expert.userId === actor.userId
        ? "EXPERT"
        : null;
  if (!booking) throw new DomainError("NOT_FOUND", NOT_FOUND_MESSAGE);
  // A signed-in person who is not one of the two participants is refused outright (403): booking ids are random
  // and unguessable, and "this room is not yours" is the clearer answer for someone holding a forwarded link.
  if (!role) throw new DomainError("FORBIDDEN", NOT_PARTY_MESSAGE);
  const you =
    role === "USER"
      ? { userId: booking.userId, name: booking.user.name }
      : { userId: booking.expert.userId, name: booking.expert.user.name };
  const peer =
    role === "USER"
      ? { userId: booking.expert.userId, name: booking.expert.user.name }
      : { userId: booking.userId, name: booking.user.name };
  return { booking, role, you, peer };
}

export interface RoomAccess {
  bookingId: string;
  roomName: string;
  status: BookingStatus;
  startsAt: Date;
  endsAt: Date;
  join: { opensAt: Date; closesAt: Date; open: boolean };
  role: RoomRole;
  /** The actor's pseudonym in this room (roomIdentity): what the browser may use to tell itself apart. */
  identity: string;
  you: { name: string };
  /** The other participant: the client's first name for the expert, the expert's public name for the client. */
  peer: { name: string };
}

/** What the room page needs: times, the join window now, both names, the room. Only for the two participants. */
export async function roomAccess(
  db: PrismaClient,
  actor: Actor,
  bookingId: unknown,
  now = new Date(),
): Promise<RoomAccess> {
  const { booking, role, you, peer } = await requireParty(db, actor, bookingId);
  const window = joinWindow(booking);
  return {
    bookingId: booking.id,
    roomName: booking.roomName,
    status: booking.status,
    startsAt: booking.startsAt,
    endsAt: booking.endsAt,
    join: { ...window, open: booking.status === "CONFIRMED" && isJoinOpen(booking, now) },
    role,
    identity: roomIdentity(booking.id, role),
    you: { name: you.name },
    // The expert sees the client's first name only (P17); the client sees the expert's public, professional name.
    peer: { name: role === "EXPERT" ? firstName(peer.name) : peer.name },
  };
}

// ------------------------------------------------------------------------------------------- public keys

/**
 * Posts the actor's ECDH P-256 public key for this booking. Only the two participants, only for a CONFIRMED
 * booking that has not ended. A participant may replace their own key until the session starts (a new browser,
 * a cleared IndexedDB); from the start on, the key is fixed: the same key again is accepted, another is refused
 * (CONFLICT), so nobody — not even a stolen session cookie — can swap a key mid-session.
 */
export async function postPublicKey(
  db: PrismaClient,
  actor: Actor,
  { bookingId, publicKey }: { bookingId: unknown; publicKey: unknown },
  now = new Date(),
): Promise<{ publicKey: string; replaced: boolean }> {
  const { booking, you } = await requireParty(db, actor, bookingId);
  const parsed = publicKeySchema.safeParse(publicKey);
  if (!parsed.success || !(await isValidPublicKey(parsed.data))) {
    throw new DomainError("VALIDATION", "This is not a valid P-256 public key.", { field: "publicKey" });
  }
  if (booking.status !== "CONFIRMED") {
    throw new DomainError("PRECONDITION", `This session is ${booking.status.toLowerCase().replace("_", "-")}.`);
  }
  if (now.getTime() >= booking.endsAt.getTime()) throw new DomainError("PRECONDITION", "This session has ended.");
  const key = parsed.data;
  const where = { bookingId_userId: { bookingId: booking.id, userId: you.userId } };
  const existing = await db.roomParticipantKey.findUnique({ where, select: { publicKey: true } });
  if (existing?.publicKey === key) return { publicKey: key, replaced: false };
  if (existing) {
    if (now.getTime() >= booking.startsAt.getTime()) {
      throw new DomainError("CONFLICT", "Your key for this session is fixed once it has started.");
    }
    await db.roomParticipantKey.update({ where, data: { publicKey: key }, select: { id: true } });
    return { publicKey: key, replaced: true };
  }
  try {
    await db.roomParticipantKey.create({
      data: { bookingId: booking.id, userId: you.userId, publicKey: key },
      select: { id: true },
    });
  } catch (error) {
    // A concurrent post of the same participant: the first one wins; the same key is fine.
    if (!isUniqueViolation(error)) throw error;
    const now2 = await db.roomParticipantKey.findUnique({ where, select: { publicKey: true } });
    if (now2?.publicKey !== key)
      throw new DomainError("CONFLICT", "Your key for this session was just set from another window.");
  }
  return { publicKey: key, replaced: false };
}

/** The two public keys of a booking (null until posted), only for its two participants. */
export async function getKeys(
  db: PrismaClient,
  actor: Actor,
  bookingId: unknown,
): Promise<{ own: string | null; peer: string | null }> {
  const { booking, you, peer } = await requireParty(db, actor, bookingId);
  const rows = await db.roomParticipantKey.findMany({
    where: { bookingId: booking.id, userId: { in: [you.userId, peer.userId] } },
    select: { userId: true, publicKey: true },
  });
  return {
    own: rows.find((r) => r.userId === you.userId)?.publicKey ?? null,
    peer: rows.find((r) => r.userId === peer.userId)?.publicKey ?? null,
  };
}

// ------------------------------------------------------------------------------------------- tokens

/** The LiveKit settings from the configuration, or null when live video is not configured. */
export function liveKitSettings(config: {
  LIVEKIT_URL?: string;
  LIVEKIT_API_KEY?: string;
  LIVEKIT_API_SECRET?: string;
}): LiveKitSettings | null {
  const { LIVEKIT_URL: url, LIVEKIT_API_KEY: apiKey, LIVEKIT_API_SECRET: apiSecret } = config;
  return url && apiKey && apiSecret ? { url, apiKey, apiSecret } : null;
}

/**
 * A LiveKit token for the actor, for this booking's room, inside the join window (tokens.ts has the exact
 * grants). Identity: the per-booking pseudonym (roomIdentity; webhooks map it back); name: the first name only.
 * No account id, email or surname reaches LiveKit.
 */
export async function issueToken(
  db: PrismaClient,
  settings: LiveKitSettings | null,
  actor: Actor,
  bookingId: unknown,
  now = new Date(),
): Promise<{ token: string; url: string; expiresAt: Date; roomName: string }> {
  const { booking, role, you } = await requireParty(db, actor, bookingId);
  if (!settings) throw new DomainError("UNAVAILABLE", NOT_CONFIGURED_MESSAGE);
  if (booking.status !== "CONFIRMED") {
    throw new DomainError("PRECONDITION", `This session is ${booking.status.toLowerCase().replace("_", "-")}.`);
  }
  const { token, expiresAt } = await mintRoomToken(
    settings,
    { roomName: booking.roomName, identity: roomIdentity(booking.id, role), displayName: firstName(you.name), booking },
    now,
  );
  return { token, url: settings.url, expiresAt, roomName: booking.roomName };
}

// ------------------------------------------------------------------------------------------- webhooks

export type WebhookOutcome = "duplicate" | "recorded" | "ignored";

/**
 * Records a verified LiveKit webhook event (webhooks.ts verifies and parses it). Each event id is processed once:
 * the insert of its id is unique, a repeated delivery is ignored. participant_joined / participant_left of a
 * booking's room record that participant's presence (identity = the booking's pseudonym of its client or expert,
 * mapped back to the account here; other identities are ignored);
 * room_finished (the room emptied) after the session's end settles the booking; settleEndedBookings, run by a
 * job, settles the ones whose room never finished (nobody came, or a lost webhook).
 */
export async function recordWebhook(
  db: PrismaClient,
  event: RoomWebhookEvent,
  now = new Date(),
): Promise<WebhookOutcome> {
  try {
    await db.liveKitWebhookEvent.create({
      data: { id: event.id, event: event.event, roomName: event.roomName ?? null, receivedAt: now },
      select: { id: true },
    });
  } catch (error) {
    if (isUniqueViolation(error)) return "duplicate";
    throw error;
  }
  if (!event.roomName) return "ignored";
  const booking = await db.booking.findUnique({
    where: { roomName: event.roomName },
    select: { id: true, userId: true, endsAt: true, expert: { select: { userId: true } } },
  });
  if (!booking) return "ignored";
  const at = event.createdAt ?? now;

  if ((event.event === "participant_joined" || event.event === "participant_left") && event.participant) {
    const { identity, sid } = event.participant;
    const userId =
      identity === roomIdentity(booking.id, "USER")
        ? booking.userId
        : identity === roomIdentity(booking.id, "EXPERT")
          ? booking.expert.userId
          : null;
    if (!userId) return "ignored";
    const joinedAt = event.participant.joinedAt ?? at;
    const where = { bookingId_participantSid: { bookingId: booking.id, participantSid: sid } };
    if (event.event === "participant_joined") {
      // A participant_left that arrived first already made the row: keep its times.
      await db.sessionPresence.upsert({
        where,
        create: { bookingId: booking.id, userId, participantSid: sid, joinedAt },
        update: {},
        select: { id: true },
      });
    } else {
      await db.sessionPresence.upsert({
        where,
        create: { bookingId: booking.id, userId, participantSid: sid, joinedAt, leftAt: at },
        update: { leftAt: at },
        select: { id: true },
      });
    }
    return "recorded";
  }
  if (event.event === "room_finished") {
    // The room emptied: nobody is in it any more. Close presences whose participant_left never came.
    await db.sessionPresence.updateMany({ where: { bookingId: booking.id, leftAt: null }, data: { leftAt: at } });
    if (now.getTime() >= booking.endsAt.getTime()) await settleBooking(db, booking.id, now);
    return "recorded";
  }
  return "ignored";
}

// ------------------------------------------------------------------------------------------- settling

type Interval = [number, number];

/** Merges intervals into a sorted list of disjoint ones. */
function union(intervals: Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: Interval[] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Total length of the intersection of two sorted, disjoint interval lists. */
function overlapMs(xs: Interval[], ys: Interval[]): number {
  let total = 0;
  let i = 0;
  let j = 0;
  while (i < xs.length && j < ys.length) {
    const [a1, b1] = xs[i]!;
    const [a2, b2] = ys[j]!;
    total += Math.max(0, Math.min(b1, b2) - Math.max(a1, a2));
    if (b1 < b2) i++;
    else j++;
  }
  return total;
}

export interface Settlement {
  status: "COMPLETED" | "NO_SHOW";
  durationSeconds: number;
}

/**
 * After a session's end: COMPLETED when both participants joined its room, NO_SHOW otherwise; the duration is the
 * time both were in the room together, counted inside the join window plus the tokens' margin (a presence whose
 * leave never arrived counts until that bound or now). Only a CONFIRMED booking is settled, once; before its end,
 * or for another status, nothing changes and null is returned.
 */
export async function settleBooking(db: PrismaClient, bookingId: string, now = new Date()): Promise<Settlement | null> {
  const booking = await db.booking.findUnique({
    where: { id: bookingId },
    select: {
      id: true,
      userId: true,
      status: true,
      startsAt: true,
      endsAt: true,
      expert: { select: { userId: true } },
    },
  });
  if (!booking || booking.status !== "CONFIRMED" || now.getTime() < booking.endsAt.getTime()) return null;
  const presences = await db.sessionPresence.findMany({
    where: { bookingId: booking.id },
    select: { userId: true, joinedAt: true, leftAt: true },
  });
  const from = joinWindow(booking).opensAt.getTime();
  const until = Math.min(now.getTime(), booking.endsAt.getTime() + TOKEN_MARGIN_MS);
  const intervalsOf = (userId: string) =>
    union(
      presences
        .filter((p) => p.userId === userId)
        .map((p): Interval => [
          Math.max(from, p.joinedAt.getTime()),
          Math.min(until, (p.leftAt ?? new Date(until)).getTime()),
        ]),
    );
  const bothJoined = [booking.userId, booking.expert.userId].every((id) => presences.some((p) => p.userId === id));
  const durationSeconds = bothJoined
    ? Math.floor(overlapMs(intervalsOf(booking.userId), intervalsOf(booking.expert.userId)) / 1000)
    : 0;
  const status = bothJoined ? "COMPLETED" : "NO_SHOW";
  const settled = await db.$transaction(async (tx) => {
    const changed = await tx.booking.updateMany({ where: { id: booking.id, status: "CONFIRMED" }, data: { status } });
    if (changed.count === 0) return false;
    await tx.sessionMetadata.create({
      data: { bookingId: booking.id, durationSeconds, settledAt: now },
      select: { bookingId: true },
    });
    return true;
  });
  return settled ? { status, durationSeconds } : null;
}

/** For a periodic job: settles every CONFIRMED booking that ended at least `graceMs` ago. Returns how many. */
export async function settleEndedBookings(
  db: PrismaClient,
  now = new Date(),
  graceMs = TOKEN_MARGIN_MS,
): Promise<number> {
  const due = await db.booking.findMany({
    where: { status: "CONFIRMED", endsAt: { lte: new Date(now.getTime() - graceMs) } },
    select: { id: true },
    orderBy: { endsAt: "asc" },
    take: 500,
  });
  let count = 0;
  for (const b of due) if (await settleBooking(db, b.id, now)) count++;
  return count;
}

// ------------------------------------------------------------------------------------------- metadata (P10)

export interface SessionMetadataView {
  bookingId: string;
  expertName: string;
  topic: string;
  /** The day of the session (its start). */
  date: Date;
  startsAt: Date;
  endsAt: Date;
  /** Seconds both people were in the room together; null until the session is settled. */
  durationSeconds: number | null;
}

/**
 * What we keep about a user's held sessions, as the user sees it (privacy promise P10): the expert, the date, the
 * start and end, the duration and the topic — nothing else exists to show.
 */
export async function listSessionMetadata(db: PrismaClient, userId: string): Promise<SessionMetadataView[]> {
  const rows = await db.booking.findMany({
    where: { userId, status: { in: ["COMPLETED", "NO_SHOW"] } },
    select: {
      id: true,
      startsAt: true,
      endsAt: true,
      expert: { select: { user: { select: { name: true } } } },
      category: { select: { name: true } },
      metadata: { select: { durationSeconds: true } },
    },
    orderBy: { startsAt: "desc" },
  });
  return rows.map((r) => ({
    bookingId: r.id,
    expertName: r.expert.user.name,
    topic: r.category.name,
    date: r.startsAt,
    startsAt: r.startsAt,
    endsAt: r.endsAt,
    durationSeconds: r.metadata?.durationSeconds ?? null,
  }));
}
