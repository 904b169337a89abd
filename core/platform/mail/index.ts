// One mail module: Resend when RESEND_API_KEY is set, otherwise the local outbox (one JSON file per message).
// Production never drops mail silently: core/platform/env refuses to start without a provider unless the outbox is
// chosen explicitly (MAIL_TRANSPORT=outbox). See docs/decisions/0004-outbox-mail.md.
import crypto from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
// nodemailer and resend are imported on the first send, not at start: a process uses one transport at most.
import type { Transporter } from "nodemailer";
import type { Resend } from "resend";
import { z } from "zod";

export interface MailAttachment {
  filename: string;
  content: string; // base64
  contentType: string;
}

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** The template's name, e.g. "verify-email": kept in the outbox and the email log, never the codes. */
  template: string;
  headers?: Record<string, string>;
  attachments?: MailAttachment[];
}

export interface SentMail {
  id: string;
  transport: "resend" | "outbox" | "smtp";
}

export interface Mailer {
  readonly transport: "resend" | "outbox" | "smtp";
  send(message: MailMessage): Promise<SentMail>;
}

export const outboxEntrySchema = z.object({
  id: z.string(),
  from: z.string(),
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  template: z.string(),
  headers: z.record(z.string(), z.string()).default({}),
  attachments: z.array(z.object({ filename: z.string(), content: z.string(), contentType: z.string() })).default([]),
  createdAt: z.string(),
});
export type OutboxEntry = z.infer<typeof outboxEntrySchema>;

export class OutboxMailer implements Mailer {
  readonly transport = "outbox" as const;
  constructor(
    private readonly dir: string,
    private readonly from: string,
  ) {}

  async send(message: MailMessage): Promise<SentMail> {
    await fs.mkdir(this.dir, { recursive: true, mode: 0o700 });
    const createdAt = new Date();
    const id = crypto.randomUUID();
    const entry: OutboxEntry = {
      id,
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      template: message.template,
      headers: message.headers ?? {},
      attachments: message.attachments ?? [],
      createdAt: createdAt.toISOString(),
    };
    // Sortable by time; written to a temporary name and renamed, so a reader never sees half a message.
    const name = `${createdAt.toISOString().replace(/[:.]/g, "-")}_${id}.json`;
    const tmp = path.join(this.dir, `.${name}.tmp`);
    await fs.writeFile(tmp, JSON.stringify(entry, null, 2), { mode: 0o600 });
    await fs.rename(tmp, path.join(this.dir, name));
    return { id, transport: "outbox" };
  }
}

export class ResendMailer implements Mailer {
  readonly transport = "resend" as const;
  private client?: Promise<Resend>;
  constructor(
    private readonly apiKey: string,
    private readonly from: string,
    private readonly baseUrl?: string,
  ) {}

  async send(message: MailMessage): Promise<SentMail> {
    this.client ??= import("resend").then(
      ({ Resend }) => new Resend(this.apiKey, this.baseUrl ? { baseUrl: this.baseUrl } : undefined),
    );
    const { data, error } = await (
      await this.client
    ).emails.send({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      attachments: message.attachments?.map((a) => ({
        filename: a.filename,
        content: a.content,
        contentType: a.contentType,
      })),
      tags: [{ name: "template", value: message.template.replace(/[^A-Za-z0-9_-]/g, "_") }],
    });
    // Never swallow a failure: callers (and the job queue) must see it and retry.
    if (error || !data)
      throw new Error(`Resend refused the message: ${error?.name ?? "unknown"} ${error?.message ?? ""}`);
    return { id: data.id, transport: "resend" };
  }
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** true: TLS from the first byte (port 465); false: STARTTLS, which is then required (never plain text). */
  secure: boolean;
  auth?: { user: string; pass: string };
  /** Extra trusted CAs (PEM), e.g. a private relay's; certificates are always verified. */
  ca?: string;
}

