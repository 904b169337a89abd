// Account dependencies for tests: a real outbox, a real rate limiter on the test database, a test clock.
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { AccountDeps, Requester } from "../../identity/accounts.ts";
import { describeDevice } from "../../identity/device.ts";
import { listOutbox, OutboxMailer } from "../mail/index.ts";
import { MailQueue } from "../mail/queue.ts";
import { createRateLimiter, type RatePolicy, type RatePolicyName } from "../rate-limit.ts";

export interface TestAccounts {
  deps: AccountDeps & { mail: MailQueue };
  clock: { now: Date; advance(ms: number): void };
  outboxDir: string;
  /** The HMAC key of the rate limiter's subjects. */
  rateLimitKey: Uint8Array;
  /** The newest mail to an address (after pending sends finish). */
  lastMail(to: string): Promise<{ subject: string; text: string; template: string } | undefined>;
  /** The 8-digit code in the newest mail to an address. */
  lastCode(to: string): Promise<string>;
  cleanup(): void;
}

export function requesterFor(
  ip = "203.0.113.10",
  ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
): Requester {
  return { ip, device: describeDevice(ua, ip) };
}

export function createTestAccounts(
  db: PrismaClient,
  limits: Partial<Record<RatePolicyName, RatePolicy>> = {},
): TestAccounts {
  const outboxDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-acct-outbox-"));
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const mail = new MailQueue(new OutboxMailer(outboxDir, "test@mindnamo.test"), (error) => {
    throw error;
  });
  const rateLimitKey = new Uint8Array(crypto.randomBytes(32));
  const deps = {
    db,
    mail,
    limiter: createRateLimiter(db, limits, rateLimitKey),
    pepper: new Uint8Array(crypto.randomBytes(32)),
    appUrl: "http://localhost:3000",
    now: () => clock.now,
  };
  const lastMail = async (to: string) => {
    await mail.drain();
    return (await listOutbox(outboxDir, 1000)).find((m) => m.to === to);
  };
  return {
    deps,
    clock,
    outboxDir,
    rateLimitKey,
    lastMail,
    async lastCode(to) {
      const m = await lastMail(to);
      const match = m && /Your code: (\d{4}) (\d{4})|this code on the reset page: (\d{4}) (\d{4})/.exec(m.text);
      if (!match) throw new Error(`No code in the last mail to ${to}`);
      return match[1] ? `${match[1]}${match[2]}` : `${match[3]}${match[4]}`;
    },
    cleanup: () => fs.rmSync(outboxDir, { recursive: true, force: true }),
  };
}
