// Mounts the back-office tRPC API at /admin/api/trpc/*. Mutations must be JSON: a cross-site form cannot send
// application/json without a CORS preflight, which we never grant (the origin check in server/security.ts
// already refuses cross-site requests; this is the second wall). Every call, GET included, must also come from
// our own pages: a same-origin Sec-Fetch-Site, or (browsers that do not send it) the console's own header, which a
// cross-site link, image or form cannot send and a cross-site script cannot add without a CORS preflight we never
// grant. Checked before the context is built, so a refused request runs no procedure and writes no audit row.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createInnerContext } from "~/core.server";
import { getSession } from "~/utils/session.server";
import { CONSOLE_HEADER } from "@admin/shared/console-header.ts";

function handle({ request, context }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.method !== "GET" && request.method !== "HEAD") {
    const type = request.headers.get("content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json")) {
      return Response.json(
        { error: { message: "The back-office API accepts only application/json requests." } },
        { status: 415 },
      );
    }
  }
  const site = request.headers.get("sec-fetch-site");
  const fromConsole = site === null ? request.headers.get(CONSOLE_HEADER) === "1" : site === "same-origin";
  if (!fromConsole)
    return new Response("Cross-origin request refused.", {
      status: 403,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store" },
    });
  return fetchRequestHandler({
    endpoint: "/admin/api/trpc",
    req: request,
    router: appRouter,
    // The outer context: the session is read from the cookie on every request (and slides, like any page view).
    createContext: async () =>
      createInnerContext({
        services: context.services,
        requestId: context.requestId,
        clientIp: context.clientIp,
        session: await getSession(request, context),
      }),
    onError: ({ error, path }) => {
      if (error.code === "INTERNAL_SERVER_ERROR") {
        context.services.logger.error({ msg: "trpc error", path, requestId: context.requestId, err: error.message });
      }
    },
  });
}

export const loader = handle;
export const action = handle;
