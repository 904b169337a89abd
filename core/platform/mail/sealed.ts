// Account mail waiting in the job table (pg-boss on the PostgreSQL server) is sealed: the whole message — address,
// subject, bodies with their codes and links — is AES-256-GCM encrypted under a key derived from the server secret
// ("mail-jobs"), so a database dump, a backup or a look at pgboss.job shows the template's name and nothing else.
// Sealing the rendered message (rather than storing ids and re-rendering at send time) keeps every template and
// call site as it is: a code exists in clear only at the moment it is made, and its hash is what the database keeps.
// Every instance shares SESSION_SECRET, so whichever picks the job up can open it.
import crypto from "node:crypto";
import { z } from "zod";
import type { MailMessage } from "./index.ts";

export interface SealedMail {
  v: 1;
  /** The template's name, for logs and the job's failures: never personal. */
  template: string;
  /** A keyed hash of the recipient's address (mailRecipientKeyOf): lets an erasure find the person's mail jobs. */
  recipient: string;
  /** base64url of iv (12 bytes) ‖ ciphertext ‖ tag (16 bytes). */
  box: string;
}

export const sealedMailSchema = z.object({
  v: z.literal(1),
  template: z.string(),
  recipient: z.string(),
  box: z.string(),
});

const messageSchema = z.object({
  to: z.string(),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  template: z.string(),
  headers: z.record(z.string(), z.string()).optional(),
  attachments: z.array(z.object({ filename: z.string(), content: z.string(), contentType: z.string() })).optional(),
});

// The template name is bound as associated data: a box cannot be relabelled as another template.
const aad = (template: string) => Buffer.from(`mindnamo-mail-job:v1:${template}`);

/** The keyed hash that stands for a recipient in a sealed job; `pepper` is the server's code pepper. */
export function mailRecipientKeyOf(pepper: Uint8Array, email: string): string {
  return crypto
    .createHmac("sha256", pepper)
    .update(`mail-recipient\n${email.trim().toLowerCase()}`)
    .digest("hex")
    .slice(0, 40);
}

export function sealMail(key: Uint8Array, recipientPepper: Uint8Array, message: MailMessage): SealedMail {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(aad(message.template));
  const body = Buffer.concat([cipher.update(JSON.stringify(message), "utf8"), cipher.final()]);
  return {
    v: 1,
    template: message.template,
    recipient: mailRecipientKeyOf(recipientPepper, message.to),
    box: Buffer.concat([iv, body, cipher.getAuthTag()]).toString("base64url"),
  };
}

/** Opens a sealed job; throws on a wrong key or any change to the box or its template name. */
export function openMail(key: Uint8Array, sealed: unknown): MailMessage {
  const s = sealedMailSchema.parse(sealed);
  const raw = Buffer.from(s.box, "base64url");
  if (raw.length < 12 + 16) throw new Error("sealed mail is too short");
  const decipher = crypto.createDecipheriv("aes-256-gcm", key, raw.subarray(0, 12));
  decipher.setAAD(aad(s.template));
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
  return messageSchema.parse(JSON.parse(plain.toString("utf8")));
}
