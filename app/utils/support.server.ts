import type { AppLoadContext } from "@remix-run/node";
import type { SupportDeps } from "~/core.server";
import { deps } from "~/core.server";

export function supportDeps(context: AppLoadContext): SupportDeps {
  return deps(context);
}
