// Privacy requests made outside the privacy center: in a help ticket, on the contact form, or by an email or a phone
// call that support logs in the console. Anyone can write to us from any address, so such a request becomes a
// tracked request (on the DPO's queue, with its one-month clock) only once the requester proves they control the
// address they gave: we email a code to it (stored only as a keyed hash, short-lived, a few attempts, mail limited
// per recipient and per IP), and they type it on /privacy/confirm. Until then the request is AWAITING_IDENTITY.
//
// The escalation job lives here too: a tracked request nobody has acted on when its deadline (the extended one after
// an extension) is 7 days away is flagged once per deadline and mailed to the DPO and the admins (a reference and a
// link, nothing personal).
import crypto from "node:crypto";
import { z } from "zod";
import type { PrivacyRequestSource, PrivacyRequestType } from "../generated/prisma/enums.ts";
import { DomainError, isDomainError, parseInput } from "../errors/index.ts";
import { hexEqual, hmacHex, randomDigits } from "../identity/crypto.ts";
import { emailSchema } from "../identity/users.ts";
import { layout } from "../mail/templates.ts";
import type { MailMessage } from "../platform/mail/index.ts";
import { consumeMailLimits, type RateLimiter } from "../platform/rate-limit.ts";
import { DEFAULT_LOCALE, formatDate } from "../time/format.ts";
import { dpoLine } from "./mail.ts";
import { clock, dueDateFor, effectiveDue, GRACE_DAYS, type PrivacyDeps } from "./requests.ts";

export const IDENTITY_CODE_DIGITS = 8;
export const IDENTITY_CODE_LIFETIME_MS = 30 * 60_000;
export const MAX_IDENTITY_ATTEMPTS = 5;
export const ESCALATE_DAYS_BEFORE_DUE = 7;
const DAY = 86_400_000;

export interface IntakeDeps extends PrivacyDeps {
  limiter: RateLimiter;
  /** Keys the HMAC of identity codes (the server's code pepper). */
  codeKey: Uint8Array;
}

const INVALID = "That code is not valid or has expired. Check the latest email, or ask for a new code.";
const LOCKED = "Too many wrong attempts for this code. Please ask for a new code.";

const codeHash = (key: Uint8Array, requestId: string, code: string) =>
  hmacHex(key, `privacy-request\n${requestId}\n${code}`);

export const confirmUrl = (appUrl: string, requestId: string) =>
  `${appUrl}/privacy/confirm?request=${encodeURIComponent(requestId)}`;

function identityCodeEmail(to: string, opts: { requestId: string; code: string; appUrl: string }): MailMessage {
  return layout({
    to,
    subject: "Confirm your privacy request to Mind Namo",
    template: "privacy-identity-code",
    footer: `Mind Namo — a message about your privacy request. ${dpoLine}`,
    paragraphs: [
      "We received a privacy request that gave this email address. To make sure it really comes from you, please " +
        "confirm it with this code within 30 minutes:",
      opts.code.replace(/(\d{4})(\d{4})/, "$1 $2"),
      `Enter it here: ${confirmUrl(opts.appUrl, opts.requestId)}`,
      "Our one-month deadline to answer starts once you confirm. If you did not ask us anything, ignore this email: " +
        "nothing happens without the code.",
      dpoLine,
    ],
  });
}

function confirmedEmail(to: string, opts: { dueAt: Date; appUrl: string }): MailMessage {
  return layout({
    to,
    subject: "Your privacy request is confirmed",
    template: "privacy-identity-confirmed",
    footer: `Mind Namo — a message about your privacy request. ${dpoLine}`,
    paragraphs: [
      "Thank you: your privacy request is confirmed and is now with our Data Protection Officer.",
      `We will answer by ${opts.dueAt.toISOString().slice(0, 10)} (UTC) at the latest, by email.`,
      dpoLine,
    ],
  });
}

const PRIVACY_TYPES = ["ACCESS", "CORRECTION", "DELETION", "OPT_OUT", "OTHER"] as const;
const typeSchema = z.enum(PRIVACY_TYPES, { error: "Choose what the request is about." });

/** What a person may say they ask for on the help and contact forms, in their words (the last is the default). */
export const PRIVACY_TYPE_CHOICES = [
  { value: "ACCESS", label: "A copy of my data" },
  { value: "CORRECTION", label: "A correction to my data" },
  { value: "DELETION", label: "Deletion of my data" },
  { value: "OPT_OUT", label: "Opting out of a use of my data" },
  { value: "OTHER", label: "Something else, or not sure" },
] as const satisfies ReadonlyArray<{ value: PrivacyRequestType; label: string }>;

const choiceSchema = z.enum(PRIVACY_TYPES, { error: "Choose what you are asking for from the list." });

