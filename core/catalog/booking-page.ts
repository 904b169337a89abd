// The booking page's reading of one expert — their public profile and the slots they can be booked for — kept in
// memory for a few seconds per instance. The booking page is the busiest signed-in page, and this reading was
// most of its database and CPU cost (one statement with six relations, then the slot grid of four weeks) although
// it is the same for every visitor until something about the expert changes.
//
// Nothing here can book a taken time: booking re-checks the slot in its own transaction (bookSlot) and the
// database's exclusion constraint refuses an overlap. What the cache must get right is what a person sees, so:
// - every write to what the reading is made of (the expert's profile, topics, weekly hours, time off, bookings; a
//   topic's name; a person's name, status or photo), from any instance, code path or a hand-run statement, fires a
//   trigger that notifies BOOKING_PAGES_CHANNEL at commit (migration 20261203150000_booking_page_notify), and
//   every instance drops that expert's entry (server/boot.ts);
// - a reading that started before a change to its expert and ends after it is not kept (the sequence check
//   below), so a notification can never be overtaken by the stale answer it was meant to remove; readings of
//   other experts in flight at that moment are kept, so a busy expert's bookings do not cost everyone else's;
// - an entry lives at most `ttlMs` even if a notification is lost (a reconnecting listener).
// docs/decisions/0019-booking-page-cache.md.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { computeSlots, farEnoughAhead, type Slot } from "../scheduling/slots.ts";
import type { LoadedSchedule } from "../scheduling/schedule.ts";
import { getPublishedExpertWithSchedule, type PublishedExpert } from "./index.ts";

export const BOOKING_PAGES_CHANNEL = "mn_booking_pages";

const DAY_MS = 86_400_000;
/** How far ahead a time can be booked. */
export const BOOKING_DAYS = 28;

export interface BookingPageReading {
  expert: PublishedExpert;
  /** Bookable slots starting in [now, now + days), earliest first, at most `limit`. */
  slots: Slot[];
}

export interface BookingPageCache {
  read(db: PrismaClient, slug: string, now?: Date): Promise<BookingPageReading | null>;
  /** Drops what is kept of one expert (by profile id), or of every expert when `expertId` is "". */
  invalidate(expertId: string): void;
  readonly size: number;
}

interface Entry {
  expertId: string;
  loadedAt: number;
  expiresAt: number;
  expert: PublishedExpert;
  schedule: LoadedSchedule;
  /** Slots free of time off and bookings from loadedAt to the end of the longest window a request can ask for. */
  free: Slot[];
}

export function createBookingPageCache(
  opts: { ttlMs?: number; days?: number; limit?: number; maxEntries?: number } = {},
): BookingPageCache {
  const ttlMs = opts.ttlMs ?? 30_000;
  const days = opts.days ?? BOOKING_DAYS;
  const limit = opts.limit ?? 400;
  const maxEntries = opts.maxEntries ?? 500;
  const entries = new Map<string, Entry>();
  const loading = new Map<string, Promise<Entry | null>>();
  // Every invalidation takes the next number; a load remembers the number current when it began and is answered
  // but not kept if its expert (or every expert) was invalidated after that. The slug of a load in flight is not
  // yet tied to an expert, hence numbers per expert id rather than per slug.
  let seq = 0;
  let allInvalidatedAt = 0;
  const invalidatedAt = new Map<string, number>();
  /** The expert each slug read last belonged to: which loads in flight an invalidation concerns. */
  const expertOfSlug = new Map<string, string>();

  async function load(db: PrismaClient, slug: string, now: number): Promise<Entry | null> {
    const started = seq;
    // Requests within the entry's life ask for windows ending up to ttlMs later than this one.
    const range = { from: new Date(now), to: new Date(now + days * DAY_MS + ttlMs) };
    const found = await getPublishedExpertWithSchedule(db, slug, range);
    if (!found) return null;
    const { expert, schedule } = found;
    expertOfSlug.set(slug, expert.id);
    const entry: Entry = {
      expertId: expert.id,
      loadedAt: now,
      expiresAt: now + ttlMs,
      expert,
      schedule,
      free: computeSlots(schedule, { ...range, now: range.from }),
    };
    if (allInvalidatedAt <= started && (invalidatedAt.get(expert.id) ?? 0) <= started) {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
      entries.set(slug, entry);
    }
    return entry;
  }

  return {
    async read(db, slug, now = new Date()) {
      const t = now.getTime();
      let entry = entries.get(slug);
      if (!entry || t < entry.loadedAt || t >= entry.expiresAt) {
        // One load per expert at a time: a burst of visitors waits for the same statement.
        let pending = loading.get(slug);
        if (!pending) {
          pending = load(db, slug, t).finally(() => {
            if (loading.get(slug) === pending) loading.delete(slug);
          });
          loading.set(slug, pending);
        }
        entry = (await pending) ?? undefined;
        if (!entry) return null;
      }
      const end = t + days * DAY_MS;
      const slots: Slot[] = [];
      for (const slot of entry.free) {
        if (slot.startsAt.getTime() >= end || slots.length >= limit) break;
        if (farEnoughAhead(entry.schedule, slot.startsAt, now)) slots.push(slot);
      }
      return { expert: entry.expert, slots };
    },
    invalidate(expertId) {
      seq++;
      // Past the number of experts a page can hold, one mark for everyone: the same effect, bounded memory.
      if (expertId === "" || invalidatedAt.size >= maxEntries * 4) {
        allInvalidatedAt = seq;
        invalidatedAt.clear();
        expertOfSlug.clear();
        loading.clear();
        entries.clear();
        return;
      }
      invalidatedAt.set(expertId, seq);
      // A load in flight for this expert (or for a slug not yet read) may hold the old reading: later readers
      // start their own.
      for (const slug of loading.keys()) {
        const of = expertOfSlug.get(slug);
        if (of === undefined || of === expertId) loading.delete(slug);
      }
      for (const [slug, entry] of entries) if (entry.expertId === expertId) entries.delete(slug);
    },
    get size() {
      return entries.size;
    },
  };
}
