// The account journeys: sign-up with email verification, sign-in by password or emailed code, password reset,
// profile changes that need a fresh re-authentication, sessions and roles. Every function checks its own
// preconditions (who is asking, rate limits); responses never reveal whether an email has an account.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { DomainError, isDomainError, isUniqueViolation, parseInput } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import * as mail from "../mail/templates.ts";
import { accountKeyOf, recordCodeRequest, recordSignInFailure } from "../security/events.ts";
import { assertNotLocked, clearLock, engageLock } from "../security/lockout.ts";
import { consumeMailLimits, type RateLimiter } from "../platform/rate-limit.ts";
import { issueCode, verifyCode, verifyLinkToken } from "./codes.ts";
import type { DeviceInfo } from "./device.ts";
import { noteSignIn } from "./new-device.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./password.ts";
import {
  createSession,
  invalidateSession,
  invalidateUserSessions,
  isFreshlyAuthenticated,
  markReauthenticated,
  type ValidSession,
} from "./sessions.ts";
import { emailSchema, nameSchema } from "./users.ts";

export interface AccountDeps {
  db: PrismaClient;
  mail: MailQueue;
  limiter: RateLimiter;
  /** Server secret used to key code hashes. */
  pepper: Uint8Array;
  appUrl: string;
  now?: () => Date;
}

export interface Requester {
  ip: string;
  device: DeviceInfo;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  user: { id: string; role: Role; name: string };
}

const now = (deps: AccountDeps) => deps.now?.() ?? new Date();
/** A posted code as text: a form sends a string, a JSON caller may send digits as a number. */
const codeText = (code: unknown) => (typeof code === "string" || typeof code === "number" ? String(code) : "");

const parseEmail = (value: unknown): string => parseInput(emailSchema, value, "email");

async function requirePasswordOk(password: unknown, email?: string): Promise<string> {
  if (typeof password !== "string") throw new DomainError("VALIDATION", "Enter a password.", { field: "password" });
  const problem = await passwordProblem(password, { email });
  if (problem) throw new DomainError("VALIDATION", problem, { field: "password" });
  return password;
}

/** Counts a mail for the requesting IP and the recipient: nobody can flood an address with codes. */
async function limitMail(deps: AccountDeps, ip: string, email: string) {
  await consumeMailLimits(deps.limiter, ip, email);
}

/** Counts a secret check (password or code) for the IP and the account (by email). */
async function limitSecret(deps: AccountDeps, ip: string, email: string) {
  await deps.limiter.consume("secret:ip", ip);
  await deps.limiter.consume("secret:account", email);
}

// A bcrypt hash of a random password: unknown emails cost the same bcrypt work as known ones.
let dummyHash: Promise<string> | undefined;
const getDummyHash = () => (dummyHash ??= hashPassword(crypto.randomUUID()));

/**
 * Starts a session. Before it exists, the sign-in is noted for new-device alerts (P14): a device family this user
 * has not used before gets an alert email, except on the sign-up's verification (`firstSignIn`).
 */
async function startSession(
  deps: AccountDeps,
  user: { id: string; role: Role; name: string },
  email: string,
  requester: Requester,
  opts: { firstSignIn?: boolean } = {},
): Promise<NewSession> {
  await noteSignIn(deps, { id: user.id, email }, requester, { firstSignIn: opts.firstSignIn ?? false, now: now(deps) });
  const s = await createSession(deps.db, {
    userId: user.id,
    role: user.role,
    device: requester.device,
    now: now(deps),
  });
  return { token: s.token, expiresAt: s.expiresAt, absoluteExpiresAt: s.absoluteExpiresAt, user };
}

// ---------------------------------------------------------------- sign-up and verification

