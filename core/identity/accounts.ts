// The account journeys: sign-up with email verification, sign-in by password or emailed code, password reset,
// profile changes that need a fresh re-authentication, sessions and roles. Every function checks its own
// preconditions (who is asking, rate limits); responses never reveal whether an email has an account, not even by
// their timing: the work that depends on the account (looking it up, writing its code) runs after the answer
// (`deps.mail.defer`). A password or name given before the address was proven only survives a confirmation made
// in the browser that gave it (docs/security.md, "pre-hijacking").
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Role } from "../generated/prisma/enums.ts";
import { DomainError, isDomainError, isUniqueViolation, parseInput } from "../errors/index.ts";
import type { MailQueue } from "../platform/mail/queue.ts";
import * as mail from "../mail/templates.ts";
import { accountKeyOf, recordCodeRequest, recordSignInFailure } from "../security/events.ts";
import { assertNotLocked, clearLock, engageLock } from "../security/lockout.ts";
import { consumeMailLimits, type RateLimiter } from "../platform/rate-limit.ts";
import { issueCode, verifyCode, verifyLinkToken } from "./codes.ts";
import { hexEqual, sha256Hex } from "./crypto.ts";
import { endEverywhere, ownerDeviceCurrent } from "./owner-device.ts";
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
import { emailSchema, nameSchema, newAccountEmailSchema } from "./users.ts";
import { keepTicketsOfAddress } from "../support/ownership.ts";

export interface AccountDeps {
  db: PrismaClient;
  mail: MailQueue;
  limiter: RateLimiter;
  /** Server secret used to key code hashes. */
  pepper: Uint8Array;
  appUrl: string;
  now?: () => Date;
  /** Resolves once the current HTTP response has been sent: account-dependent work waits for it (`deps.mail.defer`). */
  answered?: Promise<void>;
}

export interface Requester {
  ip: string;
  device: DeviceInfo;
  /** The account whose owner-device cookie this browser carries (verified), if any: see owner-device.ts. */
  ownerDeviceUserId?: string | null;
  /** When that browser's owner-device mark was issued (a mark older than the account's last "end everywhere" is void). */
  ownerDeviceIssuedAt?: Date | null;
}

export interface NewSession {
  token: string;
  expiresAt: Date;
  absoluteExpiresAt: Date;
  user: { id: string; role: Role; name: string };
  /** The account has no password (it was discarded at the address's first confirmation): ask for one. */
  needsPassword?: boolean;
}

const now = (deps: AccountDeps) => deps.now?.() ?? new Date();
/** A posted code as text: a form sends a string, a JSON caller may send digits as a number. */
const codeText = (code: unknown) => (typeof code === "string" || typeof code === "number" ? String(code) : "");

function parseEmail(value: unknown, schema: typeof emailSchema = emailSchema): string {
  return parseInput(schema, value, "email");
}

async function requirePasswordOk(password: unknown, email?: string): Promise<string> {
  if (typeof password !== "string") throw new DomainError("VALIDATION", "Enter a password.", { field: "password" });
  const problem = await passwordProblem(password, { email });
  if (problem) throw new DomainError("VALIDATION", problem, { field: "password" });
  return password;
}

/** Counts a mail for the requesting IP and the recipient: nobody can flood an address with codes. */
async function limitMail(deps: AccountDeps, ip: string, email: string) {
  await consumeMailLimits(deps.limiter, { ip, recipient: email });
}

/**
 * Whether the request comes from a browser where the account of `email` signed in before. Only the cookie's own
 * account is looked up (when there is a cookie), so the answer's timing does not depend on the typed address.
 */
async function fromOwnerDevice(deps: AccountDeps, requester: Requester, email: string): Promise<boolean> {
  if (!requester.ownerDeviceUserId || !requester.ownerDeviceIssuedAt) return false;
  const owner = await deps.db.user.findUnique({
    where: { id: requester.ownerDeviceUserId },
    select: { email: true, ownerDevicesRevokedAt: true },
  });
  return (
    owner?.email === email && ownerDeviceCurrent(requester.ownerDeviceIssuedAt, owner.ownerDevicesRevokedAt ?? null)
  );
}

/** Mail limits, except the per-recipient budget for the owner's own browser (it cannot be used up by others). */
async function limitMailFor(deps: AccountDeps, requester: Requester, email: string) {
  if (await fromOwnerDevice(deps, requester, email)) await deps.limiter.consume("mail:ip", requester.ip);
  else await limitMail(deps, requester.ip, email);
}

