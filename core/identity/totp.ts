// Staff second factor: TOTP (RFC 6238, 30-second steps, 6 digits) with @oslojs/otp. The shared secret is stored
// encrypted with AES-256-GCM under a key derived from the server secret for "totp" (server/secrets.ts), is shown
// once at enrolment and is never logged. A code is accepted once (its time step must be newer than the last one
// used), within one step of clock drift, and every attempt counts against the `secret:reauth` rate limit:
// keyed by the account id, which only a signed-in session of the account reaches, so wrong passwords sent from
// elsewhere (`secret:account`) cannot keep a staff member from their second factor.
// Until enrolment is confirmed the pending secret stays the same (a reload must not invalidate the key a person has
// just scanned). Confirmation issues ten single-use recovery codes, shown once and stored as keyed hashes only.
import crypto from "node:crypto";
import { createTOTPKeyURI, generateHOTP } from "@oslojs/otp";
import { encodeBase32NoPadding } from "@oslojs/encoding";
import QRCode from "qrcode";
import { recordAudit } from "../audit/index.ts";
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

/** A QR code as one SVG path of unit squares (drawn by the console; no image from any other origin). */
export interface QrPath {
  size: number;
  path: string;
}

export function qrPath(text: string): QrPath {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++)
    for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) parts.push(`M${x} ${y}h1v1h-1z`);
  return { size: modules.size, path: parts.join("") };
}

/**
 * Starts an enrolment, or shows the one already pending: the secret for the authenticator app as a key to type and
 * a QR code. The pending secret is kept until the enrolment is confirmed, so reloading shows the same key.
 */
export async function beginTotpEnrolment(
  deps: TotpDeps,
  user: StaffUser,
): Promise<{ secret: string; uri: string; qr: QrPath }> {
  requireStaff(user);
  const existing = await deps.db.staffTotp.findUnique({
    where: { userId: user.id },
    select: { confirmedAt: true, secretEncrypted: true },
  });
  if (existing?.confirmedAt)
    throw new DomainError("CONFLICT", "Two-factor sign-in is already set up for this account.");
  let secret: Uint8Array;
  if (existing) secret = decryptSecret(deps.key, existing.secretEncrypted);
  else {
    secret = new Uint8Array(crypto.randomBytes(20));
    // A parallel first request may have created the row: keep whichever secret was stored first.
    await deps.db.staffTotp.upsert({
      where: { userId: user.id },
      create: { userId: user.id, secretEncrypted: encryptSecret(deps.key, secret) },
      update: {},
      select: { userId: true },
    });
    const stored = await deps.db.staffTotp.findUniqueOrThrow({
      where: { userId: user.id },
      select: { secretEncrypted: true },
    });
    secret = decryptSecret(deps.key, stored.secretEncrypted);
  }
  const uri = createTOTPKeyURI(ISSUER, user.email, secret, TOTP_PERIOD_SECONDS, TOTP_DIGITS);
  return { secret: encodeBase32NoPadding(secret), uri, qr: qrPath(uri) };
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
  await deps.limiter.consume("secret:reauth", user.id);
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
  await deps.limiter.reset("secret:reauth", user.id);
}

/**
 * Confirms the enrolment with a first code, marks this session as having passed the second factor and returns the
 * ten recovery codes (the only time they are shown).
 */
export async function confirmTotpEnrolment(
  deps: TotpDeps,
  user: StaffUser,
  { sessionId, code, ip }: { sessionId: string; code: string; ip: string },
): Promise<{ recoveryCodes: string[] }> {
  await checkCode(deps, user, code, ip, false);
  await deps.db.session.updateMany({
    where: { id: sessionId, userId: user.id },
    data: { mfaVerifiedAt: deps.now?.() ?? new Date() },
  });
  const recoveryCodes = await issueRecoveryCodes(deps, user.id);
  await recordAudit(deps.db, { id: user.id, role: user.role, ip }, { action: "mfa.enrol", target: `user:${user.id}` });
  return { recoveryCodes };
}

/**
 * A fresh second-factor check for one privileged action (role change, deactivation, new recovery codes): the code
 * must be valid and not used before, whatever this session already passed.
 */
