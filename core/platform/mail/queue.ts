// Sends mail after the response is decided, so that an endpoint's timing does not reveal whether it sent one
// (account enumeration). Failures are logged with the template name, never dropped silently; shutdown and tests
// wait for pending sends with drain(). The booking issue moves sending onto the pg-boss queue (with retries).
import type { Mailer, MailMessage } from "./index.ts";

export class MailQueue {
  private readonly pending = new Set<Promise<void>>();
  constructor(
    private readonly mailer: Mailer,
    private readonly onError: (error: unknown, message: MailMessage) => void,
  ) {}

  enqueue(message: MailMessage): void {
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.mailer.send(message))
      .then(
        () => undefined,
        (error: unknown) => this.onError(error, message),
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
