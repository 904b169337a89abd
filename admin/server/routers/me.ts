import { z } from "zod";
import {
  totpKeyFrom,
  beginTotpEnrolment,
  confirmTotpEnrolment,
  recoveryCodesLeft,
  regenerateRecoveryCodes,
  totpStatus,
  useRecoveryCode,
  verifyTotpForSession,
} from "../../../core/identity/totp.ts";
import { isStaffRole, permissionsOf } from "../../shared/permissions.ts";
import { authedProcedure, deps, router, staffPendingMfaProcedure, staffProcedure, type InnerContext } from "../trpc.ts";

const totpDeps = (ctx: InnerContext) => {
  const { db, limiter, pepper } = deps(ctx);
  return { db, limiter, key: totpKeyFrom(pepper) };
};
const codeInput = z.object({ code: z.string().trim().min(1).max(12) });

export const meRouter = router({
  /** Who is calling and what the console may show them. Signed in only; no one else's data. */
  get: authedProcedure.input(z.void()).query(async ({ ctx }) => {
    const { user } = ctx.session;
    const staff = isStaffRole(user.role);
    const { db } = deps(ctx);
    return {
      id: user.id,
      name: user.name,
      // The session carries the account's zone (read with the session in one statement).
      timezone: user.timezone,
      role: user.role,
      isStaff: staff,
      permissions: staff && ctx.session.mfaVerifiedAt ? [...permissionsOf(user.role)] : [],
      mfa: staff
        ? {
            enrolled: (await totpStatus(db, user.id)).enrolled,
            verified: Boolean(ctx.session.mfaVerifiedAt),
            recoveryCodesLeft: await recoveryCodesLeft(db, user.id),
          }
        : null,
    };
  }),
});

export const mfaRouter = router({
  /** Starts TOTP enrolment (or shows the pending one): the key, the otpauth URI and its QR code. */
  beginEnrolment: staffPendingMfaProcedure.input(z.void()).mutation(({ ctx }) =>
    beginTotpEnrolment(totpDeps(ctx), {
      id: ctx.session.userId,
      email: ctx.session.user.email,
      role: ctx.session.user.role,
    }),
  ),
  /** Confirms with a first code; returns the ten recovery codes, the only time they are shown. */
  confirmEnrolment: staffPendingMfaProcedure.input(codeInput).mutation(({ ctx, input }) =>
    confirmTotpEnrolment(totpDeps(ctx), ctx.session.user, {
      sessionId: ctx.session.id,
      code: input.code,
      ip: ctx.clientIp,
    }),
  ),
  /** Passes the second factor with a recovery code (each accepted once). */
  useRecoveryCode: staffPendingMfaProcedure
    .input(z.object({ code: z.string().trim().min(1).max(32) }))
    .mutation(({ ctx, input }) =>
      useRecoveryCode(totpDeps(ctx), ctx.session.user, {
        sessionId: ctx.session.id,
        code: input.code,
        ip: ctx.clientIp,
      }),
    ),
  /** Ten new recovery codes behind a fresh TOTP code; the old ones stop working. Audited. */
  regenerateRecoveryCodes: staffProcedure
    .input(codeInput)
    .mutation(({ ctx, input }) =>
      regenerateRecoveryCodes(totpDeps(ctx), ctx.session.user, { code: input.code, ip: ctx.clientIp }),
    ),
  verify: staffPendingMfaProcedure.input(codeInput).mutation(async ({ ctx, input }) => {
    await verifyTotpForSession(totpDeps(ctx), ctx.session.user, {
      sessionId: ctx.session.id,
      code: input.code,
      ip: ctx.clientIp,
    });
    return { ok: true as const };
  }),
});