export async function checkFreshTotp(
  deps: TotpDeps,
  user: StaffUser,
  { code, ip }: { code: string; ip: string },
): Promise<void> {
  await checkCode(deps, user, code, ip, true);
}

// ------------------------------------------------------------------------------------------- recovery codes

export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read off paper without doubt

function newRecoveryCode(): string {
  const bytes = crypto.randomBytes(10);
  let out = "";
  // 31 symbols; the bias of a byte modulo 31 is below 1% per symbol and 10 symbols give ~49 bits, ample for a
  // code that is rate limited and single use.
  for (const b of bytes) out += RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length];
  return `${out.slice(0, 5)}-${out.slice(5)}`;
}

const normalizeRecoveryCode = (code: string) => code.toLowerCase().replace(/[^a-z0-9]/g, "");

function recoveryHash(key: Uint8Array, code: string): string {
  const k = crypto.hkdfSync("sha256", key, "mindnamo", "recovery-codes", 32);
  return crypto.createHmac("sha256", Buffer.from(k)).update(normalizeRecoveryCode(code)).digest("base64url");
}

/** Replaces the person's recovery codes with ten new ones and returns them (stored only as keyed hashes). */
async function issueRecoveryCodes(deps: TotpDeps, userId: string): Promise<string[]> {
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, newRecoveryCode);
  await deps.db.$transaction([
    deps.db.staffRecoveryCode.deleteMany({ where: { userId } }),
    deps.db.staffRecoveryCode.createMany({
      data: codes.map((c) => ({ userId, codeHash: recoveryHash(deps.key, c) })),
    }),
  ]);
  return codes;
}

export async function recoveryCodesLeft(db: PrismaClient, userId: string): Promise<number> {
  return db.staffRecoveryCode.count({ where: { userId, usedAt: null } });
}

/**
 * Signs this session past the second factor with a recovery code instead of a TOTP code (a lost phone). Each code
 * is accepted once: the check and the "used" mark are one conditional update.
 */
export async function useRecoveryCode(
  deps: TotpDeps,
  user: StaffUser,
  { sessionId, code, ip }: { sessionId: string; code: string; ip: string },
): Promise<{ left: number }> {
  requireStaff(user);
  await deps.limiter.consume("secret:ip", ip);
  await deps.limiter.consume("secret:reauth", user.id);
  if (!(await totpStatus(deps.db, user.id)).enrolled)
    throw new DomainError("PRECONDITION", "Set up two-factor sign-in first.");
  const now = deps.now?.() ?? new Date();
  const { count } = await deps.db.staffRecoveryCode.updateMany({
    where: { userId: user.id, codeHash: recoveryHash(deps.key, code), usedAt: null },
    data: { usedAt: now },
  });
  if (count !== 1)
    throw new DomainError("VALIDATION", "That recovery code is not right, or it was already used.", { field: "code" });
  await deps.limiter.reset("secret:reauth", user.id);
  await deps.db.session.updateMany({ where: { id: sessionId, userId: user.id }, data: { mfaVerifiedAt: now } });
  await recordAudit(
    deps.db,
    { id: user.id, role: user.role, ip },
    { action: "mfa.recovery_code.use", target: `user:${user.id}` },
  );
  return { left: await recoveryCodesLeft(deps.db, user.id) };
}

/** Ten new recovery codes (the old ones stop working), behind a fresh TOTP code; audited. */
export async function regenerateRecoveryCodes(
  deps: TotpDeps,
  user: StaffUser,
  { code, ip }: { code: string; ip: string },
): Promise<{ recoveryCodes: string[] }> {
  await checkCode(deps, user, code, ip, true);
  const recoveryCodes = await issueRecoveryCodes(deps, user.id);
  await recordAudit(
    deps.db,
    { id: user.id, role: user.role, ip },
    { action: "mfa.recovery_codes.regenerate", target: `user:${user.id}` },
  );
  return { recoveryCodes };
}

/** Checks a code for an enrolled staff member and marks this session as having passed the second factor. */
export async function verifyTotpForSession(
  deps: TotpDeps,
  user: StaffUser,
  { sessionId, code, ip }: { sessionId: string; code: string; ip: string },
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
