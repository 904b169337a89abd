// One-click opt-out of non-essential email (RFC 8058, privacy promise P24): the link carries the user id, the list
// ("reminders" or "newsletter") and an HMAC of both keyed with a server-derived key, so it works from the mail
// without signing in, and cannot be forged for someone else or for another list. Links sent before lists existed
// carry no list: they mean "reminders" (the only list then), and their HMAC is over the same message.
import { hexEqual, hmacHex } from "../identity/crypto.ts";

export const UNSUBSCRIBE_LISTS = ["reminders", "newsletter"] as const;
export type UnsubscribeList = (typeof UNSUBSCRIBE_LISTS)[number];

export const isUnsubscribeList = (value: unknown): value is UnsubscribeList =>
  typeof value === "string" && (UNSUBSCRIBE_LISTS as readonly string[]).includes(value);

export function unsubscribeToken(key: Uint8Array, userId: string, list: UnsubscribeList = "reminders"): string {
  return hmacHex(key, `${list}\n${userId}`);
}

export function unsubscribeUrl(
  appUrl: string,
  key: Uint8Array,
  { userId, list = "reminders" }: { userId: string; list?: UnsubscribeList },
): string {
  return `${appUrl}/unsubscribe?u=${encodeURIComponent(userId)}&l=${list}&t=${unsubscribeToken(key, userId, list)}`;
}

export function verifyUnsubscribe(
  key: Uint8Array,
  { userId, token, list = "reminders" }: { userId: string; token: string; list?: UnsubscribeList },
): boolean {
  return (
    /^[0-9a-f]{64}$/.test(token) &&
    userId.length > 0 &&
    userId.length <= 64 &&
    hexEqual(token, unsubscribeToken(key, userId, list))
  );
}

/** The headers that let mail clients offer "Unsubscribe" and POST to the link directly (RFC 2369 + RFC 8058). */
export function unsubscribeHeaders(url: string): Record<string, string> {
  return { "List-Unsubscribe": `<${url}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" };
}

/** Reads and checks a link's parameters (from the query string or a posted form); null when anything is off. */
export function parseUnsubscribeLink(
  key: Uint8Array,
  get: (name: string) => string | null,
): { userId: string; list: UnsubscribeList; token: string } | null {
  const userId = get("u");
  const token = get("t");
  const rawList = get("l") ?? "reminders";
  if (!userId || !token || !isUnsubscribeList(rawList)) return null;
  return verifyUnsubscribe(key, { userId, token, list: rawList }) ? { userId, list: rawList, token } : null;
}
