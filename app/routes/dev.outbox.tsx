import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listOutbox } from "~/core.server";
import { Card } from "~/components/ui/Card";

export const meta: MetaFunction = () => [
  { title: "Mail outbox (development) — Mind Namo" },
  { name: "robots", content: "noindex" },
];

export async function loader({ context }: LoaderFunctionArgs) {
  const { config } = context.services;
  // The outbox is a development tool: it does not exist in production, whatever the mail transport.
  if (config.isProduction) throw new Response("Not found", { status: 404 });
  const messages = await listOutbox(config.mailOutboxDir, 100);
  return { messages, transport: config.mailTransport, dir: config.mailOutboxDir };
}

export default function Outbox() {
  const { messages, transport, dir } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Mail outbox</h1>
      <p className="notice">
        Development only. Mail is written to <code>{dir}</code> instead of being sent
        {transport === "resend" ? " (currently sending through Resend, so new mail does not appear here)" : ""}.
      </p>
      {messages.length === 0 ? (
        <p className="empty">No mail yet. Messages the product sends will appear here, newest first.</p>
      ) : (
        <ol className="outbox" data-testid="outbox" reversed>
          {messages.map((m) => (
            <Card as="li" key={m.id} data-template={m.template}>
              <h2 className="outbox-subject">{m.subject}</h2>
              <p>
                To <strong>{m.to}</strong> · template <code>{m.template}</code> ·{" "}
                <time dateTime={m.createdAt}>{new Date(m.createdAt).toUTCString()}</time>
              </p>
              <details>
                <summary>Show message</summary>
                <pre>{m.text}</pre>
              </details>
            </Card>
          ))}
        </ol>
      )}
    </>
  );
}
