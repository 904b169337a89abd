// The access export (P21): a POST from the privacy center, after a fresh re-authentication, answers with the JSON
// file as a download and records a completed ACCESS request. GET never exports (it only leads back to the page).
// The file is streamed section by section (exportUserDataJson): a long staff-access ledger is never one string.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { exportUserDataJson, isDomainError, privacyRequests } from "~/core.server";
import { exportWaitHours, privacyDeps, requireFreshFor } from "~/utils/privacy.server";
import { requireSession } from "~/utils/session.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSession(request, context);
  return redirect("/account/privacy");
}

export async function action({ request, context }: ActionFunctionArgs) {
  const session = await requireFreshFor(request, context, "/account/privacy?done=confirmed");
  const deps = privacyDeps(context);
  // At most 5 full exports per account and day; the privacy center says when the next one is possible.
  try {
    await context.services.rateLimiter.consume("export:account", session.userId);
  } catch (error) {
    if (isDomainError(error) && error.code === "RATE_LIMITED") {
      const hours = exportWaitHours(Number(error.details?.retryAfterSeconds ?? 3600));
      return redirect(`/account/privacy?export-wait=${hours}`, 303);
    }
    throw error;
  }
  const chunks = exportUserDataJson(
    deps.db,
    session.userId,
    new Date(),
    { accountKeyPepper: context.services.secrets.codePepper },
    // Recorded once every section is written, before the file's last brace: a whole file was recorded.
    {
      beforeEnd: async () => {
        await privacyRequests.recordAccessRequest(deps, session.userId, {
          reauthenticatedAt: session.reauthenticatedAt,
        });
      },
    },
  );
  // The head and the account section before answering: a failure there (no such account) is an error page, not
  // a broken download. A later failure ends the download early, without the closing brace and without a record.
  const ready = [await chunks.next(), await chunks.next()].flatMap((c) => (c.done ? [] : [c.value]));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of ready) controller.enqueue(encoder.encode(chunk));
    },
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(body, {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="mindnamo-data-${day}.json"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
