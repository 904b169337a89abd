import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { accounts } from "~/core.server";
import { accountDeps, clearSessionCookie, getSession } from "~/utils/session.server";

// POST only: GET never mutates, so a link or an image cannot sign anyone out.
export async function action({ request, context }: ActionFunctionArgs) {
  const session = await getSession(request, context);
  if (session) await accounts.signOut(accountDeps(context), session);
  return redirect("/", { headers: { "Set-Cookie": clearSessionCookie(context) } });
}

export function loader() {
  throw redirect("/");
}