/**
 * The type a help or contact form gives its privacy request. The field is always sent (without JavaScript or
 * `:has()` it is always shown), so it counts only under the privacy category; left empty it is "something else".
 * A value not on the list (only a hand-made request sends one) is refused under the field's name, before any
 * ticket is opened.
 */
export function requestedPrivacyType(category: string, value: unknown): PrivacyRequestType | undefined {
  if (category !== "PRIVACY") return undefined;
  if (value === undefined || value === null || value === "") return "OTHER";
  return parseInput(choiceSchema, value, "privacyType");
}

/**
 * Records a privacy request made outside the privacy center and emails the identity code to the address given.
 * Counts one mail for the IP and one for the recipient (the same limits as every mail-sending path).
 */
export async function openPrivacyRequest(
  deps: IntakeDeps,
  input: {
    source: Exclude<PrivacyRequestSource, "ACCOUNT">;
    email: unknown;
    type?: unknown;
    ticketId?: string | null;
    userId?: string | null;
    details?: string | null;
  },
  ctx: { ip: string },
) {
  const email = parseInput(emailSchema, input.email, "email");
  const type: PrivacyRequestType = parseInput(typeSchema, input.type ?? "OTHER", "type");
  // A request that comes with a ticket is recorded even when the mail limit refuses its code: the ticket exists
  // already, and a request lost to a busy mailbox would be a request nobody answers. The code can be sent later
  // from the confirmation page (resendIdentityCode, limited too). Without a ticket the limit refuses the request.
  let codeSent = true;
  try {
    await consumeMailLimits(deps.limiter, { ip: ctx.ip, recipient: email });
  } catch (error) {
    if (!(input.ticketId && isDomainError(error) && error.code === "RATE_LIMITED")) throw error;
    codeSent = false;
  }
  const now = clock(deps);
  const id = crypto.randomUUID();
  const code = randomDigits(IDENTITY_CODE_DIGITS);
  await deps.db.privacyRequest.create({
    data: {
      id,
      userId: input.userId ?? null,
      type,
      status: "AWAITING_IDENTITY",
      source: input.source,
      requesterEmail: email,
      ticketId: input.ticketId ?? null,
      details: input.details?.slice(0, 4000) ?? null,
      receivedAt: now,
      // Provisional: the clock starts when the identity is confirmed (confirmPrivacyRequest sets it again).
      dueAt: dueDateFor(now),
      verificationCodeHash: codeHash(deps.codeKey, id, code),
      verificationExpiresAt: new Date(now.getTime() + IDENTITY_CODE_LIFETIME_MS),
    },
    select: { id: true },
  });
  if (codeSent) deps.mail.enqueue(identityCodeEmail(email, { requestId: id, code, appUrl: deps.appUrl }));
  return { id, codeSent };
}

// Request ids are UUIDs: anything else (a NUL byte, a script, a novel) is refused before it reaches the database.
const requestIdSchema = z
  .string({ error: INVALID })
  .trim()
  .regex(/^[0-9a-fA-F-]{1,64}$/, INVALID);
const codeSchema = z
  .string({ error: "Enter the code from the email." })
  .transform((s) => s.replace(/[\s-]/g, ""))
  .pipe(
    z
      .string()
      .min(1, "Enter the code from the email.")
      .regex(/^\d{8}$/, "The code has 8 digits."),
  );

/** What the confirmation page may show about a request: nothing but whether it still waits for a code. */
export async function pendingConfirmation(deps: Pick<PrivacyDeps, "db">, requestId: unknown) {
  const parsed = requestIdSchema.safeParse(requestId);
  if (!parsed.success) return null;
  const r = await deps.db.privacyRequest.findUnique({
    where: { id: parsed.data },
    select: { id: true, status: true },
  });
  return r ? { id: r.id, awaiting: r.status === "AWAITING_IDENTITY" } : null;
}

/**
 * The requester types the emailed code. Right code, in time, within the attempts: the request becomes PENDING, its
 * deadline is one month from now, and it is linked to the account that owns the address (if any). Every attempt
 * counts against `secret:ip`; an unknown or already confirmed request reads like a wrong code.
 */
