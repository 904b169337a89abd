// Email preferences and consent at the Remix edge: parsing forms and bodies (zod stays in *.server.ts files).
import type { AppLoadContext } from "@remix-run/node";
import { z } from "zod";
import { consentInputSchema, verifyUnsubscribeLink } from "~/core.server";

export type ListName = "reminders" | "newsletter";
export const LIST_LABELS: Record<ListName, string> = {
  reminders: "session reminders",
  newsletter: "the Mind Namo newsletter",
};

const hex64 = /^[0-9a-f]{64}$/;

/** The link's parameters if they carry a valid signature (no database access, nothing changes). */
export function checkUnsubscribeLink(
  context: AppLoadContext,
  get: (name: string) => string | null,
): { userId: string; token: string; list: ListName } | null {
  const userId = get("u");
  const token = get("t");
  const list = get("l") ?? "reminders";
  if (!userId || !token || !hex64.test(token) || (list !== "reminders" && list !== "newsletter")) return null;
  return verify(context, userId, token, list) ? { userId, token, list } : null;
}

function verify(context: AppLoadContext, userId: string, token: string, list: ListName) {
  return verifyUnsubscribeLink(context.services.secrets.unsubscribeKey, { userId, token, list });
}

/** The checkboxes of the email settings form: a box that is not sent is off. */
export function parseEmailPreferences(form: FormData) {
  return {
    reminders: form.get("reminders") === "on",
    newsletter: form.get("newsletter") === "on",
    details: form.get("details") === "on",
  };
}

export function preferencesSavedMessage(prefs: { reminders: boolean; newsletter: boolean; details?: boolean }) {
  const reminders = prefs.reminders ? "Session reminders are on." : "Session reminders are off.";
  const newsletter = prefs.newsletter ? "You get the newsletter." : "You do not get the newsletter.";
  const details = prefs.details
    ? "Booking emails name your expert and topic."
    : 'Booking emails stay discreet ("Mind Namo session").';
  return `${reminders} ${newsletter} ${details} Confirmations, changes and security emails are always sent.`;
}

/** A consent choice from the banner or a settings page: JSON from the script, or a plain form without JavaScript. */
export async function parseConsentRequest(request: Request) {
  // A consent choice is a few dozen bytes: anything announcing more is refused before a byte of it is read.
  const length = Number(request.headers.get("content-length") ?? "0");
  if (!Number.isFinite(length) || length > 1000) return null;
  const type = request.headers.get("content-type")?.split(";")[0]?.trim().toLowerCase();
  if (type === "application/json") {
    const text = await request.text();
    if (text.length > 1000) return null;
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return null;
    }
    const parsed = consentInputSchema.safeParse(body);
    return parsed.success ? parsed.data : null;
  }
  const form = await request.formData().catch(() => null);
  if (!form) return null;
  const parsed = z
    .object({ analytics: z.enum(["true", "false"]), source: z.enum(["banner", "settings"]) })
    .safeParse({ analytics: form.get("analytics"), source: form.get("source") });
  return parsed.success ? { analytics: parsed.data.analytics === "true", source: parsed.data.source } : null;
}
