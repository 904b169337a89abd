// LiveKit access tokens (livekit-server-sdk), minted per participant on request and only inside the join window:
// for the booking's exact room, join + publish camera and microphone + subscribe, nothing else (no admin, create,
// list, record or data grants), expiring at the session's end plus a small margin. The server never sees media
// keys: tokens let a browser into the room; end-to-end encryption keys are agreed between the two browsers.
// livekit-server-sdk (~200 ms to load) is imported when the first token is minted, not at start.
import type { TrackSource, VideoGrant } from "livekit-server-sdk";

// TrackSource.CAMERA and TrackSource.MICROPHONE of LiveKit's protocol (a test checks them against the SDK's enum).
const CAMERA = 1 as TrackSource;
const MICROPHONE = 2 as TrackSource;
import { DomainError } from "../errors/index.ts";

export const JOIN_OPENS_BEFORE_MS = 10 * 60_000;
export const TOKEN_MARGIN_MS = 5 * 60_000;

export interface LiveKitSettings {
  url: string;
  apiKey: string;
  apiSecret: string;
}

/** The join window of a booking: from 10 minutes before its start until its end. */
export function joinWindow(booking: { startsAt: Date; endsAt: Date }) {
  return { opensAt: new Date(booking.startsAt.getTime() - JOIN_OPENS_BEFORE_MS), closesAt: booking.endsAt };
}

export function isJoinOpen(booking: { startsAt: Date; endsAt: Date }, now = new Date()): boolean {
  const w = joinWindow(booking);
  return now >= w.opensAt && now < w.closesAt;
}

/** The grants a participant gets: exactly these, for exactly one room. */
export function participantGrant(roomName: string): VideoGrant {
  return {
    room: roomName,
    roomJoin: true,
    canPublish: true,
    canSubscribe: true,
    canPublishSources: [CAMERA, MICROPHONE],
    canPublishData: false,
    canUpdateOwnMetadata: false,
    roomAdmin: false,
    roomCreate: false,
    roomList: false,
    roomRecord: false,
    hidden: false,
    recorder: false,
  };
}

export async function mintRoomToken(
  settings: LiveKitSettings,
  input: { roomName: string; identity: string; displayName: string; booking: { startsAt: Date; endsAt: Date } },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  if (!isJoinOpen(input.booking, now)) {
    throw new DomainError("PRECONDITION", "The room opens 10 minutes before the session and closes when it ends.");
  }
  const expiresAt = new Date(input.booking.endsAt.getTime() + TOKEN_MARGIN_MS);
  const ttlSeconds = Math.max(60, Math.ceil((expiresAt.getTime() - now.getTime()) / 1000));
  const { AccessToken } = await import("livekit-server-sdk");
  const at = new AccessToken(settings.apiKey, settings.apiSecret, {
    identity: input.identity,
    name: input.displayName,
    ttl: ttlSeconds,
  });
  at.addGrant(participantGrant(input.roomName));
  return { token: await at.toJwt(), expiresAt };
}
