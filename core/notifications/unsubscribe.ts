// One-click opt-out of session reminders (RFC 8058): the link carries the user id and an HMAC of it keyed with a
// server-derived key, so it works from the mail without signing in, and cannot be forged for someone else.
import { hexEqual, hmacHex } from "../identity/crypto.ts";

export function unsubscribeToken(key: Uint8Array, userId: string): string {
  return hmacHex(key, `reminders\n${userId}`);
}

export function unsubscribeUrl(appUrl: string, key: Uint8Array, userId: string): string {
  return `${appUrl}/unsubscribe?u=${encodeURIComponent(userId)}&t=${unsubscribeToken(key, userId)}`;
}

export function verifyUnsubscribe(key: Uint8Array, userId: string, token: string): boolean {
  return /^[0-9a-f]{64}$/.test(token) && userId.length <= 64 && hexEqual(token, unsubscribeToken(key, userId));
}
