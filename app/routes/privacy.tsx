import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { Link } from "~/components/Link";
import { ConsentSettings } from "~/components/Consent";
import { Notice } from "~/components/forms";
import { privacyPolicyText, privacyPromisesInOurWords } from "~/content/privacy-policy";
import {
  DPO_CONTACT,
  POLICY_CHANGES,
  policyDate,
  PRIVACY_POLICY_VERSION,
  processorsFor,
  type MailTransport,
} from "~/core.server";
import { Card } from "~/components/ui/Card";

export const meta: MetaFunction = () => [{ title: "Privacy policy — Mind Namo" }];

type Block = { kind: "h2" | "h3" | "p"; text: string } | { kind: "ul"; items: string[] };

/** Turns the policy's plain text into headings, paragraphs and lists. */
function toBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!line) continue;
    if (line.startsWith("- ")) {
      const last = blocks.at(-1);
      if (last?.kind === "ul") last.items.push(line.slice(2));
      else blocks.push({ kind: "ul", items: [line.slice(2)] });
    } else if (/^\d+\.\d+ /.test(line)) blocks.push({ kind: "h3", text: line });
    else if (/^\d+\. /.test(line)) blocks.push({ kind: "h2", text: line });
    else blocks.push({ kind: "p", text: line });
  }
  return blocks;
}

/**
 * The policy names Resend as our email provider, which is true of our own deployment. An installation configured
 * otherwise says so beside that sentence, so the page stays true wherever it runs.
 */
function mailNote(transport: MailTransport, smtpHost: string | undefined): string | null {
  if (transport === "resend") return null;
  if (transport === "smtp") {
    const relay = processorsFor({ transport, smtpHost }).find((p) => p.key === "email");
    return `On this installation, email is sent through ${relay?.name ?? "the operator's own mail server"} instead of Resend.`;
  }
  return "On this installation, no email leaves the server: messages are kept in a local outbox, and Resend receives nothing.";
}

export function loader({ context }: LoaderFunctionArgs) {
  // Public page: the same for everyone.
  const { config } = context.services;
  return {
    mailNote: mailNote(config.mailTransport, config.SMTP_HOST),
    blocks: toBlocks(privacyPolicyText),
    updated: policyDate(PRIVACY_POLICY_VERSION),
    changes: POLICY_CHANGES.map((c) => ({ date: policyDate(c.date), summary: c.summary })),
    promises: privacyPromisesInOurWords,
    dpo: { team: DPO_CONTACT.team, email: DPO_CONTACT.email, address: DPO_CONTACT.address },
  };
}

/** The policy's mention of the providers page, as a link to it. */
function withProcessorsLink(text: string) {
  const at = text.indexOf(PROCESSORS_PATH);
  if (at < 0) return text;
  return (
    <>
      {text.slice(0, at)}
      <Link to={PROCESSORS_PATH}>{PROCESSORS_PATH}</Link>
      {text.slice(at + PROCESSORS_PATH.length)}
    </>
  );
}
const PROCESSORS_PATH = "/privacy/processors";

export default function Privacy() {
  const { blocks, updated, changes, promises, dpo, mailNote } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  return (
    <article className="policy" aria-labelledby="policy-title">
      <h1 id="policy-title">Privacy policy</h1>
      <p className="lead">Last updated {updated}.</p>

      <Card as="section" className="stack" aria-labelledby="changes-title" data-testid="policy-changes">
        <h2 id="changes-title">What changed</h2>
        {changes.map((c) => (
          <div key={c.date}>
            <h3>{c.date}</h3>
            <ul>
              {c.summary.map((s) => (
                <li key={s}>{s}</li>
              ))}
            </ul>
          </div>
        ))}
        <p>
          We email every account when this policy changes. The providers who receive personal data are listed on{" "}
          <Link to="/privacy/processors">our service providers page</Link>.
        </p>
      </Card>

      <section aria-labelledby="short-title">
        <h2 id="short-title">In short: our promises</h2>
        <ul data-testid="promises">
          {promises.map((p) => (
            <li key={p.title}>
              <strong>{p.title}.</strong> {p.text}
            </li>
          ))}
        </ul>
        <p>
          Signed in, you can exercise your rights in <Link to="/account/privacy">your privacy center</Link> and choose
          which emails you get in <Link to="/account/communications">your email settings</Link>.
        </p>
      </section>

      <section aria-labelledby="dpo-title" data-testid="dpo-contact">
        <h2 id="dpo-title">Our Data Protection Officer</h2>
        <p>
          {dpo.team}
          <br />
          Email: <a href={`mailto:${dpo.email}`}>{dpo.email}</a>
          <br />
          Address: {dpo.address}
        </p>
        <p>
          We answer privacy requests within one month (GDPR Art. 12(3)); if we need longer, we tell you why before the
          month is over.
        </p>
      </section>

      <section aria-labelledby="consent-title-settings" id="consent">
        <h2 id="consent-title-settings">Cookies and anonymous analytics</h2>
        {params.get("consent") === "saved" ? <Notice>Your choice was recorded.</Notice> : null}
        <p>
          The only cookie we set is the sign-in session cookie. Anonymous analytics (pages visited, time on page) run
          only if you allow them; the choice is kept in this browser, not in a cookie, and recorded with its time and
          where you made it.
        </p>
        <ConsentSettings />
      </section>

      <section aria-labelledby="scripts-title" id="scripts" data-testid="scripts">
        <h2 id="scripts-title">The scripts that run on our pages</h2>
        <p>
          Every script comes from our own site; no page loads code, fonts, trackers or analytics from anyone else, and
          our security policy (CSP) makes the browser refuse any other source.
        </p>
        <ul>
          <li>
            <strong>The site itself</strong> (React and Remix, from <code>/build/</code>): shows pages and sends forms.
            Pages work without it too.
          </li>
          <li>
            <strong>The error reporter</strong> (part of the site&apos;s code): when a page crashes, a request to our
            server fails or a file does not load, it tells our server what went wrong and on which page (without the
            address&apos;s query, your account, IP address or cookies). We remove email addresses, codes and tokens
            before storing it, and delete it after 30 days.
          </li>
          <li>
            <strong>Anonymous usage counting</strong>: only if you allow anonymous analytics above — pages visited, time
            on page and marked clicks, with a random id for the visit, never your account or IP address.
          </li>
          <li>
            <strong>The video room</strong> (only on a session&apos;s room page): the audio and video code that connects
            you to our media server, end-to-end encrypted.
          </li>
        </ul>
      </section>

      <h2>The full policy</h2>
      {blocks.map((b, i) =>
        b.kind === "ul" ? (
          <ul key={i}>
            {b.items.map((item) => (
              <li key={item}>
                {withProcessorsLink(item)}
                {mailNote && item.startsWith("Communication Tools (Resend)") ? (
                  <>
                    {" "}
                    <strong data-testid="mail-note">{mailNote}</strong>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        ) : b.kind === "h2" ? (
          <h2 key={i}>{b.text}</h2>
        ) : b.kind === "h3" ? (
          <h3 key={i}>{b.text}</h3>
        ) : (
          <p key={i}>{b.text}</p>
        ),
      )}
    </article>
  );
}
