import type { AppLoadContext } from "@remix-run/node";
import type { reviews } from "~/core.server";
import { deps } from "~/core.server";

/** What review functions need from the request: the database, mail, and the public page cache to clear. */
export function reviewDeps(context: AppLoadContext): reviews.ReviewDeps {
  return deps(context);
}

/** A survey's answers from a form: the fields named `q_<questionId>`. */
export function surveyAnswers(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form.entries()) {
    if (name.startsWith("q_") && typeof value === "string") out[name.slice(2, 66)] = value.slice(0, 2000);
  }
  return out;
}
