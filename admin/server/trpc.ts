// tRPC v11 foundation for the back-office. The context is split: the inner context holds what procedures use
// (services, the caller's session, request facts), so tests call procedures through createCaller with real
// sessions; the outer context (admin.api.trpc.$.tsx) reads the cookie per HTTP request.
//
// Procedures are built in steps, deny by default:
//   publicProcedure → authedProcedure (signed in) → staffPendingMfaProcedure (staff role; for the TOTP step only)
//   → staffProcedure (staff role and TOTP done in this session) → requirePermission(p) (FORBIDDEN naming p).
// Refused authorizations of a signed-in person are written to the audit trail. Domain errors become TRPCErrors
// in one place (the `domainErrors` middleware every procedure runs).
import { initTRPC, TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { recordAudit } from "../../core/audit/index.ts";
import { isDomainError, type DomainErrorCode } from "../../core/errors/index.ts";
import type { DenialReason } from "../../core/audit/actions.ts";
import type { ValidSession } from "../../core/identity/sessions.ts";
import type { Services } from "../../core/platform/services.ts";
import { coreDeps, type CoreDeps } from "../../core/platform/deps.ts";
import { can, isStaffRole, type Permission } from "../shared/permissions.ts";

export interface InnerContext {
  services: Services;
  requestId: string;
  clientIp: string;
  /** The caller's valid session, or null for anonymous callers. */
  session: ValidSession | null;
}

export function createInnerContext(opts: InnerContext): InnerContext {
  return opts;
}

/** Why a staff procedure was refused, for the console (it shows the TOTP step on MFA_REQUIRED). */
export type { DenialReason };

class Denied extends TRPCError {
  constructor(
    readonly reason: DenialReason,
    message: string,
  ) {
    super({ code: "FORBIDDEN", message });
  }
}

const t = initTRPC.context<InnerContext>().create({
  // The one error formatter: no stacks, zod issues for forms, the denial reason, retry-after for rate limits.
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    return {
      ...shape,
      data: {
        ...shape.data,
        stack: undefined,
        reason: error instanceof Denied ? error.reason : undefined,
        field: isDomainError(cause) ? cause.details?.field : undefined,
        retryAfterSeconds: isDomainError(cause) ? cause.details?.retryAfterSeconds : undefined,
        zodIssues:
          cause instanceof ZodError ? cause.issues.map((i) => ({ path: i.path, message: i.message })) : undefined,
      },
    };
  },
});

/** The tRPC code of each DomainError code; errors.test.ts checks each one's HTTP status against httpStatusOf. */
export const domainToTrpc: Record<DomainErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  CONFLICT: "CONFLICT",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  PRECONDITION: "PRECONDITION_FAILED",
  UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

/** Domain errors converted once, for every procedure. */
const domainErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && isDomainError(result.error.cause)) {
    const cause = result.error.cause;
    throw new TRPCError({ code: domainToTrpc[cause.code], message: cause.message, cause });
  }
  return result;
});

/** Core's deps for this call (core/platform/deps.ts): routers pass these to core, never `services.db` itself. */
export const deps = (ctx: Pick<InnerContext, "services">): CoreDeps => coreDeps(ctx.services);

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(domainErrors);

async function auditDenial(ctx: InnerContext, path: string, reason: DenialReason) {
  const s = ctx.session;
  if (!s) return;
  await recordAudit(
    deps(ctx).db,
    { id: s.userId, role: s.user.role, ip: ctx.clientIp },
    {
      action: `authz.denied.${reason}`,
      target: `procedure:${path}`,
    },
  );
}

export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.session) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to use the back-office." });
  return next({ ctx: { ...ctx, session: ctx.session } });
});

/** Staff role, second factor not required: only for the TOTP enrolment and verification step. */
export const staffPendingMfaProcedure = authedProcedure.use(async ({ ctx, path, next }) => {
  if (!isStaffRole(ctx.session.user.role)) {
    await auditDenial(ctx, path, "NOT_STAFF");
    throw new Denied("NOT_STAFF", "The back-office is for staff accounts only.");
  }
  return next();
});

export const staffProcedure = staffPendingMfaProcedure.use(async ({ ctx, path, next }) => {
  if (!ctx.session.mfaVerifiedAt) {
    await auditDenial(ctx, path, "MFA_REQUIRED");
    throw new Denied("MFA_REQUIRED", "Enter a code from your authenticator app to open the back-office.");
  }
  return next({ ctx: { ...ctx, actor: { id: ctx.session.userId, role: ctx.session.user.role, ip: ctx.clientIp } } });
});

/** A staff procedure that needs one permission; FORBIDDEN names the permission that is missing. */
export function requirePermission(permission: Permission) {
  return staffProcedure.use(async ({ ctx, path, next }) => {
    if (!can(ctx.session.user.role, permission)) {
      await auditDenial(ctx, path, "MISSING_PERMISSION");
      throw new Denied("MISSING_PERMISSION", `Missing permission: ${permission}`);
    }
    return next();
  });
}
