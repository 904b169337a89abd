import { expect } from "@playwright/test";
import { listOutbox, type OutboxEntry } from "../core/platform/mail/index.ts";
import { E2E_OUTBOX_DIR } from "./env.ts";

/** Polls the outbox (Playwright's own back-off) until `pick` finds a mail, and returns it. */
async function waitForMail(
  pick: (mails: OutboxEntry[]) => OutboxEntry | undefined,
  limit: number,
  what: string,
  timeout: number,
) {
  let found: OutboxEntry | undefined;
  await expect
    .poll(async () => (found = pick(await listOutbox(E2E_OUTBOX_DIR, limit))) !== undefined, {
      message: `${what} in ${E2E_OUTBOX_DIR}`,
      timeout,
    })
    .toBe(true);
  return found!;
}

/** The newest mail to an address, waiting briefly for it to arrive. */
export function latestMailTo(to: string, timeoutMs = 5_000) {
  return waitForMail((mails) => mails.find((m) => m.to === to), 500, `No mail to ${to}`, timeoutMs);
}

/** The newest mail to an address with a given template, created after `after` (ms), waiting for the queue. */
export function mailTo(to: string, template: string, after = 0, timeoutMs = 20_000) {
  return waitForMail(
    (mails) => mails.find((m) => m.to === to && m.template === template && new Date(m.createdAt).getTime() >= after),
    1000,
    `No ${template} mail to ${to}`,
    timeoutMs,
  );
}
