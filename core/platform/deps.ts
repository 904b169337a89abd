// The one deps builder: what core functions need from the running server, named the way their `*Deps`
// interfaces name it (db, mail, limiter, jobs, appUrl, pepper, unsubscribeKey, onPublicChange, bookingPages).
// Routes and tRPC routers pass this object (or its `db`) to core and never reach into `services.db` themselves, so
// the Prisma client stays an opaque handle at the edges and every query lives in core/.
import type { BookingPageCache } from "../catalog/booking-page.ts";
import type { PrismaClient } from "./db/client.ts";
import type { JobQueue } from "./jobs/queue.ts";
import type { MailQueue } from "./mail/queue.ts";
import type { RateLimiter } from "./rate-limit.ts";
import type { Services } from "./services.ts";

export interface CoreDeps {
  db: PrismaClient;
  mail: MailQueue;
  limiter: RateLimiter;
  jobs: JobQueue;
  appUrl: string;
  /** Keys the HMAC of one-time codes. */
  pepper: Uint8Array;
  /** Keys one-click unsubscribe links. */
  unsubscribeKey: Uint8Array;
  /** Clears the anonymous page cache when what public pages show changes. */
  onPublicChange: () => void;
  /** The booking page's reading of each expert, kept briefly (core/catalog/booking-page.ts). */
  bookingPages: BookingPageCache;
}

export function coreDeps(services: Services): CoreDeps {
  return {
    db: services.db.prisma,
    mail: services.mailQueue,
    limiter: services.rateLimiter,
    jobs: services.jobs,
    appUrl: services.config.appUrl,
    pepper: services.secrets.codePepper,
    unsubscribeKey: services.secrets.unsubscribeKey,
    // publicPages is registered after the services are created (createHttpApp): look it up on each call.
    onPublicChange: () => services.publicPages?.invalidate(),
    bookingPages: services.bookingPages,
  };
}
