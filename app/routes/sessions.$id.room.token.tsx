import type { ActionFunctionArgs } from "@remix-run/node";
import { issueToken, liveKitSettings, deps } from "~/core.server";
import { jsonAction, requireJson, requireRoomSession } from "~/utils/rooms.server";

// POST: a LiveKit token for this session's room, for the signed-in participant, only inside the join window.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireRoomSession(request, context);
  requireJson(request);
  const settings = liveKitSettings(context.services.config);
  return jsonAction(async () => {
    const t = await issueToken(deps(context).db, settings, session, params.id, new Date());
    return { token: t.token, url: t.url, roomName: t.roomName, expiresAt: t.expiresAt.toISOString() };
  });
}
