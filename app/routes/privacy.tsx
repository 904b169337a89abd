import type { MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PRIVACY_POLICY_UPDATED, privacyPolicyText } from "~/content/privacy-policy";

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

export function loader() {
  // Public page: the same for everyone.
  return { blocks: toBlocks(privacyPolicyText), updated: PRIVACY_POLICY_UPDATED };
}

export default function Privacy() {
  const { blocks, updated } = useLoaderData<typeof loader>();
  return (
    <article className="policy" aria-labelledby="policy-title">
      <h1 id="policy-title">Privacy policy</h1>
      <p className="lead">Last updated {updated}.</p>
      {blocks.map((b, i) =>
        b.kind === "ul" ? (
          <ul key={i}>
            {b.items.map((item) => (
              <li key={item}>{item}</li>
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
