// DEVELOPMENT ONLY (404 in production, whatever the configuration): runs the erasure sweep now, as if the clock
// were `days` days ahead, so a person testing by hand or the Playwright suite can see an approved deletion pass
// its 7-day grace period without waiting a week (docs/privacy.md, "Deletion design"). It can only act on
// deletions a DPO has APPROVED; it never skips the approval or moves any stored date.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { erasureKeysFrom, runDueErasures, deps } from "~/core.server";
import { field } from "~/utils/forms.server";
import { Button } from "~/components/ui/Button";

export const meta: MetaFunction = () => [
  { title: "Erasure test clock (development) — Mind Namo" },
  { name: "robots", content: "noindex" },
];

const DAY = 86_400_000;

export function loader({ context }: LoaderFunctionArgs) {
  if (context.services.config.isProduction) throw new Response("Not found", { status: 404 });
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { config } = context.services;
  const { db, mail } = deps(context);
  if (config.isProduction) throw new Response("Not found", { status: 404 });
  const form = await request.formData();
  const days = Number(field(form, "days", 4));
  if (!Number.isInteger(days) || days < 0 || days > 90) return { error: "Days must be a whole number from 0 to 90." };
  const now = new Date(Date.now() + days * DAY);
  const keys = erasureKeysFrom(context.services);
  const result = await runDueErasures({ db, mail, now: () => now, keys });
  return { erased: result.erased, asOf: now.toISOString() };
}

export default function DevErasures() {
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="title" className="stack">
      <h1 id="title">Erasure test clock</h1>
      <p className="notice">
        Development only. Runs the erasure sweep as if it were some days later: approved deletions whose grace period
        would be over are erased now, and their receipts go to the mail outbox.
      </p>
      <Form method="post" className="form">
        <div className="field">
          <label htmlFor="f-days">Days ahead</label>
          <input id="f-days" name="days" type="number" min={0} max={90} defaultValue={8} required />
        </div>
        <Button type="submit">Run due erasures</Button>
      </Form>
      {result && "error" in result ? (
        <p className="alert" role="alert">
          {result.error}
        </p>
      ) : null}
      {result && "erased" in result ? (
        <p className="notice" role="status" data-testid="erasure-result">
          Erased {result.erased} account(s) as of {result.asOf}.
        </p>
      ) : null}
    </section>
  );
}
