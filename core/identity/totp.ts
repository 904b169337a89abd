// Staff second factor: TOTP (RFC 6238, 30-second steps, 6 digits) with @oslojs/otp. The shared secret is stored
// encrypted with AES-256-GCM under a key derived from the server secret for "totp" (server/secrets.ts), is shown
// once at enrolment and is never logged. A code is accepted once (its time step must be newer than the last one
// used), within one step of clock drift, and every attempt counts against the `secret:account` rate limit.
import crypto from "node:crypto";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";
import type { RateLimiter } from "../platform/rate-limit.ts";
import { isStaff } from "./sessions.ts";
import type { Role } from "../generated/prisma/enums.ts";

export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
const ISSUER = "Mind Namo";

export interface TotpDeps {
  db: PrismaClient;
  limiter: RateLimiter;
  /** 32-byte key for the secrets at rest. */
  key: Uint8Array;
  now?: () => Date;
}

interface StaffUser {
  id: string;
  email: string;
  role: Role;
}

export function encryptSecret(key: Uint8Array, secret: Uint8Array): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  const body = Buffer.concat([cipher.update(secret), cipher.final()]);
  return ["v1", iv.toString("base64url"), body.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(
    ".",
  );
}

export function decryptSecret(key: Uint8Array, stored: string): Uint8Array {
  const [version, iv, body, tag] = stored.split(".");
  if (version !== "v1" || !iv || !body || !tag) throw new Error("unreadable TOTP secret");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(body, "base64url")), decipher.final()]));
}

const stepAt = (date: Date) => Math.floor(date.getTime() / 1000 / TOTP_PERIOD_SECONDS);

function requireStaff(user: StaffUser) {
  if (!isStaff(user.role)) throw new DomainError("FORBIDDEN", "Only staff accounts use a second factor here.");
}

export async function totpStatus(db: PrismaClient, userId: string): Promise<{ enrolled: boolean }> {
  const row = await db.staffTotp.findUnique({ where: { userId }, select: { confirmedAt: true } });
  return { enrolled: Boolean(row?.confirmedAt) };
}

/** Starts (or restarts, while unconfirmed) an enrolment: the secret for the authenticator app, shown once. */
export async function beginTotpEnrolment(deps: TotpDeps, user: StaffUser): Promise<{ secret: string; uri: string }> {
  requireStaff(user);
  const existing = await deps.db.staffTotp.findUnique({ where: { userId: user.id }, select: { confirmedAt: true } });
  if (existing?.confirmedAt)
    throw new DomainError("CONFLICT", "Two-factor sign-in is already set up for this account.");
  const secret = new Uint8Array(crypto.randomBytes(20));
  const secretEncrypted = encryptSecret(deps.key, secret);
  await deps.db.staffTotp.upsert({
    where: { userId: user.id },
    create: { userId: user.id, secretEncrypted },
    update: { secretEncrypted, lastUsedStep: null },
    select: { userId: true },
  });
  return {
    secret: encodeBase32NoPadding(secret),
    uri: createTOTPKeyURI(ISSUER, user.email, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS),
  };
}

async function checkCode(
  deps: TotpDeps,
  user: StaffUser,
  code: string,
  ip: string,
  mustBeConfirmed: boolean,
): Promise<void> {
  requireStaff(user);
  await deps.limiter.consume("secret:ip", ip);
  await deps.limiter.consume("secret:account", user.email);
  const row = await deps.db.staffTotp.findUnique({
    where: { userId: user.id },
    select: { secretEncrypted: true, confirmedAt: true, lastUsedStep: true },
  });
  if (!row) throw new DomainError("PRECONDITION", "Set up two-factor sign-in first.");
  if (mustBeConfirmed && !row.confirmedAt)
    throw new DomainError("PRECONDITION", "Finish setting up two-factor sign-in first.");
  if (!mustBeConfirmed && row.confirmedAt)
    throw new DomainError("CONFLICT", "Two-factor sign-in is already set up for this account.");
  const clean = code.replace(/\s+/g, "");
  const invalid = () =>
    new DomainError("VALIDATION", "That code is not right. Enter the current 6-digit code from your app.", {
      field: "code",
    });
  if (!/^\d{6}$/.test(clean)) throw invalid();
  const secret = decryptSecret(deps.key, row.secretEncrypted);
  const current = stepAt(deps.now?.() ?? new Date());
  let matched: number | undefined;
  for (const step of [current, current - 1, current + 1]) {
    const expected = generateHOTP(secret, BigInt(step), TOTP_DIGITS);
    if (crypto.timingSafeEqual(Buffer.from(expected), Buffer.from(clean))) matched = step;
  }
  if (matched === undefined) throw invalid();
  // Single use: the step must be newer than the last accepted one, checked and written atomically.
  const { count } = await deps.db.staffTotp.updateMany({
    where: { userId: user.id, OR: [{ lastUsedStep: null }, { lastUsedStep: { lt: matched } }] },
    data: { lastUsedStep: matched, ...(mustBeConfirmed ? {} : { confirmedAt: deps.now?.() ?? new Date() }) },
  });
  if (count !== 1)
    throw new DomainError("VALIDATION", "That code was already used. Wait for the next one.", { field: "code" });
  await deps.limiter.reset("secret:account", user.email);
}

/** Confirms the enrolment with a first code and marks this session as having passed the second factor. */
export async function confirmTotpEnrolment(
  deps: TotpDeps,
  user: StaffUser,
  sessionId: string,
  code: string,
  ip: string,
): Promise<void> {
  await checkCode(deps, user, code, ip, false);
  await deps.db.session.updateMany({
    where: { id: sessionId, userId: user.id },
    data: { mfaVerifiedAt: deps.now?.() ?? new Date() },
  });
}

/** Checks a code for an enrolled staff member and marks this session as having passed the second factor. */
export async function verifyTotpForSession(
  deps: TotpDeps,
  user: StaffUser,
  sessionId: string,
  code: string,
  ip: string,
): Promise<void> {
  await checkCode(deps, user, code, ip, true);
  await deps.db.session.updateMany({
    where: { id: sessionId, userId: user.id },
    data: { mfaVerifiedAt: deps.now?.() ?? new Date() },
  });
}

/**
 * The key for TOTP secrets at rest, derived (HKDF-SHA-256, purpose "totp") from the server's code pepper, itself
 * derived from SESSION_SECRET: one server secret, separate keys per purpose.
 */
export function totpKeyFrom(codePepper: Uint8Array): Uint8Array {
  return new Uint8Array(crypto.hkdfSync("sha256", codePepper, "mindnamo", "totp", 32));
}
