// Mounts the back-office tRPC API at /admin/api/trpc/*. Mutations must be JSON: a cross-site form cannot send
// application/json without a CORS preflight, which we never grant (the origin check in server/security.ts
// already refuses cross-site requests; this is the second wall).
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createInnerContext } from "~/core.server";
import { getSession } from "~/utils/session.server";

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
