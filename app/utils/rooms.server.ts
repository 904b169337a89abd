// Shared by the live-room JSON routes (/sessions/:id/room/*): the session check as JSON, the JSON content type,
// and domain errors as JSON answers.
import type { AppLoadContext } from "@remix-run/node";
import { isDomainError, joinWindow, type ValidSession } from "~/core.server";
import { domainErrorResponse } from "~/utils/forms.server";
import { requireSession } from "~/utils/session.server";

const noStore = { "Cache-Control": "no-store" };

export function jsonAnswer(body: unknown, status = 200): Response {
  return Response.json(body, { status, headers: noStore });
}

/** The signed-in session; without one a JSON 401 (these routes are called by scripts, not navigated to). */
export async function requireRoomSession(request: Request, context: AppLoadContext): Promise<ValidSession> {
  try {
    return await requireSession(request, context);
  } catch (error) {
    if (error instanceof Response && error.status >= 300 && error.status < 400) {
      throw jsonAnswer({ error: "Please sign in." }, 401);
    }
    throw error;
  }
}

/** Non-GET room routes take JSON only: anything else is 415 (a form post from another page cannot reach them). */
export function requireJson(request: Request): void {
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type !== "application/json") throw jsonAnswer({ error: "Send JSON (Content-Type: application/json)." }, 415);
}

/** The request body as JSON, at most `max` characters; a bad body is a 400. */
export async function readJson(request: Request, max = 4096): Promise<unknown> {
  const text = await request.text();
  if (text.length > max) throw jsonAnswer({ error: "The request is too large." }, 413);
  try {
    return text ? (JSON.parse(text) as unknown) : {};
  } catch {
    throw jsonAnswer({ error: "The request is not valid JSON." }, 400);
  }
}

/** Runs a route body; a DomainError becomes a JSON answer with its status (503 when live video is not configured). */
export async function jsonAction(fn: () => Promise<unknown>): Promise<Response> {
  try {
    return jsonAnswer(await fn());
  } catch (error) {
    if (isDomainError(error)) return domainErrorResponse(error, "json");
    throw error;
  }
}

/**
 * What a session list's Join button needs: the window (ISO), whether it is open now, and the clock time it opens,
 * written by `clock` in the viewer's zone; null for a closed room.
 */
export function joinButtonView(
  b: { status: string; startsAt: Date; endsAt: Date },
  now: Date,
  clock: (d: Date) => string,
) {
  if (b.status !== "CONFIRMED" || b.endsAt.getTime() <= now.getTime()) return null;
  const w = joinWindow(b);
  return {
    opensAt: w.opensAt.toISOString(),
    closesAt: w.closesAt.toISOString(),
    opensAtText: clock(w.opensAt),
    open: now.getTime() >= w.opensAt.getTime(),
  };
}
