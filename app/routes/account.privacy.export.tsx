// The access export (P21): a POST from the privacy center, after a fresh re-authentication, answers with the JSON
// file as a download and records a completed ACCESS request. GET never exports (it only leads back to the page).
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { exportUserData, isDomainError, privacyRequests } from "~/core.server";
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
  const data = await exportUserData(deps.db, session.userId, new Date(), {
    accountKeyPepper: context.services.secrets.codePepper,
  });
  await privacyRequests.recordAccessRequest(deps, session.userId, { reauthenticatedAt: session.reauthenticatedAt });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(JSON.stringify(data, null, 2), {
    status: 200,
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="mindnamo-data-${day}.json"`,
      "Cache-Control": "no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
