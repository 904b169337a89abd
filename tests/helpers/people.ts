// People for the HTTP tests, defined once: one password, verified accounts straight in the database (sign-up over
// HTTP is tested on its own, in accounts-http and attack-http), and browsers signed in through the real password
// form, each from its own client address. Module state (the address counter, the hash) is per test file.
import { expect } from "vitest";
import type { Role } from "../../core/generated/prisma/enums.ts";
import { hashPassword } from "../../core/identity/password.ts";
import { Browser, type BrowserOptions } from "./http.ts";
import type { TestServer } from "./server.ts";

export const PASSWORD = "quiet lantern by the sea";

let hashed: Promise<string> | undefined;
/** The hash of PASSWORD, made once per file (password hashing is slow on purpose). */
export const passwordHash = (): Promise<string> => (hashed ??= hashPassword(PASSWORD));

let ipCount = 0;
/** A fresh client address per browser: the per-IP limits (mail, secrets, all POSTs) never add up across tests. */
export const nextIp = () => `198.51.100.${++ipCount}`;

/** A verified account with PASSWORD, straight in the database. */
export async function person(s: TestServer, email: string, opts: { name?: string; role?: Role } = {}) {
  return s.running.services.db.prisma.user.create({
    data: {
      email,
      name: opts.name ?? "Test Person",
      passwordHash: await passwordHash(),
      emailVerifiedAt: new Date(),
      ...(opts.role ? { role: opts.role } : {}),
    },
    select: { id: true },
  });
}

/**
 * A browser signed in with the password form (a 302), from a fresh address unless `ip` is given; with `landing`,
 * also where the sign-in sent it.
 */
export async function signIn(
  s: TestServer,
  email: string,
  opts: BrowserOptions & { password?: string; landing?: string } = {},
): Promise<Browser> {
  const { password = PASSWORD, landing, ...browser } = opts;
  const b = new Browser(s, { ip: nextIp(), ...browser });
  const res = await b.post("/login", { email, password });
  expect(res.status).toBe(302);
  if (landing !== undefined) expect(res.headers.get("location")).toBe(landing);
  return b;
}
