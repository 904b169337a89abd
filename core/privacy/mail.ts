// Privacy emails (P21-P25): every one names the Data Protection Officer and how to reach them.
import type { MailMessage } from "../platform/mail/index.ts";
import { layout } from "../mail/templates.ts";
import { DEFAULT_LOCALE, formatDate } from "../time/format.ts";
import { DPO_CONTACT } from "./dpo.ts";

export { DPO_CONTACT };

export const dpoLine = `Questions? Our Data Protection Officer: ${DPO_CONTACT.email}, ${DPO_CONTACT.address}.`;
const footer = `Mind Namo — a message about your privacy request. ${dpoLine}`;

// A day in words ("Wednesday, 2 December 2026"); the sentences say "(UTC)" where the hour could move the day.
const day = (d: Date) => formatDate(d, { tz: "UTC", locale: DEFAULT_LOCALE });

export const typeLabels = {
  ACCESS: "copy of your data",
  CORRECTION: "correction",
  DELETION: "deletion of your account",
  OPT_OUT: "opt-out",
  OTHER: "privacy request",
} as const;

export function deletionRequestedEmail(to: string, opts: { graceEndsAt: Date; appUrl: string }): MailMessage {
  return layout({
    to,
    subject: "We received your request to delete your Mind Namo account",
    template: "privacy-deletion-requested",
    footer,
    paragraphs: [
      "We received your request to delete your Mind Namo account and the data tied to it.",
      `You can cancel it until ${day(opts.graceEndsAt)} (UTC) in your privacy center: ${opts.appUrl}/account/privacy`,
      "Our Data Protection Officer reviews every deletion. After approval and once that date has " +
        "passed, we erase your data and send you a receipt listing what was erased and what the law " +
        "makes us keep.",
      dpoLine,
    ],
  });
}

export function correctionReceivedEmail(to: string, opts: { dueAt: Date; appUrl: string }): MailMessage {
  return layout({
    to,
    subject: "We received your correction request",
    template: "privacy-correction-received",
    footer,
    paragraphs: [
      "We received your request to correct your personal data. Our Data Protection Officer will answer it by " +
        day(opts.dueAt) +
        " at the latest.",
      `You can follow it in your privacy center: ${opts.appUrl}/account/privacy`,
      dpoLine,
    ],
  });
}

export function requestExtendedEmail(
  to: string,
  opts: { type: keyof typeof typeLabels; until: Date; reason: string; appUrl: string },
): MailMessage {
  return layout({
    to,
    subject: "We need more time for your privacy request",
    template: "privacy-request-extended",
    footer,
    paragraphs: [
      `We need more time to complete your request (${typeLabels[opts.type]}), as the law allows for ` +
        `complex or numerous requests (GDPR Art. 12(3)).`,
      `The new deadline is ${day(opts.until)}. The reason: ${opts.reason}`,
      `You can follow it in your privacy center: ${opts.appUrl}/account/privacy`,
      dpoLine,
    ],
  });
}

export function requestDecidedEmail(
  to: string,
  opts: {
    type: keyof typeof typeLabels;
    approved: boolean;
    reason: string;
    graceEndsAt?: Date | null;
    appUrl: string;
    /** A request made without an account (contact form, email, call): there is no privacy center to point to. */
    noAccount?: boolean;
  },
): MailMessage {
  const what = typeLabels[opts.type];
  const outcome = opts.approved
    ? opts.type === "DELETION"
      ? `Your request (${what}) was approved. We erase your data ` +
        `${opts.graceEndsAt ? `after ${day(opts.graceEndsAt)} (until then you can still cancel)` : "shortly"}, ` +
        `and send you a receipt.`
      : `Your request (${what}) was completed.`
    : `Your request (${what}) was declined.`;
  return layout({
    to,
    subject: opts.approved ? "Your privacy request was approved" : "Your privacy request was declined",
    template: "privacy-request-decided",
    footer,
    paragraphs: [
      outcome,
      `The Data Protection Officer's reason: ${opts.reason}`,
      opts.noAccount
        ? "You made this request without a Mind Namo account, so this email is our answer; reply to our Data " +
          "Protection Officer at the address below with any question."
        : `Details: ${opts.appUrl}/account/privacy`,
      dpoLine,
    ],
  });
}

/** A name correction was applied (P22): the person reads the name we now hold and who else sees it. */
export function correctionAppliedEmail(
  to: string,
  opts: { name: string; reason: string; appUrl: string },
): MailMessage {
  return layout({
    to,
    subject: "We corrected your name",
    template: "privacy-correction-applied",
    footer,
    paragraphs: [
      `We completed your correction request. The name on your Mind Namo account is now: ${opts.name}`,
      `The Data Protection Officer's note: ${opts.reason}`,
      "Experts you have sessions with see your corrected first name from now on, and our video service receives " +
        "it the next time you join a session. Emails we send from now on use it.",
      `Details: ${opts.appUrl}/account/privacy`,
      dpoLine,
    ],
  });
}

export interface ErasureReceipt {
  requestId: string;
  erasedAt: string;
  deleted: Array<{ category: string; what: string; count?: number }>;
  anonymized: Array<{ category: string; what: string; count?: number }>;
  kept: Array<{ category: string; what: string; legalBasis: string; retention: string; count?: number }>;
  legalHolds: Array<{ record: string; basis: string; until: string }>;
  dpo: typeof DPO_CONTACT;
}

export function erasureReceiptEmail(to: string, receipt: ErasureReceipt): MailMessage {
  const lines = (items: Array<{ category: string; what: string; count?: number }>) =>
    items.length === 0
      ? "  (nothing)"
      : items.map((i) => `  - ${i.category}: ${i.what}${i.count !== undefined ? ` (${i.count})` : ""}`).join("\n");
  return layout({
    to,
    subject: "Your Mind Namo account has been erased — your receipt",
    template: "privacy-erasure-receipt",
    footer,
    paragraphs: [
      `Your account and the data tied to it were erased on ${receipt.erasedAt.slice(0, 10)} (request ${receipt.requestId}). ` +
        `This is the last email we send you.`,
      "Erased:\n" + lines(receipt.deleted),
      "Anonymized (kept without anything that identifies you):\n" + lines(receipt.anonymized),
      "Kept, and why:\n" +
        (receipt.kept.length === 0
          ? "  (nothing)"
          : receipt.kept
              .map((k) => `  - ${k.category}: ${k.what} — ${k.legalBasis} Kept for ${k.retention}.`)
              .join("\n")),
      "Records under a legal hold (kept until the hold ends):\n" +
        (receipt.legalHolds.length === 0
          ? "  (none)"
          : receipt.legalHolds.map((h) => `  - ${h.record}: ${h.basis} Until ${h.until.slice(0, 10)}.`).join("\n")),
      "All your sessions were ended; you can no longer sign in.",
      dpoLine,
    ],
  });
}
