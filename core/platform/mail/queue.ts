// Sends mail after the response is decided, so that an endpoint's timing does not reveal whether it sent one
// (account enumeration). Failures are logged with the template name, never dropped silently; shutdown and tests
// wait for pending work with drain(). `defer` runs other work the same way: whatever would make an answer slower
// for an existing account (looking it up, writing its code) happens after the answer, so every address is
// answered in the same time. "After the answer" means after the response has been sent (the request's `answered`
// signal, server/app.ts): waiting only for the next turn of the event loop is not enough, since rendering the
// answer itself takes several turns and deferred database work on the embedded database would delay it.
//
// Where the mail goes depends on the database (docs/scaling.md):
// - on the PostgreSQL server a `DurableMail` is given: each message becomes a pg-boss job (sealed, see sealed.ts)
//   that any instance sends, with retries, so an instance that dies after queuing loses no mail;
// - on embedded PGlite (one process) the message is sent from this process, as before.
import type { Mailer, MailMessage } from "./index.ts";

/** Where durable mail goes: a job per message, and a way to wait until given jobs are sent (or given up). */
export interface DurableMail {
  /** Stores the message as a job; returns its id. */
  enqueue(message: MailMessage): Promise<string>;
  /** Resolves once every job of `ids` is finished (sent, or failed for good). */
  settled(ids: string[]): Promise<void>;
}

export class MailQueue {
  private readonly pending = new Set<Promise<void>>();
  /** Jobs this process queued that drain() has not yet seen finished. */
  private readonly queued = new Set<string>();
  private gate: Promise<void> = Promise.resolve();
  constructor(
    private readonly mailer: Mailer,
    private readonly onError: (error: unknown, message: Pick<MailMessage, "template">) => void,
    private readonly durable?: DurableMail,
  ) {}

  /** Whether mail survives this process (queued in the database) or is sent from it. */
  get isDurable(): boolean {
    return this.durable !== undefined;
  }

  enqueue(message: MailMessage): void {
    const durable = this.durable;
    this.track(
      durable
        ? async () => {
            this.queued.add(await durable.enqueue(message));
          }
        : () => this.mailer.send(message),
      (error) => this.onError(error, message),
    );
  }

  /**
   * Runs `work` once `answered` resolves (the current response has been sent), or on the next turn of the event loop
   * for a caller outside an HTTP request. Its failures are logged under `label`, never thrown.
   */
  defer(label: string, answered: Promise<void> | undefined, work: () => Promise<void>): void {
    this.track(work, (error) => this.onError(error, { template: `deferred:${label}` }), answered);
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

  private track(work: () => Promise<unknown>, onError: (error: unknown) => void, answered?: Promise<void>): void {
    const gate = this.gate;
    const p = (answered ?? Promise.resolve())
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => gate)
      .then(work)
      .then(
        () => undefined,
        (error: unknown) => onError(error),
      )
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  /** Waits until every message given so far is queued durably (or sent, without a durable queue): for shutdown. */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  /** Waits until every message given so far is sent (or failed for good), wherever it is sent from. */
  async drain(): Promise<void> {
    await this.flush();
    while (this.durable && this.queued.size > 0) {
      const ids = [...this.queued];
      await this.durable.settled(ids);
      for (const id of ids) this.queued.delete(id);
      await this.flush(); // a sent job may have deferred more work
    }
  }
}
