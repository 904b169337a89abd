// New-device alerts (privacy promise P14). A device is a browser family + OS family + device family (no versions:
// a browser update is not a new device). A sign-in from a family this user has not signed in from before (their
// known devices, and the sessions they had when this feature arrived) emails them an alert with a "this wasn't me"
// link; never on the very first sign-in or the sign-up. The link carries a random secret of which only an HMAC
// (keyed with the server's secret) is stored; it works once, for 7 days, and ends every session of the account,
// forgets that device, disables the password and starts a password reset.
import { UAParser } from "ua-parser-js";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import * as mail from "../mail/templates.ts";
import { recordSecurityEvent } from "../security/events.ts";
import type { RateLimiter } from "../platform/rate-limit.ts";
import { issueCode } from "./codes.ts";
import { hexEqual, hmacHex, randomToken, sha256Hex } from "./crypto.ts";
import type { DeviceInfo } from "./device.ts";
import { endEverywhere } from "./owner-device.ts";

const DAY = 24 * 60 * 60_000;
export const NOT_ME_LINK_LIFETIME_MS = 7 * DAY;

export interface DeviceFamily {
  browser: string;
  os: string;
  device: string;
  hash: string;
}

export function deviceFamily(userAgent: string | null | undefined): DeviceFamily {
  const p = new UAParser((userAgent ?? "").slice(0, 512)).getResult();
  const browser = (p.browser.name ?? "Unknown browser").slice(0, 64);
  const os = (p.os.name ?? "Unknown system").slice(0, 64);
  const device = ([p.device.vendor, p.device.model].filter(Boolean).join(" ") || (p.device.type ?? "Desktop")).slice(
    0,
    64,
  );
  return { browser, os, device, hash: sha256Hex(`${browser}|${os}|${device}`.toLowerCase()) };
}

export const describeFamily = (f: Pick<DeviceFamily, "browser" | "os" | "device">) =>
  `${f.browser} on ${f.os} (${f.device})`;

export interface DeviceAlertDeps {
  db: PrismaClient;
  mail: MailQueue;
  pepper: Uint8Array;
  appUrl: string;
}

const tokenHash = (pepper: Uint8Array, id: string, secret: string) => hmacHex(pepper, `not-me\n${id}\n${secret}`);

/**
 * Notes a successful sign-in (call it BEFORE the new session is created). Returns whether an alert was sent.
 * `firstSignIn`: the sign-up's verification; the device is remembered silently.
 */
export async function noteSignIn(
  deps: DeviceAlertDeps,
  user: { id: string; email: string },
  requester: { ip: string; device: DeviceInfo },
  opts: { firstSignIn: boolean; now: Date },
): Promise<{ alerted: boolean }> {
  const { db } = deps;
  const family = deviceFamily(requester.device.userAgent);
  const row = (f: DeviceFamily) => ({
    userId: user.id,
    familyHash: f.hash,
    browser: f.browser,
    os: f.os,
    device: f.device,
    firstSeenAt: opts.now,
    lastSeenAt: opts.now,
  });

  const known = await db.knownDevice.count({ where: { userId: user.id } });
  if (known === 0) {
    // Nothing remembered yet (a new account, or one from before this feature): the devices of the sessions the
    // user has now are theirs. With none of those either, this is the first sign-in: remember it, no alert.
    const sessions = await db.session.findMany({ where: { userId: user.id }, select: { userAgent: true }, take: 50 });
    const families = new Map(sessions.map((s) => deviceFamily(s.userAgent)).map((f) => [f.hash, f]));
    if (opts.firstSignIn || families.size === 0) {
      families.set(family.hash, family);
      await db.knownDevice.createMany({ data: [...families.values()].map(row), skipDuplicates: true });
      return { alerted: false };
    }
    await db.knownDevice.createMany({ data: [...families.values()].map(row), skipDuplicates: true });
  }
  // Exactly one request inserts the row for a new family, however many sign in at once: one alert per device.
  const inserted = await db.knownDevice.createMany({ data: [row(family)], skipDuplicates: true });
  if (inserted.count === 0) {
    await db.knownDevice.updateMany({
      where: { userId: user.id, familyHash: family.hash },
      data: { lastSeenAt: opts.now },
    });
    return { alerted: false };
  }
  if (opts.firstSignIn) return { alerted: false };

  const secret = randomToken(32);
  const alert = await db.deviceAlert.create({
    data: {
      userId: user.id,
      familyHash: family.hash,
      tokenHash: "pending",
      expiresAt: new Date(opts.now.getTime() + NOT_ME_LINK_LIFETIME_MS),
      createdAt: opts.now,
    },
    select: { id: true },
  });
  await db.deviceAlert.update({
    where: { id: alert.id },
    data: { tokenHash: tokenHash(deps.pepper, alert.id, secret) },
  });
  const description = describeFamily(family);
  // The alert names the time in the person's own zone (read only on this rare path, not on every sign-in).
  const zone = await db.user.findUnique({ where: { id: user.id }, select: { timezone: true } });
  await recordSecurityEvent(
    db,
    { kind: "NEW_DEVICE", userId: user.id, ip: requester.ip, detail: description },
    opts.now,
  );
  deps.mail.enqueue(
    mail.newDeviceAlert(
      user.email,
      description,
      opts.now,
      zone?.timezone ?? "UTC",
      `${deps.appUrl}/security/not-me?token=${alert.id}.${secret}`,
    ),
  );
  return { alerted: true };
}