/**
 * SMTP through nodemailer. TLS is never optional: implicit TLS, or STARTTLS with `requireTLS` (a server that does
 * not offer it makes the send fail instead of falling back to plain text), certificates verified, TLS 1.2 at least.
 */
export class SmtpMailer implements Mailer {
  readonly transport = "smtp" as const;
  private client?: Promise<Transporter>;
  constructor(
    private readonly settings: SmtpSettings,
    private readonly from: string,
  ) {}

  private transporter(): Promise<Transporter> {
    const settings = this.settings;
    return (this.client ??= import("nodemailer").then(({ default: nodemailer }) =>
      nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        requireTLS: !settings.secure,
        ignoreTLS: false,
        auth: settings.auth,
        tls: { rejectUnauthorized: true, minVersion: "TLSv1.2", ...(settings.ca ? { ca: settings.ca } : {}) },
        connectionTimeout: 15_000,
        greetingTimeout: 15_000,
        socketTimeout: 30_000,
      }),
    ));
  }

  async send(message: MailMessage): Promise<SentMail> {
    const info = await (
      await this.transporter()
    ).sendMail({
      from: this.from,
      to: message.to,
      subject: message.subject,
      text: message.text,
      html: message.html,
      headers: message.headers,
      attachments: message.attachments?.map((a) => ({
        filename: a.filename,
        content: a.content,
        encoding: "base64",
        contentType: a.contentType,
      })),
    });
    return { id: String(info.messageId), transport: "smtp" };
  }
}

export function createMailer(cfg: {
  mailTransport: "resend" | "outbox" | "smtp";
  RESEND_API_KEY?: string | undefined;
  RESEND_BASE_URL?: string | undefined;
  SMTP_HOST?: string | undefined;
  SMTP_PORT?: number | undefined;
  SMTP_SECURE?: "true" | "false" | undefined;
  SMTP_USER?: string | undefined;
  SMTP_PASSWORD?: string | undefined;
  MAIL_FROM: string;
  mailOutboxDir: string;
}): Mailer {
  if (cfg.mailTransport === "smtp") {
    if (!cfg.SMTP_HOST || !cfg.SMTP_PORT)
      throw new Error("SMTP_HOST and SMTP_PORT are required for the smtp transport");
    return new SmtpMailer(
      {
        host: cfg.SMTP_HOST,
        port: cfg.SMTP_PORT,
        secure: cfg.SMTP_SECURE === "true",
        auth: cfg.SMTP_USER && cfg.SMTP_PASSWORD ? { user: cfg.SMTP_USER, pass: cfg.SMTP_PASSWORD } : undefined,
      },
      cfg.MAIL_FROM,
    );
  }
  if (cfg.mailTransport === "resend") {
    if (!cfg.RESEND_API_KEY) throw new Error("RESEND_API_KEY is required for the resend transport");
    return new ResendMailer(cfg.RESEND_API_KEY, cfg.MAIL_FROM, cfg.RESEND_BASE_URL);
  }
  return new OutboxMailer(cfg.mailOutboxDir, cfg.MAIL_FROM);
}

/** The newest messages of the outbox first. Unreadable files are skipped, not fatal. */
export async function listOutbox(dir: string, limit = 100): Promise<OutboxEntry[]> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files = names
    .filter((n) => n.endsWith(".json") && !n.startsWith("."))
    .sort()
    .reverse()
    .slice(0, limit);
  const entries = await Promise.all(
    files.map(async (name) => {
      try {
        const parsed = outboxEntrySchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, name), "utf8")));
        return parsed.success ? parsed.data : undefined;
      } catch {
        return undefined;
      }
    }),
  );
  return entries.filter((e): e is OutboxEntry => e !== undefined);
}

export async function readOutboxEntry(dir: string, id: string): Promise<OutboxEntry | undefined> {
  if (!/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n.endsWith(`_${id}.json`));
  if (!name) return undefined;
  const parsed = outboxEntrySchema.safeParse(JSON.parse(await fs.readFile(path.join(dir, name), "utf8")));
  return parsed.success ? parsed.data : undefined;
}
