// Small crypto helpers over @oslojs (see docs/decisions/0005-sessions-without-lucia.md).
import { hmac } from "@oslojs/crypto/hmac";
import { SHA256, sha256 } from "@oslojs/crypto/sha2";
import { constantTimeEqual } from "@oslojs/crypto/subtle";
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from "@oslojs/encoding";
import crypto from "node:crypto";

const encoder = new TextEncoder();

/** `bytes` random bytes as lowercase base32 (no padding): URL- and cookie-safe. */
export function randomToken(bytes: number): string {
  return encodeBase32LowerCaseNoPadding(crypto.getRandomValues(new Uint8Array(bytes)));
}

export function sha256Hex(value: string): string {
  return encodeHexLowerCase(sha256(encoder.encode(value)));
}

/** Keyed hash for short secrets (8-digit codes): without the key, a leaked table cannot be brute-forced offline. */
export function hmacHex(key: Uint8Array, value: string): string {
  return encodeHexLowerCase(hmac(SHA256, key, encoder.encode(value)));
}

export function hexEqual(a: string, b: string): boolean {
  return a.length === b.length && constantTimeEqual(encoder.encode(a), encoder.encode(b));
}

/** A uniformly random numeric code of `digits` digits (rejection sampling, no modulo bias). */
export function randomDigits(digits: number): string {
  let out = "";
  while (out.length < digits) {
    const byte = crypto.getRandomValues(new Uint8Array(1))[0]!;
    if (byte < 250) out += String(byte % 10);
  }
  return out;
}
