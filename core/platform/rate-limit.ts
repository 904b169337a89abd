// Rate limiting for every route and service: rate-limiter-flexible with its counters in PostgreSQL
// (RateLimiterPrisma), so several app processes share them. Policies are named here, in one place; a caller
// consumes a policy for a key (an IP, an account id, an email) and gets a DomainError RATE_LIMITED when over.
// The stored key is never the subject itself: it is an HMAC-SHA-256 of it under a server key (rateLimitKeyOf), so
// the table holds no email or IP address, and an erasure can still find a person's counters by recomputing it.
import crypto from "node:crypto";
import { RateLimiterPrisma, RateLimiterRes } from "rate-limiter-flexible";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";

export interface RatePolicy {
  /** Allowed events per window. */
  points: number;
  /** Window length in seconds. */
  duration: number;
  /** When over the limit, block for this many seconds (default: until the window ends). */
  blockDuration?: number;
  /** Shown to the person who hit the limit. */
  message: string;
}

/** Every policy of the product. Stored keys are "<policy>:<HMAC of the subject>" (rateLimitKeyOf). */
export const ratePolicies = {
  /** Any non-GET request, per client IP: a coarse ceiling against floods. */
  "http:ip": {
    points: 120,
    duration: 60,
    message: "Too many requests from your network. Please wait a minute and try again.",
  },
  /** Contact/support forms and other mail-sending endpoints, per IP and per recipient. */
  "mail:ip": {
    points: 10,
    duration: 15 * 60,
    message: "Too many emails were requested from your network. Please try again later.",
  },
  "mail:recipient": {
    points: 5,
    duration: 60 * 60,
    message: "We have sent several emails to this address recently. Please check your inbox or try again later.",
  },
  /**
   * Password-reset mails, per recipient: their own budget, so code requests cannot use it up. Every reset link
   * mailed stays valid for its hour, so someone who uses this budget up has only sent the owner working links.
   */
  "mail:reset": {
    points: 5,
    duration: 60 * 60,
    message: "We have sent several reset emails to this address recently. Please use the link in the latest one.",
  },
  /** Secrets checked (passwords, codes), per IP and per account. */
  "secret:ip": {
    points: 30,
    duration: 15 * 60,
    message: "Too many attempts from your network. Please wait 15 minutes and try again.",
  },
  "secret:account": {
    points: 10,
    duration: 15 * 60,
    message: "Too many attempts for this account. Please wait 15 minutes and try again.",
  },
  /** Password attempts from the account's own browser (owner-device cookie), which skip `secret:account`. */
  "secret:device": {
    points: 10,
    duration: 15 * 60,
    message: "Too many attempts. Please wait 15 minutes and try again.",
  },
  /**
   * Passwords and codes given to confirm it's you (re-authentication), per account id. Only a signed-in session of
   * the account can use it up, so failures sent from elsewhere (which use up `secret:account`) never block the owner.
   */
  "secret:reauth": {
    points: 10,
    duration: 15 * 60,
    message: "Too many attempts. Please wait 15 minutes and try again.",
  },
  /** Re-authentication codes mailed, per account id: like `secret:reauth`, out of reach of code requests by others. */
  "mail:reauth": {
    points: 5,
    duration: 60 * 60,
    message: "We have sent several codes recently. Please check your inbox or try again later.",
  },
  /** Full data exports (P21) per account and day. */
  "export:account": {
    points: 5,
    duration: 24 * 60 * 60,
    message: "You have downloaded your data 5 times today.",
  },
  /** CSP violation reports (POST /csp-reports), per client IP, keyed by a keyed hash of the IP. */
  "csp:ip": { points: 30, duration: 10 * 60, message: "Too many reports from your network." },
  /** The anonymous usage beacon (POST /metrics), per client IP, keyed by a keyed hash of the IP (never the IP itself). */
  "metrics:ip": { points: 120, duration: 60, message: "Too many usage reports from your network." },
  /** Browser error reports (POST /errors), per client IP, keyed by a keyed hash of the IP. */
  "errors:ip": { points: 30, duration: 10 * 60, message: "Too many error reports from your network." },
} satisfies Record<string, RatePolicy>;

export type RatePolicyName = keyof typeof ratePolicies;

export interface RateLimiter {
  /** Counts one event (or `points`) for the key; throws DomainError("RATE_LIMITED") when over the limit. */
  consume(policy: RatePolicyName, subject: string, points?: number): Promise<void>;
  /** Clears a key, e.g. after a successful sign-in. */
  reset(policy: RatePolicyName, subject: string): Promise<void>;
  /** Seconds until one more event would be allowed for the key (0: allowed now), without counting one. */
  waitSeconds(policy: RatePolicyName, subject: string): Promise<number>;
}

/** The keyed hash that stands for a subject (an IP, an email, an account id) in the counters' keys. */
export function rateLimitSubject(key: Uint8Array, subject: string): string {
  return crypto.createHmac("sha256", key).update(`rate-limit\n${subject}`).digest("hex").slice(0, 40);
}

/** The row key of a policy's counter for a subject, as stored in RateLimiterFlexible.key. */
export function rateLimitKeyOf(key: Uint8Array, policy: RatePolicyName, subject: string): string {
  return `${policy}:${rateLimitSubject(key, subject)}`;
}

export function createRateLimiter(
  db: PrismaClient,
  overrides: Partial<Record<RatePolicyName, RatePolicy>> = {},
  /** The HMAC key of subjects (derived from the server secret). Without one, a random key for this process. */
  subjectKey: Uint8Array = new Uint8Array(crypto.randomBytes(32)),
): RateLimiter {
  const limiters = new Map<RatePolicyName, RateLimiterPrisma>();
  let first = true;
  const limiterFor = (name: RatePolicyName) => {
    let limiter = limiters.get(name);
    if (!limiter) {
      const policy: RatePolicy = overrides[name] ?? ratePolicies[name];
      limiter = new RateLimiterPrisma({
        storeClient: db,
        tableName: "rateLimiterFlexible",
        keyPrefix: name,
        points: policy.points,
        duration: policy.duration,
        blockDuration: policy.blockDuration ?? 0,
        // One limiter sweeps expired rows for all; the others need not.
        clearExpiredByTimeout: first,
      });
      first = false;
      limiters.set(name, limiter);
    }
    return limiter;
  };
  return {
    async consume(name, subject, points = 1) {
      try {
        await limiterFor(name).consume(rateLimitSubject(subjectKey, subject), points);
      } catch (error) {
        if (error instanceof RateLimiterRes) {
          const policy = overrides[name] ?? ratePolicies[name];
          throw new DomainError("RATE_LIMITED", policy.message, {
            retryAfterSeconds: Math.max(1, Math.ceil(error.msBeforeNext / 1000)),
          });
        }
        throw error;
      }
    },
    async reset(name, subject) {
      await limiterFor(name).delete(rateLimitSubject(subjectKey, subject));
    },
    async waitSeconds(name, subject) {
      const res = await limiterFor(name).get(rateLimitSubject(subjectKey, subject));
      const policy = overrides[name] ?? ratePolicies[name];
      if (!res || res.consumedPoints < policy.points) return 0;
      return Math.max(1, Math.ceil(res.msBeforeNext / 1000));
    },
  };
}

/** Counts one email for the requesting IP and for its recipient: nobody can flood an address with mail. */
export async function consumeMailLimits(
  limiter: RateLimiter,
  { ip, recipient }: { ip: string; recipient: string },
): Promise<void> {
  await limiter.consume("mail:ip", ip);
  await limiter.consume("mail:recipient", recipient);
}