/** Creates an unverified account and emails a code. The same answer whether or not the email is taken. */
export async function signUp(
  deps: AccountDeps,
  input: { name: unknown; email: unknown; password: unknown },
  requester: Requester,
): Promise<{ email: string }> {
  const name = parseInput(nameSchema, input.name, "name");
  const email = parseEmail(input.email);
  const password = await requirePasswordOk(input.password, email);
  await limitMail(deps, requester.ip, email);

  const passwordHash = await hashPassword(password);
  const existing = await deps.db.user.findUnique({ where: { email }, select: { id: true, emailVerifiedAt: true } });
  if (existing) {
    if (existing.emailVerifiedAt) deps.mail.enqueue(mail.signupExistingAccount(email, deps.appUrl));
    else {
      const { code } = await issueCode(deps.db, deps.pepper, {
        purpose: "VERIFY_EMAIL",
        email,
        userId: existing.id,
        now: now(deps),
      });
      deps.mail.enqueue(mail.verifyEmailCode(email, code));
    }
    return { email };
  }
  let userId: string;
  try {
    const user = await deps.db.user.create({ data: { email, name, passwordHash }, select: { id: true } });
    userId = user.id;
  } catch (error) {
    if (isUniqueViolation(error)) return { email }; // a parallel sign-up won the race: same answer
    throw error;
  }
  const { code } = await issueCode(deps.db, deps.pepper, { purpose: "VERIFY_EMAIL", email, userId, now: now(deps) });
  deps.mail.enqueue(mail.verifyEmailCode(email, code));
  return { email };
}

/** Sends a fresh verification code to an unverified account (same answer for any email). */
export async function resendVerification(
  deps: AccountDeps,
  input: { email: unknown },
  requester: Requester,
): Promise<void> {
  const email = parseEmail(input.email);
  await recordCodeRequest(
    deps.db,
    { ip: requester.ip, accountKey: accountKeyOf(deps.pepper, email), purpose: "verify" },
    now(deps),
  );
  await limitMail(deps, requester.ip, email);
  const user = await deps.db.user.findUnique({
    where: { email },
    select: { id: true, emailVerifiedAt: true, status: true },
  });
  if (!user || user.emailVerifiedAt || user.status !== "ACTIVE") return;
  const { code } = await issueCode(deps.db, deps.pepper, {
    purpose: "VERIFY_EMAIL",
    email,
    userId: user.id,
    now: now(deps),
  });
  deps.mail.enqueue(mail.verifyEmailCode(email, code));
}

/** Confirms the email with its code and signs the person in. */
export async function verifyEmail(
  deps: AccountDeps,
  input: { email: unknown; code: unknown },
  requester: Requester,
): Promise<NewSession> {
  const email = parseEmail(input.email);
  await limitSecret(deps, requester.ip, email);
  const { userId } = await verifyCode(deps.db, deps.pepper, {
    purpose: "VERIFY_EMAIL",
    email,
    code: codeText(input.code),
    now: now(deps),
  });
  if (!userId) throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  const user = await deps.db.user.update({
    where: { id: userId },
    data: { emailVerifiedAt: now(deps) },
    select: { id: true, role: true, name: true },
  });
  await deps.limiter.reset("secret:account", email);
  return startSession(deps, user, email, requester, { firstSignIn: true });
}

// ---------------------------------------------------------------- sign-in

export type PasswordSignIn = { kind: "signed-in"; session: NewSession } | { kind: "verify-email"; email: string };

const BAD_LOGIN = "The email or password is not right. Try again, or sign in with a code sent by email.";

