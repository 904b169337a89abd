// What every Remix loader/action and tRPC procedure receives from the server: the services, created once at
// start, and the per-request facts (request id, CSP nonce, client IP).
import type { BookingPageCache } from "../catalog/booking-page.ts";
import type { Config } from "./env/index.ts";
import type { Database } from "./db/client.ts";
import type { Mailer } from "./mail/index.ts";
import type { MailQueue } from "./mail/queue.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { Logger } from "pino";

export interface Services {
  config: Config;
  db: Database;
  mailer: Mailer;
  /** Mail sent after the response is decided (no timing signal); drained at shutdown. */
  mailQueue: MailQueue;
  /** pg-boss on the product's database: booking mail, reminders. */
  jobs: JobQueue;
  secrets: {
    /** Keys the HMAC of one-time codes; derived from SESSION_SECRET (or a generated development secret). */
    codePepper: Uint8Array;
    /** Keys one-click unsubscribe links. */
    unsubscribeKey: Uint8Array;
    /** Keys the HMAC that stands for an IP, email or account id in rate-limit counters. */
    rateLimitKey: Uint8Array;
    /** Seals account mail waiting in the job table (core/platform/mail/sealed.ts). */
    mailJobKey: Uint8Array;
  };
  rateLimiter: RateLimiter;
  /** Each expert's booking-page reading, kept for seconds and dropped when the database says it changed. */
  bookingPages: BookingPageCache;
  logger: Logger;
  /**
   * The anonymous page cache of public pages (server/page-cache.ts), registered by createHttpApp: call
   * `invalidate()` when what those pages show changes (e.g. an expert's reviews), so visitors see it at once.
   */
  publicPages?: { invalidate(): void };
}

export interface RequestContext {
  services: Services;
  requestId: string;
  cspNonce: string;
  clientIp: string;
  /**
   * How the document for this request is to be compressed, in one piece, when it is rendered (app/entry.server):
   * chosen by the HTTP edge from Accept-Encoding. Absent: the edge's compression middleware decides (data requests,
   * pages the page cache stores uncompressed).
   */
  documentEncoding?: "br" | "gzip";
  /**
   * Resolves once this request's response has been sent (or its connection closed): work that must not delay the
   * answer waits for it (MailQueue.defer).
   */
  answered: Promise<void>;
}
