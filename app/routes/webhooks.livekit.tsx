import type { ActionFunctionArgs } from "@remix-run/node";
import { isDomainError, liveKitSettings, recordWebhook, verifyWebhook, deps } from "~/core.server";

const MAX_BODY = 64 * 1024;
const answer = (body: unknown, status: number) =>
  Response.json(body, { status, headers: { "Cache-Control": "no-store" } });

// POST from LiveKit: verified on the raw body (Authorization: a JWT over its SHA-256); forged, tampered and stale
// calls get 401, a repeated event id is acknowledged and ignored. Without LiveKit settings there is nothing here.
export async function action({ request, context }: ActionFunctionArgs) {
  const settings = liveKitSettings(context.services.config);
  if (!settings) return answer({ error: "Not found" }, 404);
  if (request.method !== "POST") return answer({ error: "Method not allowed" }, 405);
  const body = await request.text();
  if (body.length > MAX_BODY) return answer({ error: "Too large" }, 413);
  try {
    const event = await verifyWebhook(settings, body, request.headers.get("authorization"));
    const outcome = await recordWebhook(deps(context).db, event);
    return answer({ ok: true, outcome }, 200);
  } catch (error) {
    if (isDomainError(error) && error.code === "UNAUTHENTICATED") {
      context.services.logger.warn({ requestId: context.requestId }, "livekit webhook refused");
      return answer({ error: "Unauthorized" }, 401);
    }
    throw error;
  }
}

export function loader() {
  return answer({ error: "Not found" }, 404);
}
