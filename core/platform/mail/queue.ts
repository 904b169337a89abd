// Sends mail after the response is decided, so that an endpoint's timing does not reveal whether it sent one
// (account enumeration). Failures are logged with the template name, never dropped silently; shutdown and tests
// wait for pending sends with drain(). The booking issue moves sending onto the pg-boss queue (with retries).
// `defer` runs other work the same way: whatever would make an answer slower for an existing account (looking it
// up, writing its code) happens after the answer, so every address is answered in the same time.
import type { Mailer, MailMessage } from "./index.ts";

export class MailQueue {
  private readonly pending = new Set<Promise<void>>();
  private gate: Promise<void> = Promise.resolve();
  constructor(
    private readonly mailer: Mailer,
    private readonly onError: (error: unknown, message: Pick<MailMessage, "template">) => void,
  ) {}

  enqueue(message: MailMessage): void {
    this.track(
      () => this.mailer.send(message),
      (error) => this.onError(error, message),
    );
  }

  /** Runs `work` after the current response is decided (its failures are logged under `label`, never thrown). */
  defer(label: string, work: () => Promise<void>): void {
    this.track(work, (error) => this.onError(error, { template: `deferred:${label}` }));
  }

  /**
   * Holds every later send and deferred work until the returned function is called: lets a test observe what a
   * request did before its answer, without depending on timing.
   */
  hold(): () => void {
    let release!: () => void;
    const previous = this.gate;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.gate = previous.then(() => held);
    return release;
  }

  private track(work: () => Promise<unknown>, onError: (error: unknown) => void): void {
    const gate = this.gate;
    const p = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => gate)
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
