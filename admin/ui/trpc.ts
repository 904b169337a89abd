// The console's only way to the server: tRPC through TanStack Query. Types come from the router (type-only
// import: no server code reaches the browser).
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { AppRouter } from "../server/root.ts";
import { CONSOLE_HEADER } from "../shared/console-header.ts";

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

export function makeClient() {
  return createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: "/admin/api/trpc", headers: { [CONSOLE_HEADER]: "1" } })],
  });
}

/** The denial reason and message of a failed call, as the server's error formatter shapes them. */
export function errorInfo(error: unknown): { message: string; reason?: string; code?: string } {
  const e = error as { message?: string; data?: { reason?: string; code?: string } } | null;
  return { message: e?.message ?? "Something went wrong.", reason: e?.data?.reason, code: e?.data?.code };
}

/** Dates cross the wire as ISO strings (no transformer); format either. */
export const fmt = (d: Date | string | null | undefined) =>
  d ? new Date(d).toUTCString().replace(" GMT", " UTC") : "—";
