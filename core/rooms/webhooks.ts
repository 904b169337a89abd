// LiveKit webhooks: verified on the RAW body with livekit-server-sdk's WebhookReceiver (the Authorization header is
// a JWT signed with our API secret whose `sha256` claim is the body's SHA-256). Forged (wrong secret or key),
// tampered (body changed) and stale (token expired, or an event created long ago) calls are refused; the caller
// answers 401. Only the fields we keep are taken from the event (zod), nothing else of it is stored.
import { z } from "zod";
import { DomainError } from "../errors/index.ts";
import type { LiveKitSettings } from "./tokens.ts";

/** Clock skew we accept on the token's times, and how old (or how far ahead) an event's own time may be. */
export const WEBHOOK_CLOCK_TOLERANCE_SECONDS = 5 * 60;
export const WEBHOOK_MAX_AGE_MS = 10 * 60_000;

export interface RoomWebhookEvent {
  id: string;
  event: string;
  createdAt?: Date;
  roomName?: string;
  participant?: { sid: string; identity: string; joinedAt?: Date };
}

// Protobuf JSON: int64 values are strings.
const int64 = z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform((v) => Number(v));
const eventSchema = z.object({
  id: z.string().min(1).max(200),
  event: z.string().min(1).max(60),
  createdAt: int64.optional(),
  room: z.object({ name: z.string().max(200).optional() }).optional(),
  participant: z
    .object({
      sid: z.string().min(1).max(200),
      identity: z.string().max(200).default(""),
      joinedAt: int64.optional(),
      joinedAtMs: int64.optional(),
    })
    .optional(),
});

const toDate = (ms: number | undefined) => (ms ? new Date(ms) : undefined);

/** Verifies and parses a webhook call; throws DomainError UNAUTHENTICATED for anything not from our LiveKit. */
export async function verifyWebhook(
  settings: LiveKitSettings,
  rawBody: string,
  authorization: string | null,
  now = new Date(),
): Promise<RoomWebhookEvent> {
  const refuse = () => new DomainError("UNAUTHENTICATED", "Invalid webhook signature.");
  if (!authorization || authorization.length > 4096) throw refuse();
  const token = authorization.replace(/^Bearer\s+/i, "");
  let json: unknown;
  try {
    // Imported on the first webhook: livekit-server-sdk is not needed to start.
    const { WebhookReceiver } = await import("livekit-server-sdk");
    const event = await new WebhookReceiver(settings.apiKey, settings.apiSecret).receive(
      rawBody,
      token,
      false,
      WEBHOOK_CLOCK_TOLERANCE_SECONDS,
    );
    json = event.toJson();
  } catch {
    throw refuse();
  }
  const parsed = eventSchema.safeParse(json);
  if (!parsed.success) throw refuse();
  const e = parsed.data;
  const createdAt = toDate(e.createdAt ? e.createdAt * 1000 : undefined);
  if (createdAt) {
    const age = now.getTime() - createdAt.getTime();
    if (age > WEBHOOK_MAX_AGE_MS || age < -WEBHOOK_CLOCK_TOLERANCE_SECONDS * 1000) throw refuse();
  }
  return {
    id: e.id,
    event: e.event,
    createdAt,
    roomName: e.room?.name || undefined,
    participant: e.participant
      ? {
          sid: e.participant.sid,
          identity: e.participant.identity,
          joinedAt: toDate(
            e.participant.joinedAtMs || (e.participant.joinedAt ? e.participant.joinedAt * 1000 : undefined),
          ),
        }
      : undefined,
  };
}
