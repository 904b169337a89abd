// "The owner always has a door" (docs/security.md): a browser where an account has signed in before carries a
// signed owner-device mark (`<userId>.<issued>.<nonce>.<mac>`, HMAC with the server's code pepper, kept in an
// HttpOnly cookie for a year). From that browser the per-address limits an attacker can use up from anywhere (the
// password lock, the per-account password counter, the per-recipient mail budget) do not apply to that account;
// per-IP limits and a per-device budget still do. The mark proves nothing by itself: the password or code is still
// needed. Ending every session of the account (a password reset, "this was not me", a role change) also ends every
// mark issued until then: the account's ownerDevicesRevokedAt is compared with the mark's issue time.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { hexEqual, hmacHex, randomToken } from "./crypto.ts";

const mac = (pepper: Uint8Array, userId: string, issued: string, nonce: string) =>
  hmacHex(pepper, `owner-device\n${userId}\n${issued}\n${nonce}`).slice(0, 43);

export function ownerDeviceToken(pepper: Uint8Array, userId: string, issuedAt = new Date()): string {
  const nonce = randomToken(16);
  const issued = issuedAt.getTime().toString(36);
  return `${userId}.${issued}.${nonce}.${mac(pepper, userId, issued, nonce)}`;
}

/** The account a mark was issued to and when, or null for anything forged, malformed or missing. */
export function readOwnerDevice(
  pepper: Uint8Array,
  token: string | null | undefined,
): { userId: string; issuedAt: Date } | null {
  if (!token || token.length > 200) return null;
  const match = /^([0-9a-f-]{36})\.([0-9a-z]{1,12})\.([a-z2-7]{26})\.([0-9a-f]{43})$/.exec(token);
  if (!match) return null;
  if (!hexEqual(match[4]!, mac(pepper, match[1]!, match[2]!, match[3]!))) return null;
  return { userId: match[1]!, issuedAt: new Date(parseInt(match[2]!, 36)) };
}

/** Whether a mark issued at `issuedAt` still counts for an account whose marks were revoked at `revokedAt`. */
export function ownerDeviceCurrent(issuedAt: Date, revokedAt: Date | null): boolean {
  return revokedAt === null || issuedAt.getTime() > revokedAt.getTime();
}

/**
 * Ends every session of an account and every owner-device mark issued so far: the writes to put in the same
 * transaction as the change that calls for it.
 */
export function endEverywhere(db: PrismaClient, userId: string, at = new Date()) {
  return [
    db.session.deleteMany({ where: { userId } }),
    db.user.update({ where: { id: userId }, data: { ownerDevicesRevokedAt: at }, select: { id: true } }),
  ] as const;
}
