import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { postPublicKey, deps } from "~/core.server";
import { jsonAction, readJson, requireJson, requireRoomSession } from "~/utils/rooms.server";

const bodySchema = z.object({ publicKey: z.string().max(200) });

// POST {publicKey}: the signed-in participant's ECDH P-256 public key for this session's end-to-end encryption.
export async function action({ request, params, context }: ActionFunctionArgs) {
  const session = await requireRoomSession(request, context);
  requireJson(request);
  const body = bodySchema.safeParse(await readJson(request));
  return jsonAction(async () => {
    const publicKey = body.success ? body.data.publicKey : "";
    const result = await postPublicKey(deps(context).db, session, { bookingId: params.id, publicKey }, new Date());
    return { publicKey: result.publicKey, replaced: result.replaced };
  });
}
