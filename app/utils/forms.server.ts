// Turning domain errors into answers a form can show: each edge converts a DomainError once.
import { data, type HeadersFunction } from "@remix-run/node";
import { isDomainError } from "~/core.server";

export type FormError = {
  error: string;
  field?: string;
  /** Every field's problem, when the form was checked whole: the page shows them all at once. */
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

/** The HTTP status of each DomainError code, for every edge of the site (forms, the room's JSON routes, loaders). */
export const statusOf: Record<string, number> = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  PRECONDITION: 403,
};

/** Runs an action body; a DomainError becomes a 4xx with the message and the (non-secret) values typed. */
export async function formAction<T>(fn: () => T | Promise<T>, values: Record<string, string> = {}) {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error)) {
      const headers: HeadersInit = error.details?.retryAfterSeconds
        ? { "Retry-After": String(error.details.retryAfterSeconds) }
        : {};
      return data<FormError>(
        { error: error.message, field: error.details?.field, errors: error.details?.fields, values },
        { status: statusOf[error.code] ?? 400, headers },
      );
    }
    throw error;
  }
}

/**
 * A route's `headers` export for its form actions. On a document request Remix keeps only Set-Cookie from an
 * action's headers unless the route exports `headers`; with this, a 429 keeps its Retry-After.
 */
export const formHeaders: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

/** Runs a loader's lookup; an owner-scoped NOT_FOUND (another person's id, or none) becomes a plain 404. */
export async function notFoundAs404<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error) && error.code === "NOT_FOUND") throw new Response("Not found", { status: 404 });
    throw error;
  }
}

export function field(form: FormData, name: string, max = 1000): string {
  const value = form.get(name);
  return typeof value === "string" ? value.slice(0, max) : "";
}
