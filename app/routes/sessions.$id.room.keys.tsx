import type { LoaderFunctionArgs } from "@remix-run/node";
import { getKeys, deps } from "~/core.server";
import { jsonAction, requireRoomSession } from "~/utils/rooms.server";

// GET: this session's two public keys (own and peer's, null until posted), only for its two participants.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const session = await requireRoomSession(request, context);
  return jsonAction(() => getKeys(deps(context).db, session, params.id));
}