export async function signInWithPassword(
  deps: AccountDeps,
  input: { email: unknown; password: unknown },
  requester: Requester,
): Promise<PasswordSignIn> {
  const email = parseEmail(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  if (password.length === 0 || password.length > 128)
    throw new DomainError("VALIDATION", BAD_LOGIN, { field: "password" });
  const accountKey = accountKeyOf(deps.pepper, email);
  // A paused account is refused before any password is checked (P14); codes and resets still work.
  await assertNotLocked(deps.db, accountKey, now(deps));
  await deps.limiter.consume("secret:ip", requester.ip);
  const user = await deps.db.user.findUnique({
    where: { email },
    select: { id: true, role: true, name: true, passwordHash: true, emailVerifiedAt: true, status: true },
  });
  try {
    await deps.limiter.consume("secret:account", email);
  } catch (error) {
    // The per-account limit is used up: pause password sign-in for this email, tell the owner.
    if (isDomainError(error) && error.code === "RATE_LIMITED") {
      throw await engageLock(deps, { email, accountKey, userId: user?.id ?? null, ip: requester.ip }, now(deps));
    }
    throw error;
  }
  const ok = await verifyPassword(password, user?.passwordHash ?? (await getDummyHash()));
  if (!user || !user.passwordHash || !ok || user.status !== "ACTIVE") {
    await recordSignInFailure(
      deps.db,
      { ip: requester.ip, accountKey, userId: user?.id ?? null, method: "password" },
      now(deps),
    );
    throw new DomainError("VALIDATION", BAD_LOGIN, { field: "password" });
  }
  await deps.limiter.reset("secret:account", email);
  if (!user.emailVerifiedAt) {
    // The password proves the account; the mailbox is still unproven. Send a code (rate-limited like any mail).
    await limitMail(deps, requester.ip, email);
    const { code } = await issueCode(deps.db, deps.pepper, {
      purpose: "VERIFY_EMAIL",
      email,
      userId: user.id,
      now: now(deps),
    });
    deps.mail.enqueue(mail.verifyEmailCode(email, code));
    return { kind: "verify-email", email };
  }
  return { kind: "signed-in", session: await startSession(deps, user, email, requester) };
}

/** Emails a sign-in code when the account exists; the same answer when it does not. */
export async function requestLoginCode(
  deps: AccountDeps,
  input: { email: unknown },
  requester: Requester,
): Promise<{ email: string }> {
  const email = parseEmail(input.email);
  await recordCodeRequest(
    deps.db,
    { ip: requester.ip, accountKey: accountKeyOf(deps.pepper, email), purpose: "login" },
    now(deps),
  );
  await limitMail(deps, requester.ip, email);
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, status: true } });
  if (user && user.status === "ACTIVE") {
    const { code } = await issueCode(deps.db, deps.pepper, {
      purpose: "LOGIN",
      email,
      userId: user.id,
      now: now(deps),
    });
    deps.mail.enqueue(mail.loginCode(email, code));
  }
  return { email };
}

export async function signInWithCode(
  deps: AccountDeps,
  input: { email: unknown; code: unknown },
  requester: Requester,
): Promise<NewSession> {
  const email = parseEmail(input.email);
  // Per IP only: the per-account guard for codes is the code's own attempt limit (5 per code, codes are mailed
  // at most 5 an hour), so password failures (the `secret:account` limit, the lock) never block this way in.
  await deps.limiter.consume("secret:ip", requester.ip);
  let userId: string | null;
  try {
    ({ userId } = await verifyCode(deps.db, deps.pepper, {
      purpose: "LOGIN",
      email,
      code: codeText(input.code),
      now: now(deps),
    }));
  } catch (error) {
    await recordSignInFailure(
      deps.db,
      { ip: requester.ip, accountKey: accountKeyOf(deps.pepper, email), userId: null, method: "code" },
      now(deps),
    );
    throw error;
  }
  const user = userId
    ? await deps.db.user.findUnique({
        where: { id: userId },
        select: { id: true, role: true, name: true, status: true, emailVerifiedAt: true },
      })
    : null;
  if (!user || user.status !== "ACTIVE")
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  // The code proves the mailbox.
  if (!user.emailVerifiedAt)
    await deps.db.user.update({ where: { id: user.id }, data: { emailVerifiedAt: now(deps) } });
  return startSession(deps, user, email, requester);
}

export async function signOut(deps: AccountDeps, session: Pick<ValidSession, "id">): Promise<void> {
  await invalidateSession(deps.db, session.id);
}

// ---------------------------------------------------------------- password reset

