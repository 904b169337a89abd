import type { AppLoadContext } from "@remix-run/node";
import type { SupportDeps } from "~/core.server";

export function supportDeps(context: AppLoadContext): SupportDeps {
  const s = context.services;
  return { db: s.db.prisma, mail: s.mailQueue, limiter: s.rateLimiter, appUrl: s.config.appUrl };
}
