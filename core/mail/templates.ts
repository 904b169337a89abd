// Mail templates: each returns subject, text and HTML built from escaped values. The template name goes to the
// outbox and the email log; the rendered body may hold codes and must never be logged.
import type { MailMessage } from "./index.ts";

export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** Wraps paragraphs in the shared, plain layout. Paragraphs are plain text; they are escaped here. */
export function layout(opts: { to: string; subject: string; template: string; paragraphs: string[]; footer?: string }): MailMessage {
  const footer = opts.footer ?? "Mind Namo — you are receiving this because of your account with us.";
  const text = [...opts.paragraphs, "", "—", footer].join("\n\n");
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5;color:#1f2937">${opts.paragraphs
    .map((p) => `<p>${escapeHtml(p)}</p>`)
    .join("")}<hr><p style="font-size:12px;color:#6b7280">${escapeHtml(footer)}</p></body></html>`;
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