export async function requestPasswordReset(
  deps: AccountDeps,
  input: { email: unknown },
  requester: Requester,
): Promise<{ email: string }> {
  const email = parseEmail(input.email);
  await recordCodeRequest(
    deps.db,
    { ip: requester.ip, accountKey: accountKeyOf(deps.pepper, email), purpose: "reset" },
    now(deps),
  );
  await limitMail(deps, requester.ip, email);
  const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, status: true } });
  if (user && user.status === "ACTIVE") {
    const { code, linkToken } = await issueCode(deps.db, deps.pepper, {
      purpose: "RESET_PASSWORD",
      email,
      userId: user.id,
      withLink: true,
      now: now(deps),
    });
    deps.mail.enqueue(mail.passwordResetEmail(email, code, `${deps.appUrl}/reset-password?token=${linkToken}`));
  }
  return { email };
}

/** Sets a new password from a reset code or link, and ends every session of the account. */
export async function resetPassword(
  deps: AccountDeps,
  input: { email?: unknown; code?: unknown; token?: unknown; password: unknown },
  requester: Requester,
): Promise<void> {
  let proof: { userId: string | null; email: string };
  if (typeof input.token === "string" && input.token) {
    await deps.limiter.consume("secret:ip", requester.ip);
    const password = await requirePasswordOk(input.password);
    proof = await verifyLinkToken(deps.db, { purpose: "RESET_PASSWORD", token: input.token, now: now(deps) });
    await setPasswordAndEndSessions(deps, proof, password);
    return;
  }
  const email = parseEmail(input.email);
  const password = await requirePasswordOk(input.password, email);
  // Per IP and the code's own attempt limit (see signInWithCode): a lock never blocks a reset.
  await deps.limiter.consume("secret:ip", requester.ip);
  proof = await verifyCode(deps.db, deps.pepper, {
    purpose: "RESET_PASSWORD",
    email,
    code: codeText(input.code),
    now: now(deps),
  });
  await setPasswordAndEndSessions(deps, proof, password);
}

async function setPasswordAndEndSessions(
  deps: AccountDeps,
  proof: { userId: string | null; email: string },
  password: string,
) {
  if (!proof.userId) throw new DomainError("VALIDATION", "This reset is no longer valid. Please ask for a new one.");
  const passwordHash = await hashPassword(password);
  await deps.db.$transaction([
    // A reset also proves the mailbox.
    deps.db.user.update({ where: { id: proof.userId }, data: { passwordHash, emailVerifiedAt: now(deps) } }),
    deps.db.session.deleteMany({ where: { userId: proof.userId } }),
  ]);
  await deps.limiter.reset("secret:account", proof.email);
  await clearLock(deps.db, accountKeyOf(deps.pepper, proof.email));
  deps.mail.enqueue(mail.passwordChangedNotice(proof.email));
}

// ---------------------------------------------------------------- re-authentication and sensitive changes

function requireFresh(deps: AccountDeps, session: ValidSession) {
  if (!isFreshlyAuthenticated(session, now(deps))) {
    throw new DomainError("PRECONDITION", "For your security, please confirm it's you before making this change.");
  }
}

export async function reauthenticateWithPassword(
  deps: AccountDeps,
  session: ValidSession,
  input: { password: unknown },
  requester: Requester,
) {
  await limitSecret(deps, requester.ip, session.user.email);
  const user = await deps.db.user.findUnique({ where: { id: session.userId }, select: { passwordHash: true } });
  const ok = await verifyPassword(
    typeof input.password === "string" ? input.password.slice(0, 128) : "",
    user?.passwordHash ?? (await getDummyHash()),
  );
  if (!user?.passwordHash || !ok)
    throw new DomainError("VALIDATION", "That password is not right.", { field: "password" });
  await deps.limiter.reset("secret:account", session.user.email);
  await markReauthenticated(deps.db, session.id, now(deps));
}

export async function requestReauthCode(deps: AccountDeps, session: ValidSession, requester: Requester) {
  await limitMail(deps, requester.ip, session.user.email);
  const { code } = await issueCode(deps.db, deps.pepper, {
    purpose: "REAUTH",
    email: session.user.email,
    userId: session.userId,
    now: now(deps),
  });
  deps.mail.enqueue(mail.reauthCode(session.user.email, code));
}

