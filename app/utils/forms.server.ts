// Turning domain errors into answers: every edge of the site converts a DomainError here, with core's one
// status table (httpStatusOf), whether the answer is for a form or a JSON route.
import { data, type HeadersFunction } from "@remix-run/node";
import { httpStatusOf, isDomainError, type DomainError } from "~/core.server";

export type FormError = {
  error: string;
  field?: string;
  /** Every field's problem, when the form was checked whole: the page shows them all at once. */
  errors?: Record<string, string>;
  values?: Record<string, string>;
};

/**
 * The answer to a DomainError: its status from httpStatusOf, its message (written for people), the field it is
 * about, Retry-After when limited. `form` answers are action data that also carry the (non-secret) values typed;
 * `json` answers are JSON responses for scripts, never cached.
 */
export function domainErrorResponse(
  error: DomainError,
  as: { form: Record<string, string> },
): ReturnType<typeof data<FormError>>;
export function domainErrorResponse(error: DomainError, as: "json"): Response;
export function domainErrorResponse(error: DomainError, as: "json" | { form: Record<string, string> }) {
  const status = httpStatusOf[error.code];
  const retryAfter = error.details?.retryAfterSeconds;
  const headers: Record<string, string> = retryAfter ? { "Retry-After": String(retryAfter) } : {};
  if (as === "json") {
    const field = error.details?.field;
    return Response.json(
      { error: error.message, ...(field ? { field } : {}) },
      { status, headers: { ...headers, "Cache-Control": "no-store" } },
    );
  }
  return data<FormError>(
    { error: error.message, field: error.details?.field, errors: error.details?.fields, values: as.form },
    { status, headers },
  );
}

/**
 * The answer to a form intent the action does not offer (a stale page or a hand-made request): 400, and nothing
 * changes. Every action with several intents ends with `throw unknownIntent()`; none falls through to another.
 */
export function unknownIntent(): Response {
  return new Response("This page does not offer that action. Please reload it and try again.", { status: 400 });
}

/** Runs an action body; a DomainError becomes a 4xx with the message and the (non-secret) values typed. */
export async function formAction<T>(fn: () => T | Promise<T>, values: Record<string, string> = {}) {
  try {
    return await fn();
  } catch (error) {
    if (isDomainError(error)) return domainErrorResponse(error, { form: values });
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
