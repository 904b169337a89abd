// Support emails. Replies to account holders carry no content (a link to the thread); a visitor of the contact
// form has no account, so the agent's reply travels in the email.
import type { MailMessage } from "../platform/mail/index.ts";
import { layout } from "../mail/templates.ts";

export function contactReceived(to: string, subject: string): MailMessage {
  return layout({
    to,
    subject: "We received your message",
    template: "support-contact-received",
    paragraphs: [
      `Thank you for writing to Mind Namo support about “${subject}”.`,
      "A person from our team will answer by email, usually within one working day.",
      "If you did not write to us, you can ignore this email.",
    ],
    footer: "Mind Namo support — you are receiving this because this address was entered in our contact form.",
  });
}

export function replyNotice(to: string, subject: string, link: string, resolved: boolean): MailMessage {
  return layout({
    to,
    subject: `Support replied: ${subject}`,
    template: "support-reply",
    paragraphs: [
      `Our support team replied to your request “${subject}”.`,
      `Read the reply and answer at ${link}`,
      ...(resolved ? ["We think your request is resolved. You can tell us how we did on the same page."] : []),
    ],
  });
}

export function replyToVisitor(to: string, subject: string, body: string): MailMessage {
  return layout({
    to,
    subject: `Re: ${subject}`,
    template: "support-reply-visitor",
    paragraphs: ["Hello,", ...body.split(/\n{2,}/), "— Mind Namo support"],
    footer: "Mind Namo support — you are receiving this because you wrote to us through our contact form.",
  });
}