/** The name an account gets when the one given before its address was proven is discarded. */
const placeholderName = (email: string) => email.split("@")[0]!.slice(0, 100) || "Mind Namo member";

/**
 * The address is proven for the first time. Every session the account had ends (none may outlive a takeover
 * attempt); unless the proof came from the browser that gave the password and name (`keepCredentials`), both are
 * discarded and the person is asked for a password.
 */
async function firstConfirmation(deps: AccountDeps, userId: string, email: string, keepCredentials: boolean) {
  await deps.db.$transaction([
    deps.db.user.update({
      where: { id: userId },
      data: {
        emailVerifiedAt: now(deps),
        ...(keepCredentials ? {} : { passwordHash: null, name: placeholderName(email) }),
      },
      select: { id: true },
    }),
    ...endEverywhere(deps.db, userId, now(deps)),
  ]);
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
/**
 * Creates an unverified account and emails a code. The same answer, in the same time, whether or not the email is
 * taken. `binding` is a secret the route keeps in this browser's cookie: only a confirmation carrying it keeps the
 * password and name given here. On an address not yet confirmed the latest sign-up wins (its password and name
 * replace the earlier ones, and its code voids the earlier codes).
 */
export async function signUp(
  deps: AccountDeps,
  input: { name: unknown; email: unknown; password: unknown; binding?: string },
  requester: Requester,
): Promise<{ email: string }> {
  const name = parseInput(nameSchema, input.name, "name");
  const email = parseEmail(input.email, newAccountEmailSchema);
  const password = await requirePasswordOk(input.password, email);
  await limitMail(deps, requester.ip, email);

  const passwordHash = await hashPassword(password);
  const bindingHash = input.binding ? sha256Hex(input.binding) : null;
  const t = now(deps);
  deps.mail.defer("signup", deps.answered, async () => {
    const existing = await deps.db.user.findUnique({
      where: { email },
      select: { id: true, emailVerifiedAt: true, status: true },
    });
    if (existing) {
      if (existing.emailVerifiedAt) deps.mail.enqueue(mail.signupExistingAccount(email, deps.appUrl));
      else if (existing.status === "ACTIVE") {
        await deps.db.user.update({ where: { id: existing.id }, data: { name, passwordHash } });
        await issueVerifyCode(deps, email, existing.id, bindingHash, t);
      }
      return;
    }
    let userId: string;
    try {
      const user = await deps.db.user.create({ data: { email, name, passwordHash }, select: { id: true } });
      userId = user.id;
    } catch (error) {
      if (isUniqueViolation(error)) return; // a parallel sign-up won the race
      throw error;
    }
    await issueVerifyCode(deps, email, userId, bindingHash, t);
  });
  return { email };
}

async function issueVerifyCode(deps: AccountDeps, email: string, userId: string, bindingHash: string | null, t: Date) {
  const { code } = await issueCode(deps.db, deps.pepper, {
    purpose: "VERIFY_EMAIL",
    email,
    userId,
    bindingHash,
    now: t,
  });
  deps.mail.enqueue(mail.verifyEmailCode(email, code));
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
  const t = now(deps);
  deps.mail.defer("resend-verification", deps.answered, async () => {
    const user = await deps.db.user.findUnique({
      where: { email },
      select: { id: true, emailVerifiedAt: true, status: true },
    });
    if (!user || user.emailVerifiedAt || user.status !== "ACTIVE") return;
    // The new code carries the binding of the latest sign-up, so that browser still keeps its password.
    const latest = await deps.db.emailCode.findFirst({
      where: { email, purpose: "VERIFY_EMAIL" },
      orderBy: { createdAt: "desc" },
      select: { bindingHash: true },
    });
    await issueVerifyCode(deps, email, user.id, latest?.bindingHash ?? null, t);
  });
}

/** Confirms the email with its code and signs the person in. */
export async function verifyEmail(
  deps: AccountDeps,
  input: { email: unknown; code: unknown; binding?: string },
  requester: Requester,
): Promise<NewSession> {
  const email = parseEmail(input.email);
  await limitSecret(deps, requester.ip, email);
  const { userId, bindingHash } = await verifyCode(deps.db, deps.pepper, {
    purpose: "VERIFY_EMAIL",
    email,
    code: codeText(input.code),
    now: now(deps),
  });
  if (!userId) throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  const before = await deps.db.user.findUnique({
    where: { id: userId },
    select: { emailVerifiedAt: true, status: true, passwordHash: true },
  });
  if (!before || before.status !== "ACTIVE")
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  // The browser that gave the password and name is the one that completes this sign-up.
  const sameBrowser = !!bindingHash && !!input.binding && hexEqual(bindingHash, sha256Hex(input.binding));
  if (!before.emailVerifiedAt) await firstConfirmation(deps, userId, email, sameBrowser);
  const user = await deps.db.user.findUniqueOrThrow({
    where: { id: userId },
    select: { id: true, role: true, name: true, passwordHash: true },
  });
  await deps.limiter.reset("secret:account", email);
  const session = await startSession(deps, { id: user.id, role: user.role, name: user.name }, email, requester, {
    firstSignIn: true,
  });
  return { ...session, needsPassword: !user.passwordHash };
}

// ---------------------------------------------------------------- sign-in

export type PasswordSignIn = { kind: "signed-in"; session: NewSession } | { kind: "verify-email"; email: string };

const BAD_LOGIN = "The email or password is not right. Try again, or sign in with a code sent by email.";

export async function signInWithPassword(
  deps: AccountDeps,
  input: { email: unknown; password: unknown; binding?: string },
  requester: Requester,
): Promise<PasswordSignIn> {
  const email = parseEmail(input.email);
  const password = typeof input.password === "string" ? input.password : "";
  if (password.length === 0 || password.length > 128)
    throw new DomainError("VALIDATION", BAD_LOGIN, { field: "password" });
  const accountKey = accountKeyOf(deps.pepper, email);
  const ownerDevice = await fromOwnerDevice(deps, requester, email);
  // A paused account is refused before any password is checked (P14); codes and resets still work, and so does
  // the owner's own browser, which has its own budget instead of the per-account one (the owner's door).
  if (!ownerDevice) await assertNotLocked(deps.db, accountKey, now(deps));
  await deps.limiter.consume("secret:ip", requester.ip);
  const user = await deps.db.user.findUnique({
    where: { email },
    select: { id: true, role: true, name: true, passwordHash: true, emailVerifiedAt: true, status: true },
  });
  try {
    if (ownerDevice) await deps.limiter.consume("secret:device", requester.ownerDeviceUserId!);
    else await deps.limiter.consume("secret:account", email);
  } catch (error) {
    if (ownerDevice) throw error;
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
    // The password proves the account; the mailbox is still unproven. Send a code (rate-limited like any mail),
    // bound to this browser: confirmed here, the password is kept.
    await limitMail(deps, requester.ip, email);
    await issueVerifyCode(deps, email, user.id, input.binding ? sha256Hex(input.binding) : null, now(deps));
    return { kind: "verify-email", email };
  }
  return {
    kind: "signed-in",
    session: await startSession(deps, { id: user.id, role: user.role, name: user.name }, email, requester),
  };
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
  await limitMailFor(deps, requester, email);
  const t = now(deps);
  deps.mail.defer("login-code", deps.answered, async () => {
    const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, status: true } });
    if (!user || user.status !== "ACTIVE") return;
    const { code } = await issueCode(deps.db, deps.pepper, { purpose: "LOGIN", email, userId: user.id, now: t });
    deps.mail.enqueue(mail.loginCode(email, code));
  });
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
  // The code proves the mailbox, not that this person chose the password or name given at sign-up: on the
  // address's first confirmation both go, every earlier session ends, and the person is asked for a password.
  const first = !user.emailVerifiedAt;
  if (first) await firstConfirmation(deps, user.id, email, false);
  const fresh = first
    ? await deps.db.user.findUniqueOrThrow({ where: { id: user.id }, select: { id: true, role: true, name: true } })
    : { id: user.id, role: user.role, name: user.name };
  const session = await startSession(deps, fresh, email, requester);
  return first ? { ...session, needsPassword: true } : session;
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
  // Resets have their own per-recipient budget (code requests cannot use it up), and each link mailed stays
  // valid for its hour: the owner's door (docs/security.md).
  await deps.limiter.consume("mail:ip", requester.ip);
  if (!(await fromOwnerDevice(deps, requester, email))) await deps.limiter.consume("mail:reset", email);
  const t = now(deps);
  deps.mail.defer("password-reset", deps.answered, async () => {
    const user = await deps.db.user.findUnique({ where: { email }, select: { id: true, status: true } });
    if (!user || user.status !== "ACTIVE") return;
    const { code, linkToken } = await issueCode(deps.db, deps.pepper, {
      purpose: "RESET_PASSWORD",
      email,
      userId: user.id,
      withLink: true,
      now: t,
    });
    deps.mail.enqueue(mail.passwordResetEmail(email, code, `${deps.appUrl}/reset-password?token=${linkToken}`));
  });
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
  const before = await deps.db.user.findUnique({ where: { id: proof.userId }, select: { emailVerifiedAt: true } });
  await deps.db.$transaction([
    // A reset also proves the mailbox; on its first proof, a name given before it was proven goes too.
    deps.db.user.update({
      where: { id: proof.userId },
      data: {
        passwordHash,
        emailVerifiedAt: now(deps),
        ...(before && !before.emailVerifiedAt ? { name: placeholderName(proof.email) } : {}),
      },
    }),
    ...endEverywhere(deps.db, proof.userId, now(deps)),
    // The other reset links of the account (each stays valid on its own until used) end with this reset.
    deps.db.emailCode.updateMany({
      where: { userId: proof.userId, purpose: "RESET_PASSWORD", consumedAt: null },
      data: { consumedAt: now(deps) },
    }),
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

/**
 * Counts a re-authentication attempt for the IP and the signed-in account. Not the per-address `secret:account`
 * budget: anyone can use that up from anywhere, and the owner, already signed in, must still be able to confirm
 * it's them (the owner's door, docs/security.md).
 */
async function limitReauth(deps: AccountDeps, ip: string, session: ValidSession) {
  await deps.limiter.consume("secret:ip", ip);
  await deps.limiter.consume("secret:reauth", session.userId);
}

export async function reauthenticateWithPassword(
  deps: AccountDeps,
  session: ValidSession,
  input: { password: unknown },
  requester: Requester,
) {
  await limitReauth(deps, requester.ip, session);
  const user = await deps.db.user.findUnique({ where: { id: session.userId }, select: { passwordHash: true } });
  const ok = await verifyPassword(
    typeof input.password === "string" ? input.password.slice(0, 128) : "",
    user?.passwordHash ?? (await getDummyHash()),
  );
  if (!user?.passwordHash || !ok)
    throw new DomainError("VALIDATION", "That password is not right.", { field: "password" });
  await deps.limiter.reset("secret:reauth", session.userId);
  await markReauthenticated(deps.db, session.id, now(deps));
}

export async function requestReauthCode(deps: AccountDeps, session: ValidSession, requester: Requester) {
  // Per IP and per signed-in account, not per address: code requests by others cannot use this budget up.
  await deps.limiter.consume("mail:ip", requester.ip);
  await deps.limiter.consume("mail:reauth", session.userId);
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
  await limitReauth(deps, requester.ip, session);
  const { userId } = await verifyCode(deps.db, deps.pepper, {
    purpose: "REAUTH",
    email: session.user.email,
    code: codeText(input.code),
    now: now(deps),
  });
  if (userId !== session.userId)
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  await deps.limiter.reset("secret:reauth", session.userId);
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
  const email = parseEmail(input.email, newAccountEmailSchema);
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
  // Guesses count against this account (and the IP), not the new address: nobody else can use up the budget of
  // an address someone is moving to.
  await limitSecret(deps, requester.ip, session.user.email);
  const { userId } = await verifyCode(deps.db, deps.pepper, {
    purpose: "CHANGE_EMAIL",
    email,
    code: codeText(input.code),
    now: now(deps),
    userId: session.userId,
  });
  if (userId !== session.userId)
    throw new DomainError("VALIDATION", "That code is not valid or has expired.", { field: "code" });
  try {
    // Tickets from the old address were this account's while the address was verified on it: they stay with it
    // rather than pass to whoever verifies that address next.
    const keep = session.user.emailVerifiedAt
      ? [keepTicketsOfAddress(deps.db, session.userId, session.user.email)]
      : [];
    await deps.db.$transaction([
      ...keep,
      deps.db.user.update({ where: { id: session.userId }, data: { email, emailVerifiedAt: now(deps) } }),
    ]);
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
  const ended = await invalidateUserSessions(deps.db, { userId: session.userId, exceptSessionId: session.id });
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
    ...endEverywhere(deps.db, input.userId),
  ]);
  return updated;
}
