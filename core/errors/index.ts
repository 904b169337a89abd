import type { z } from "zod";

// Domain errors carry a code, never an HTTP answer; each edge (Remix, tRPC) converts them once, with the one
// status table below (kept beside the codes so that a new code cannot go without a status).
export type DomainErrorCode =
  | "VALIDATION"
  | "UNAUTHENTICATED"
  | "FORBIDDEN"
  | "NOT_FOUND"
  | "CONFLICT"
  | "RATE_LIMITED"
  /** The request is understood but the state does not allow it (too late to cancel, your own role, …). */
  | "PRECONDITION"
  /** A capability this server is not configured for (live video without LiveKit settings). */
  | "UNAVAILABLE";

/** The HTTP status of each code, for every edge: site forms, loaders, JSON routes and the back-office's tRPC. */
export const httpStatusOf: Readonly<Record<DomainErrorCode, number>> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  // Refused in this state (tRPC's PRECONDITION_FAILED): kept apart from 403, which means "not yours to do".
  PRECONDITION: 412,
  UNAVAILABLE: 503,
};

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

/**
 * Parses input with a zod schema; a failure becomes one VALIDATION error with the first problem's message (written
 * for people in the schema) and the form field it is about: `field` when given, else the first key of its path.
 */
export function parseInput<T>(schema: z.ZodType<T>, value: unknown, field?: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const at = field ?? (typeof issue?.path[0] === "string" ? issue.path[0] : undefined);
  throw new DomainError(
    "VALIDATION",
    issue?.message ?? "Check the form and try again.",
    at ? { field: at } : undefined,
  );
}