export async function confirmPrivacyRequest(
  deps: IntakeDeps,
  input: { requestId: unknown; code: unknown },
  ctx: { ip: string },
) {
  const requestId = parseInput(requestIdSchema, input.requestId, "code");
  const code = parseInput(codeSchema, input.code ?? "", "code");
  await deps.limiter.consume("secret:ip", ctx.ip);
  const now = clock(deps);
  const r = await deps.db.privacyRequest.findUnique({
    where: { id: requestId },
    select: {
      id: true,
      type: true,
      status: true,
      userId: true,
      requesterEmail: true,
      source: true,
      verificationCodeHash: true,
      verificationExpiresAt: true,
    },
  });
  if (
    !r ||
    r.status !== "AWAITING_IDENTITY" ||
    !r.verificationCodeHash ||
    !r.requesterEmail ||
    !r.verificationExpiresAt ||
    r.verificationExpiresAt.getTime() <= now.getTime()
  )
    throw new DomainError("VALIDATION", INVALID, { field: "code" });
  // Count the attempt before checking it, atomically: parallel guesses cannot exceed the limit.
  const counted = await deps.db.privacyRequest.updateMany({
    where: { id: r.id, status: "AWAITING_IDENTITY", verificationAttempts: { lt: MAX_IDENTITY_ATTEMPTS } },
    data: { verificationAttempts: { increment: 1 } },
  });
  if (counted.count === 0) throw new DomainError("RATE_LIMITED", LOCKED, { field: "code" });
  if (!hexEqual(r.verificationCodeHash, codeHash(deps.codeKey, r.id, code))) {
    const after = await deps.db.privacyRequest.findUnique({
      where: { id: r.id },
      select: { verificationAttempts: true },
    });
    const locked = (after?.verificationAttempts ?? MAX_IDENTITY_ATTEMPTS) >= MAX_IDENTITY_ATTEMPTS;
    throw new DomainError(locked ? "RATE_LIMITED" : "VALIDATION", locked ? LOCKED : INVALID, { field: "code" });
  }
  // The address is proven: a request from an account's own (verified) address belongs to that account.
  const owner =
    r.userId ??
    (
      await deps.db.user.findFirst({
        where: { email: r.requesterEmail, status: "ACTIVE", emailVerifiedAt: { not: null } },
        select: { id: true },
      })
    )?.id ??
    null;
  const dueAt = dueDateFor(now);
  const confirmed = await deps.db.privacyRequest.updateMany({
    where: { id: r.id, status: "AWAITING_IDENTITY", verificationCodeHash: r.verificationCodeHash },
    data: {
      status: "PENDING",
      userId: owner,
      dueAt,
      identityCheck: `Code emailed to the address the requester gave, confirmed at ${now.toISOString()}.`,
      identityCheckedAt: now,
      verificationCodeHash: null,
      verificationExpiresAt: null,
      ...(r.type === "DELETION" ? { graceEndsAt: new Date(now.getTime() + GRACE_DAYS * DAY) } : {}),
    },
  });
  if (confirmed.count !== 1) throw new DomainError("VALIDATION", INVALID, { field: "code" });
  deps.mail.enqueue(confirmedEmail(r.requesterEmail, { dueAt, appUrl: deps.appUrl }));
  return { id: r.id, dueAt };
}

/** A fresh code for a request still awaiting its identity check (the old one stops working). Mail-limited. */
export async function resendIdentityCode(deps: IntakeDeps, input: { requestId: unknown }, ctx: { ip: string }) {
  const parsed = requestIdSchema.safeParse(input.requestId);
  if (!parsed.success) return { sent: false as const };
  const r = await deps.db.privacyRequest.findUnique({
    where: { id: parsed.data },
    select: { id: true, status: true, requesterEmail: true },
  });
  // Nothing is said about requests that do not exist or are already confirmed.
  if (!r || r.status !== "AWAITING_IDENTITY" || !r.requesterEmail) return { sent: false as const };
  await consumeMailLimits(deps.limiter, { ip: ctx.ip, recipient: r.requesterEmail });
  const now = clock(deps);
  const code = randomDigits(IDENTITY_CODE_DIGITS);
  await deps.db.privacyRequest.updateMany({
    where: { id: r.id, status: "AWAITING_IDENTITY" },
    data: {
      verificationCodeHash: codeHash(deps.codeKey, r.id, code),
      verificationExpiresAt: new Date(now.getTime() + IDENTITY_CODE_LIFETIME_MS),
      verificationAttempts: 0,
    },
  });
  deps.mail.enqueue(identityCodeEmail(r.requesterEmail, { requestId: r.id, code, appUrl: deps.appUrl }));
  return { sent: true as const };
}

// ---------------------------------------------------------------- escalation

/** Staff actions on a request that count as "someone is working on it" (views do not). */
const ACTIONS_THAT_COUNT = [
  "privacy.request.identity_check",
  "privacy.request.extend",
  "privacy.request.approve",
  "privacy.request.reject",
  "privacy.hold.place",
];

