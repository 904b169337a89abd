// Mail templates: each returns subject, text and HTML built from escaped values. The template name goes to the
// outbox and the email log; the rendered body may hold codes and must never be logged.
import type { MailMessage } from "../platform/mail/index.ts";
import { formatDateTime, mailLocale } from "../time/format.ts";

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

// A URL in a paragraph, up to the first space; a trailing full stop, comma or bracket is the sentence's, not the
// link's.
const URL_PATTERN = /https?:\/\/[^\s<>"']+[^\s<>"'.,;:!?)\]]/g;

/** Escapes a plain-text paragraph and turns its web addresses into links. */
export function paragraphHtml(text: string): string {
  let html = "";
  let last = 0;
  for (const m of text.matchAll(URL_PATTERN)) {
    const url = m[0];
    html += escapeHtml(text.slice(last, m.index));
    html += `<a href="${escapeHtml(url)}" style="color:#165444;text-decoration:underline">${escapeHtml(url)}</a>`;
    last = (m.index ?? 0) + url.length;
  }
  return html + escapeHtml(text.slice(last));
}

/**
 * Wraps paragraphs in the shared, branded layout: a text part and an HTML part with the same words. Paragraphs
 * are plain text, escaped here; their web addresses become links. Styles are inline: mail clients drop <style>.
 */
export function layout(opts: {
  to: string;
  subject: string;
  template: string;
  paragraphs: string[];
  footer?: string;
}): MailMessage {
  const footer = opts.footer ?? "Mind Namo — you are receiving this because of your account with us.";
  const text = [...opts.paragraphs, "", "—", footer].join("\n\n");
  const body = opts.paragraphs.map((p) => `<p style="margin:0 0 16px">${paragraphHtml(p)}</p>`).join("");
  const html =
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">` +
    `<title>${escapeHtml(opts.subject)}</title></head>` +
    `<body style="margin:0;padding:0;background:#f8faf9;font-family:Inter,system-ui,-apple-system,'Segoe UI',sans-serif;color:#1c2b27;line-height:1.55">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f8faf9"><tr><td align="center" style="padding:24px 12px">` +
    `<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="max-width:560px">` +
    `<tr><td style="padding:0 0 16px;font-size:20px;font-weight:700;color:#1f6f5c">Mind Namo</td></tr>` +
    `<tr><td style="background:#ffffff;border:1px solid #d6e2de;border-radius:12px;padding:24px;font-size:16px">${body}</td></tr>` +
    `<tr><td style="padding:16px 4px 0;font-size:12px;color:#4b5d58">${paragraphHtml(footer)}</td></tr>` +
    `</table></td></tr></table></body></html>`;
  return { to: opts.to, subject: opts.subject, template: opts.template, text, html };
}

export function welcomeEmail(to: string, name: string): MailMessage {
  return layout({
    to,
    subject: "Welcome to Mind Namo",
    template: "welcome",
    paragraphs: [`Hello ${name},`, "Your Mind Namo account is ready. We are glad you are here."],
  });
}

const codeParagraph = (code: string) => `Your code: ${code.slice(0, 4)} ${code.slice(4)}`;
const ignore = "If you did not ask for this, you can ignore this email: nothing changes without the code.";

export function verifyEmailCode(to: string, code: string): MailMessage {
  return layout({
    to,
    subject: `${code} is your Mind Namo verification code`,
    template: "verify-email",
    paragraphs: [
      "Welcome to Mind Namo. Enter this code to confirm your email address.",
      codeParagraph(code),
      "It is valid for 10 minutes.",
      ignore,
    ],
  });
}

export function signupExistingAccount(to: string, appUrl: string): MailMessage {
  return layout({
    to,
    subject: "You already have a Mind Namo account",
    template: "signup-existing",
    paragraphs: [
      "Someone (hopefully you) tried to create a Mind Namo account with this email address, but you already have one.",
      `You can sign in at ${appUrl}/login, or reset your password at ${appUrl}/forgot-password.`,
      "If this wasn't you, no action is needed: nobody can use your account without your password or a code sent here.",
    ],
  });
}

export function loginCode(to: string, code: string): MailMessage {
  return layout({
    to,
    subject: `${code} is your Mind Namo sign-in code`,
    template: "login-code",
    paragraphs: [
      "Enter this code to sign in to Mind Namo.",
      codeParagraph(code),
      "It is valid for 10 minutes.",
      ignore,
    ],
  });
}

export function reauthCode(to: string, code: string): MailMessage {
  return layout({
    to,
    subject: `${code} is your Mind Namo confirmation code`,
    template: "reauth-code",
    paragraphs: [
      "Enter this code to confirm it's you before changing your account.",
      codeParagraph(code),
      "It is valid for 10 minutes.",
      ignore,
    ],
  });
}

export function passwordResetEmail(to: string, code: string, link: string): MailMessage {
  return layout({
    to,
    subject: "Reset your Mind Namo password",
    template: "password-reset",
    paragraphs: [
      "We received a request to reset your Mind Namo password.",
      `Open this link to choose a new password: ${link}`,
      `Or enter this code on the reset page: ${code.slice(0, 4)} ${code.slice(4)}`,
      "The link and the code are valid for 1 hour and can be used once. Resetting signs you out everywhere.",
      ignore,
    ],
  });
}

export function changeEmailCode(to: string, code: string): MailMessage {
  return layout({
    to,
    subject: `${code} confirms your new Mind Namo email address`,
    template: "change-email",
    paragraphs: [
      "Enter this code to use this address for your Mind Namo account.",
      codeParagraph(code),
      "It is valid for 10 minutes.",
      ignore,
    ],
  });
}

export function emailChangedNotice(to: string, newEmail: string): MailMessage {
  return layout({
    to,
    subject: "Your Mind Namo email address was changed",
    template: "email-changed",
    paragraphs: [
      `The email address of your Mind Namo account was changed to ${newEmail}.`,
      "If this wasn't you, reply to this email or contact privacy@mindnamo.com straight away.",
    ],
  });
}

export function passwordChangedNotice(to: string): MailMessage {
  return layout({
    to,
    subject: "Your Mind Namo password was changed",
    template: "password-changed",
    paragraphs: [
      "The password of your Mind Namo account was just changed, and your other sessions were signed out.",
      "If this wasn't you, reset your password now and contact us.",
    ],
  });
}

// ---------------------------------------------------------------- security alerts (P14)

export function newDeviceAlert(to: string, device: string, at: Date, tz: string, notMeLink: string): MailMessage {
  const when = formatDateTime(at, { tz, locale: mailLocale(tz) });
  return layout({
    to,
    subject: "New sign-in to your Mind Namo account",
    template: "new-device",
    paragraphs: [
      `Your Mind Namo account was just signed in to from a device we have not seen before: ${device}, on ${when}.`,
      "If this was you, there is nothing to do.",
      `If this wasn't you, open this link: ${notMeLink}`,
      "It signs your account out everywhere and lets you choose a new password. The link works once, for 7 days.",
    ],
  });
}

export function accountLockedNotice(to: string, minutes: number, appUrl: string): MailMessage {
  return layout({
    to,
    subject: "Sign-in attempts on your Mind Namo account",
    template: "account-locked",
    paragraphs: [
      `Someone tried to sign in to your Mind Namo account with a wrong password many times, so password ` +
        `sign-in is paused for ${minutes} minutes.`,
      `You can still sign in with a code sent to this address (${appUrl}/login/code), or choose a ` +
        `new password (${appUrl}/forgot-password).`,
      "If these attempts were not yours, your account is safe as long as nobody knows your password; choosing a new one is a good idea.",
    ],
  });
}
