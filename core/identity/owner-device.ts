// "The owner always has a door" (docs/security.md): a browser where an account has signed in before carries a
// signed owner-device token (`<userId>.<nonce>.<mac>`, HMAC with the server's code pepper, kept in an HttpOnly
// cookie for a year). From that browser the per-address limits an attacker can use up from anywhere (the password
// lock, the per-account password counter, the per-recipient mail budget) do not apply to that account; per-IP
// limits and a per-device budget still do. The token proves nothing by itself: the password or code is still needed.
import { hexEqual, hmacHex, randomToken } from "./crypto.ts";

const mac = (pepper: Uint8Array, userId: string, nonce: string) =>
  hmacHex(pepper, `owner-device\n${userId}\n${nonce}`).slice(0, 43);

export function ownerDeviceToken(pepper: Uint8Array, userId: string): string {
  const nonce = randomToken(16);
  return `${userId}.${nonce}.${mac(pepper, userId, nonce)}`;
}

/** The account a token was issued to, or null for anything forged, malformed or missing. */
export function ownerDeviceUserId(pepper: Uint8Array, token: string | null | undefined): string | null {
  if (!token || token.length > 200) return null;
  const match = /^([0-9a-f-]{36})\.([a-z2-7]{26})\.([0-9a-f]{43})$/.exec(token);
  if (!match) return null;
  return hexEqual(match[3]!, mac(pepper, match[1]!, match[2]!)) ? match[1]! : null;
}
