// Signed-in people for the back-office tests (createCaller with real sessions on a real database), defined once:
// a person of any role with a real session (optionally past the second factor), and a staff member with TOTP
// enrolled under a known secret, so the test can compute codes like an authenticator app.
import { generateHOTP } from "@oslojs/otp";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { createSession, validateSessionToken, type ValidSession } from "../../core/identity/sessions.ts";
import { encryptSecret, totpKeyFrom } from "../../core/identity/totp.ts";
import { requesterFor } from "../../core/platform/testing/accounts.ts";
import type { TestServer } from "./server.ts";

let n = 0;

/**
 * An account of `role` with a session, named `<ROLE> <label><n>` with the address `<prefix><n>-<role>@example.com`
 * (each file keeps its own words); `mfa` marks the session as past the second factor.
 */
export async function sessionPerson(
  srv: TestServer,
  role: Role,
  opts: { mfa?: boolean; label?: string; prefix?: string } = {},
) {
  const prisma = srv.running.services.db.prisma;
  const i = ++n;
  const email = `${opts.prefix ?? "p"}${i}-${role.toLowerCase()}@example.com`;
  const name = `${role} ${opts.label ?? "Person"}${i}`;
  const user = await prisma.user.create({
    data: { email, name, role, emailVerifiedAt: new Date() },
    select: { id: true },
  });
  const { token, sessionId } = await createSession(prisma, { userId: user.id, role, device: requesterFor().device });
  if (opts.mfa) await prisma.session.update({ where: { id: sessionId }, data: { mfaVerifiedAt: new Date() } });
  const session = (await validateSessionToken(prisma, token)) as ValidSession;
  return { id: user.id, email, name, token, sessionId, session };
}

/** A staff member with TOTP enrolled (a known secret) and passed in this session; codeAt(offset) gives codes. */
export async function staffWithTotp(srv: TestServer, role: Role) {
  const p = await sessionPerson(srv, role, { mfa: true });
  const secret = new Uint8Array(20).map((_, i) => (i * 7 + n) % 256);
  await srv.running.services.db.prisma.staffTotp.create({
    data: {
      userId: p.id,
      secretEncrypted: encryptSecret(totpKeyFrom(srv.running.services.secrets.codePepper), secret),
      confirmedAt: new Date(),
    },
  });
  const codeAt = (offsetSteps = 0) => generateHOTP(secret, BigInt(Math.floor(Date.now() / 30_000) + offsetSteps), 6);
  return { ...p, codeAt };
}