function escalationEmail(
  to: string,
  refs: Array<{ id: string; dueAt: Date; extended: boolean }>,
  appUrl: string,
): MailMessage {
  return layout({
    to,
    subject: `Privacy requests due within ${ESCALATE_DAYS_BEFORE_DUE} days have no decision yet`,
    template: "privacy-escalation",
    footer: "Mind Namo — back-office alert. Sent to the Data Protection Officer and the administrators.",
    paragraphs: [
      `These privacy requests reach their legal deadline within ${ESCALATE_DAYS_BEFORE_DUE} days and nobody has ` +
        "acted on them yet:",
      refs
        .map(
          (r) =>
            `Request ${r.id.slice(0, 8)}, due ${formatDate(r.dueAt, { tz: "UTC", locale: DEFAULT_LOCALE })} (UTC)` +
            `${r.extended ? ", already extended once" : ""}: ${appUrl}/admin/privacy/${r.id}`,
        )
        .join("\n"),
      refs.every((r) => r.extended)
        ? "Their deadlines were already extended once and cannot be extended again: please decide them before they are overdue."
        : "Please decide them before they are overdue. A deadline not yet extended may be extended once, with a reason.",
    ],
  });
}

/**
 * The recurring escalation. A tracked request still PENDING and undecided is flagged (escalatedAt) and mailed to
 * the active DPOs and admins once its current deadline — the extended one after an extension — is at most 7 days
 * away and nobody has acted on it for that deadline:
 *   - never extended: no identity check, extension, decision or hold by staff, ever;
 *   - extended: none of those since the extension (the extension itself started the new period, it does not count
 *     for it). An escalation before the extension was about the first deadline: the extended one is escalated
 *     again, once, when it in turn is 7 days away.
 * Each deadline is escalated at most once; one mail lists the references and links. Returns how many were escalated.
 */
export async function escalateUntouchedRequests(deps: Pick<PrivacyDeps, "db" | "mail" | "appUrl" | "now">) {
  const now = clock(deps);
  const horizon = new Date(now.getTime() + ESCALATE_DAYS_BEFORE_DUE * DAY);
  const candidates = await deps.db.privacyRequest.findMany({
    where: {
      status: "PENDING",
      decidedAt: null,
      OR: [
        { extendedUntil: null, escalatedAt: null, dueAt: { lte: horizon } },
        {
          extendedUntil: { lte: horizon },
          OR: [{ escalatedAt: null }, { escalatedAt: { lt: deps.db.privacyRequest.fields.extendedAt } }],
        },
      ],
    },
    orderBy: { dueAt: "asc" },
    take: 500,
    select: { id: true, dueAt: true, extendedUntil: true, extendedAt: true, escalatedAt: true },
  });
  const escalated: Array<{ id: string; dueAt: Date; extended: boolean }> = [];
  for (const r of candidates) {
    const since = r.extendedUntil ? r.extendedAt : null;
    const acted = await deps.db.auditEvent.count({
      where: {
        purpose: `privacy-request:${r.id}`,
        ...(since
          ? { action: { in: ACTIONS_THAT_COUNT.filter((a) => a !== "privacy.request.extend") }, at: { gte: since } }
          : { action: { in: ACTIONS_THAT_COUNT } }),
      },
    });
    if (acted > 0) continue;
    // Once per deadline, even with two workers: only one update can move escalatedAt from the value read.
    const { count } = await deps.db.privacyRequest.updateMany({
      where: { id: r.id, escalatedAt: r.escalatedAt },
      data: { escalatedAt: now },
    });
    if (count === 1) escalated.push({ id: r.id, dueAt: effectiveDue(r), extended: r.extendedUntil !== null });
  }
  if (escalated.length > 0) {
    const staff = await deps.db.user.findMany({
      where: { role: { in: ["DPO", "ADMIN"] }, status: "ACTIVE" },
      select: { email: true },
    });
    for (const s of staff) deps.mail.enqueue(escalationEmail(s.email, escalated, deps.appUrl));
  }
  return { escalated: escalated.length, ids: escalated.map((r) => r.id) };
}

const SOURCE_OF_CHANNEL = {
  WEB: "TICKET",
  CONTACT_FORM: "CONTACT_FORM",
  EMAIL: "EMAIL",
  PHONE: "PHONE",
} as const;

/**
 * A ticket filed under "Privacy and my data" (help form, contact form, or an email or call logged by support) is
 * also a privacy request: it is recorded with the ticket linked and the identity code goes to the ticket's address.
 * Other categories: nothing happens (null).
 */
export async function privacyRequestForTicket(deps: IntakeDeps, ticketId: string, ctx: { ip: string; type?: unknown }) {
  const t = await deps.db.supportTicket.findUnique({
    where: { id: ticketId },
    select: {
      id: true,
      category: true,
      channel: true,
      contactEmail: true,
      requesterId: true,
      requester: { select: { email: true } },
    },
  });
  if (!t || t.category !== "PRIVACY") return null;
  const email = t.requester?.email ?? t.contactEmail;
  if (!email) return null;
  return openPrivacyRequest(
    deps,
    { source: SOURCE_OF_CHANNEL[t.channel], email, type: ctx.type, ticketId: t.id, userId: t.requesterId },
    { ip: ctx.ip },
  );
}
