// Passwords: bcrypt at cost 12 (async, off the event loop). bcrypt reads only 72 bytes, so the password is first
// reduced to a SHA-256 digest (base64, 44 bytes): no silent truncation, every character counts.
import { sha256 } from "@oslojs/crypto/sha2";
import { encodeBase64 } from "@oslojs/encoding";
import bcrypt from "bcrypt";
import { z } from "zod";

export const BCRYPT_COST = 12;

export const passwordSchema = z.string().min(8, "Use at least 8 characters.").max(128, "Use at most 128 characters.");

function prehash(password: string): string {
  return encodeBase64(sha256(new TextEncoder().encode(password.normalize("NFKC"))));
}

export async function hashPassword(password: string, cost = BCRYPT_COST): Promise<string> {
  return bcrypt.hash(prehash(password), cost);
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(prehash(password), hash);
}

let commonPasswords: Set<string> | undefined;

/** The 1,000 most common passwords (zxcvbn-ts's frequency-ranked list), loaded once on first use. */
async function common(): Promise<Set<string>> {
  if (!commonPasswords) {
    const { dictionary } = await import("@zxcvbn-ts/language-common");
    const ranked = (dictionary as Record<string, string[]>)["passwords-common"] ?? [];
    commonPasswords = new Set(ranked.slice(0, 1000));
  }
  return commonPasswords;
}

/** Returns a message a person can act on, or null when the password is acceptable. */
export async function passwordProblem(password: string, context: { email?: string } = {}): Promise<string | null> {
  const parsed = passwordSchema.safeParse(password);
  if (!parsed.success) return parsed.error.issues[0]?.message ?? "Choose another password.";
  const lower = password.toLowerCase();
  if ((await common()).has(lower)) return "This password is one of the most common ones. Please choose another.";
  if (context.email && lower === context.email.toLowerCase()) return "Your password must not be your email address.";
  return null;
}