const INVALID_LINK =
  "This link is not valid, has expired or was already used. If you think someone else is using your account, reset your password.";

/**
 * "This wasn't me": ends every session of the account, forgets the device, disables the password (the intruder
 * may know it) and starts a password reset: the reset email is sent, and its link token is returned so the page
 * can go straight to choosing a new password.
 */
export async function reportNotMe(
  deps: DeviceAlertDeps & { limiter: RateLimiter },
  input: { token: unknown },
  requester: { ip: string },
  now = new Date(),
): Promise<{ resetToken: string | null; endedSessions: number }> {
  await deps.limiter.consume("secret:ip", requester.ip);
  const match = typeof input.token === "string" ? /^([0-9a-f-]{36})\.([a-z2-7]{52})$/.exec(input.token) : null;
  if (!match) throw new DomainError("VALIDATION", INVALID_LINK);
  const [, id, secret] = match as unknown as [string, string, string];
  const alert = await deps.db.deviceAlert.findUnique({
    where: { id },
    select: {
      id: true,
      userId: true,
      familyHash: true,
      tokenHash: true,
      expiresAt: true,
      usedAt: true,
      user: { select: { email: true, status: true } },
    },
  });
  if (
    !alert ||
    alert.usedAt ||
    alert.expiresAt <= now ||
    !hexEqual(alert.tokenHash, tokenHash(deps.pepper, alert.id, secret))
  ) {
    throw new DomainError("VALIDATION", INVALID_LINK);
  }
  // Single use even under a race.
  const claimed = await deps.db.deviceAlert.updateMany({
    where: { id: alert.id, usedAt: null },
    data: { usedAt: now },
  });
  if (claimed.count !== 1) throw new DomainError("VALIDATION", INVALID_LINK);
  const [ended] = await deps.db.$transaction([
    // Every session, and every browser's owner-device mark (the intruder's included), ends here.
    ...endEverywhere(deps.db, alert.userId, now),
    deps.db.knownDevice.deleteMany({ where: { userId: alert.userId, familyHash: alert.familyHash } }),
    deps.db.user.update({ where: { id: alert.userId }, data: { passwordHash: null }, select: { id: true } }),
  ]);
  await recordSecurityEvent(
    deps.db,
    { kind: "NOT_ME_REPORTED", userId: alert.userId, ip: requester.ip, detail: `${ended.count} sessions ended` },
    now,
  );
  if (alert.user.status !== "ACTIVE") return { resetToken: null, endedSessions: ended.count };
  const { code, linkToken } = await issueCode(deps.db, deps.pepper, {
    purpose: "RESET_PASSWORD",
    email: alert.user.email,
    userId: alert.userId,
    withLink: true,
    now,
  });
  deps.mail.enqueue(
    mail.passwordResetEmail(alert.user.email, code, `${deps.appUrl}/reset-password?token=${linkToken}`),
  );
  return { resetToken: linkToken, endedSessions: ended.count };
}
