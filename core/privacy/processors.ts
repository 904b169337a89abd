// The processors that receive personal data (GDPR Art. 28, 30(1)(d)-(e); privacy promise P28: only these named
// providers, each listed publicly). They are part of the data map: one `/// @processor` line each in
// prisma/schema.prisma, and the fields each one receives are marked `processors=<key>` on their `/// @pd` line.
// `npm run datamap` generates them into core/privacy/datamap.generated.ts (`-- --check` fails when that file no
// longer matches the schema); the /privacy/processors page and the policy's section 4.1 are rendered from here.
import type { MapProcessor } from "./datamap.ts";
import { PROCESSOR_MAP } from "./datamap.generated.ts";

export type Processor = MapProcessor;

export const PROCESSORS: readonly Processor[] = PROCESSOR_MAP;

export type MailTransport = "resend" | "smtp" | "outbox";

/**
 * The processors this installation actually uses. The schema declares Resend as the email processor; an operator
 * may send through their own SMTP relay instead (MAIL_TRANSPORT=smtp), and then that relay, not Resend, receives
 * every email: the page must name it. With the outbox (development) mail is written to local files and no email
 * processor receives anything.
 */
export function processorsFor(mail: { transport: MailTransport; smtpHost?: string }): readonly Processor[] {
  if (mail.transport === "resend") return PROCESSORS;
  if (mail.transport === "outbox") return PROCESSORS.filter((p) => p.key !== "email");
  return PROCESSORS.map((p) =>
    p.key === "email"
      ? {
          ...p,
          name: `SMTP relay${mail.smtpHost ? ` ${mail.smtpHost}` : ""} (configured by the operator)`,
          location:
            "Where the operator's SMTP relay runs (European Union unless the transfer basis below says otherwise)",
          transferBasis:
            "A data-processing agreement under Art. 28 with the relay's provider; TLS is required on every connection. " +
            "No transfer outside the EEA, or the European Commission's Standard Contractual Clauses (Art. 46(2)(c)) " +
            "where the relay is outside it.",
          source: "core/platform/mail (MAIL_TRANSPORT=smtp, SMTP_HOST)",
        }
      : p,
  );
}
