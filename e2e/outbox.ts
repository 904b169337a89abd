import { listOutbox } from "../core/platform/mail/index.ts";
import { E2E_OUTBOX_DIR } from "./env.ts";

/** The newest mail to an address, waiting briefly for it to arrive. */
export async function latestMailTo(to: string, timeoutMs = 5_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listOutbox(E2E_OUTBOX_DIR, 500)).find((m) => m.to === to);
    if (found) return found;
    if (Date.now() > until) throw new Error(`No mail to ${to} in ${E2E_OUTBOX_DIR}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The newest mail to an address with a given template, created after `after` (ms), waiting for the queue. */
export async function mailTo(to: string, template: string, after = 0, timeoutMs = 20_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await listOutbox(E2E_OUTBOX_DIR, 1000)).find(
      (m) => m.to === to && m.template === template && new Date(m.createdAt).getTime() >= after,
    );
    if (found) return found;
    if (Date.now() > until) throw new Error(`No ${template} mail to ${to} in ${E2E_OUTBOX_DIR}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
