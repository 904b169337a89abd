// Database notifications (LISTEN/NOTIFY, triggers included) as a test sees them.
import type { Database } from "../db/client.ts";

/**
 * The payloads notified on `channel` while `run` ran, and a moment after: a notification is delivered after its
 * transaction commits, so the helper waits up to 2 s for a first one, then 50 ms more for any that follow.
 */
export async function notificationsDuring(
  db: Database,
  channel: string,
  run: () => Promise<unknown>,
): Promise<string[]> {
  const seen: string[] = [];
  const stop = await db.listen(channel, (payload) => seen.push(payload));
  try {
    await run();
    const until = Date.now() + 2_000;
    while (seen.length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    await stop();
  }
  return seen;
}
