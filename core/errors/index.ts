// Domain errors know nothing of HTTP. Each edge (Remix, tRPC) converts them once.
export type DomainErrorCode =
  "VALIDATION" | "UNAUTHENTICATED" | "FORBIDDEN" | "NOT_FOUND" | "CONFLICT" | "RATE_LIMITED" | "PRECONDITION";

// A registered symbol, not `instanceof`: the Remix build bundles its own copy of this module, while the server's
// services (the rate limiter) throw errors made by the source copy; both must be recognised.
const DOMAIN_ERROR: unique symbol = Symbol.for("mindnamo.DomainError");

export class DomainError extends Error {
  readonly [DOMAIN_ERROR] = true;
  constructor(
    public readonly code: DomainErrorCode,
    message: string,
    /** `field` names the first field at fault; `fields` holds every field's message when a form is checked whole. */
    public readonly details?: { field?: string; fields?: Record<string, string>; retryAfterSeconds?: number },
  ) {
    super(message);
    this.name = "DomainError";
  }
}

export const isDomainError = (e: unknown): e is DomainError =>
  typeof e === "object" && e !== null && (e as { [DOMAIN_ERROR]?: unknown })[DOMAIN_ERROR] === true;

/** Prisma's unique-violation code. P2002 carries no reliable meta.target across backends: branch on code only. */
export function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}