export async function reauthenticateWithCode(
  deps: AccountDeps,
  session: ValidSession,
  input: { code: unknown },
  requester: Requester,
) {
  await limitSecret(deps, requester.ip, session.user.email);
  const { userId } = await verifyCode(deps.db, deps.pepper, {
    purpose: "REAUTH",
    email: session.user.email,
    code: codeText(input.code),
    now: now(deps),
  });
  if (userId !== session.userId)
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  await markReauthenticated(deps.db, session.id, now(deps));
}

export async function updateName(deps: AccountDeps, session: ValidSession, input: { name: unknown }) {
  const name = parseInput(nameSchema, input.name, "name");
  await deps.db.user.update({ where: { id: session.userId }, data: { name } });
}

/** Sends a code to the new address. Needs a fresh re-authentication. */
export async function requestEmailChange(
  deps: AccountDeps,
  session: ValidSession,
  input: { email: unknown },
  requester: Requester,
) {
  requireFresh(deps, session);
  const email = parseEmail(input.email);
  if (email === session.user.email)
    throw new DomainError("VALIDATION", "This is already your email address.", { field: "email" });
  await limitMail(deps, requester.ip, email);
  const taken = await deps.db.user.findUnique({ where: { email }, select: { id: true } });
  // A taken address gets no code (it could never be confirmed); the answer stays the same.
  if (taken) return { email };
  const { code } = await issueCode(deps.db, deps.pepper, {
    purpose: "CHANGE_EMAIL",
    email,
    userId: session.userId,
    now: now(deps),
  });
  deps.mail.enqueue(mail.changeEmailCode(email, code));
  return { email };
}

export async function confirmEmailChange(
  deps: AccountDeps,
  session: ValidSession,
  input: { email: unknown; code: unknown },
  requester: Requester,
) {
  requireFresh(deps, session);
  const email = parseEmail(input.email);
  await limitSecret(deps, requester.ip, email);
  const { userId } = await verifyCode(deps.db, deps.pepper, {
    purpose: "CHANGE_EMAIL",
    email,
    code: codeText(input.code),
    now: now(deps),
  });
  if (userId !== session.userId)
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  try {
    await deps.db.user.update({ where: { id: session.userId }, data: { email, emailVerifiedAt: now(deps) } });
  } catch (error) {
    if (isUniqueViolation(error))
      throw new DomainError("CONFLICT", "This email address is already in use.", { field: "email" });
    throw error;
  }
  deps.mail.enqueue(mail.emailChangedNotice(session.user.email, email));
}

/** Changes the password (fresh re-authentication needed) and ends every other session. */
export async function changePassword(deps: AccountDeps, session: ValidSession, input: { password: unknown }) {
  requireFresh(deps, session);
  const password = await requirePasswordOk(input.password, session.user.email);
  const passwordHash = await hashPassword(password);
  await deps.db.user.update({ where: { id: session.userId }, data: { passwordHash } });
  const ended = await invalidateUserSessions(deps.db, session.userId, session.id);
  deps.mail.enqueue(mail.passwordChangedNotice(session.user.email));
  return { endedSessions: ended };
}

// ---------------------------------------------------------------- roles

/** Changes an account's role (ADMIN only; not one's own) and ends all of that account's sessions. */
export async function changeRole(
  deps: AccountDeps,
  actor: { id: string; role: Role },
  input: { userId: string; role: Role },
) {
  if (actor.role !== "ADMIN") throw new DomainError("FORBIDDEN", "Only an admin can change roles.");
  if (actor.id === input.userId) throw new DomainError("FORBIDDEN", "You cannot change your own role.");
  const [updated] = await deps.db.$transaction([
    deps.db.user.update({ where: { id: input.userId }, data: { role: input.role }, select: { id: true, role: true } }),
    deps.db.session.deleteMany({ where: { userId: input.userId } }),
  ]);
  return updated;
}
