import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordAnalyticsConsent, deps } from "~/core.server";
import { parseConsentRequest } from "~/utils/communications.server";
import { getSession } from "~/utils/session.server";

// Records an analytics consent choice (from the banner or a settings page): kind, choice, time and source, and the
// user id only for a signed-in person. No IP address, no user agent, no cookie is stored or set. JSON from the
// page's script gets 204; a plain form (no JavaScript) is sent back to the privacy page.
export async function action({ request, context }: ActionFunctionArgs) {
  const isJson = request.headers.get("content-type")?.toLowerCase().startsWith("application/json") ?? false;
  const input = await parseConsentRequest(request);
  if (!input) return new Response('Send {"analytics": true|false, "source": "banner"|"settings"}.', { status: 400 });
  const session = await getSession(request, context);
  await recordAnalyticsConsent(deps(context).db, input, session?.userId ?? null);
  return isJson ? new Response(null, { status: 204 }) : redirect("/privacy?consent=saved#consent");
}

// Nothing to show here: a person who opens the address gets the page where these choices are made.
export function loader() {
  return redirect("/privacy#consent");
}
