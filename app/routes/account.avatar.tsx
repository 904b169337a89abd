import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAvatar, deps } from "~/core.server";
import { requireSession } from "~/utils/session.server";

// The signed-in person's own picture, from our origin only. Nobody else's picture is reachable here.
export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  const avatar = await getAvatar(deps(context).db, session.userId);
  if (!avatar) throw new Response("No picture", { status: 404 });
  return new Response(avatar.data, {
    headers: {
      "Content-Type": "image/webp",
      "Cache-Control": "private, max-age=86400",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
