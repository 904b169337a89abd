import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { recordPreferenceBySlug, deps } from "~/core.server";
import { field } from "~/utils/forms.server";
import { getSession } from "~/utils/session.server";

// Wellness preferences (P2) for signed-in people: a topic browsed or an expert's profile viewed. Sent by the page
// after it is shown (GET never writes). Visitors without an account, and people without the explicit health-data
// consent (core/privacy/health-consent.ts): nothing is recorded.
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  if (!session || session.user.role !== "USER") return new Response(null, { status: 204 });
  const form = await request.formData();
  const kind = field(form, "kind", 20);
  const slug = field(form, "slug", 80);
  if (kind === "category" || kind === "expert") {
    await recordPreferenceBySlug({ db: deps(context).db, userId: session.userId, kind, slug });
  }
  return new Response(null, { status: 204 });
}

// Nothing to show here: a person who opens the address gets the account page's section on these preferences.
export function loader() {
  return redirect("/account#prefs-title");
}
