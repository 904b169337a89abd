// The public pages an anonymous visitor gets (home, the directory, expert profiles) are kept per instance for a few
// seconds (server/page-cache.ts). Every write to a row they are made of — an expert's profile, topics, hours or time
// off, a topic, a review, a person's name, status or photo — fires a trigger that notifies this channel at commit
// (migration 20261206050000_public_pages_notify), from any instance, code path or hand-run statement, and every
// instance drops its cached public pages (server/boot.ts). Bookings do not: a profile's next free times may be a
// few seconds old, and booking re-checks the slot.
export const PUBLIC_PAGES_CHANNEL = "mn_public_pages";
