// The site's side of core's one deps builder (core/platform/deps.ts): routes and helpers take the database handle
// and the other services from here, never from `context.services.db`, so no query is written outside core/.
import type { AppLoadContext } from "@remix-run/node";
import { coreDeps, type CoreDeps } from "~/core.server";

export function deps(context: AppLoadContext): CoreDeps {
  return coreDeps(context.services);
}
