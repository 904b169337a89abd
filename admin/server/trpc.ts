// tRPC v11 foundation for the back-office. The context is split: the inner context holds what procedures use
// (services, the caller), so tests can call procedures through createCaller with real data; the outer context
// is built per HTTP request. Staff procedures and permissions arrive with the back-office issue: until then
// only public procedures exist, and there is nothing personal to read.
import { initTRPC } from "@trpc/server";
import { ZodError } from "zod";
import type { Services } from "../../server/context.ts";

export interface InnerContext {
  services: Services;
  requestId: string;
  clientIp: string;
}

export function createInnerContext(opts: InnerContext): InnerContext {
  return opts;
}

const t = initTRPC.context<InnerContext>().create({
  errorFormatter({ shape, error }) {
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        zodIssues: error.cause instanceof ZodError ? error.cause.issues.map((i) => ({ path: i.path, message: i.message })) : undefined,
      },
    };
  },
});

export const router = t.router;
export const publicProcedure = t.procedure;
export const createCallerFactory = t.createCallerFactory;
