// Error reports (privacy promise P7): client crashes, failed API calls, loading failures and server errors. Every
// text is SCRUBBED before it is stored (emails, tokens, JWTs, bearer credentials, one-time codes, long numbers,
// ids, query strings), and nothing about the person is kept: no user id, IP, cookie or user agent exists in the
// table. Reports are grouped by a fingerprint (kind + normalized message + location) for the console, and
// deleted after 30 days.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ErrorReportKind } from "../generated/prisma/enums.ts";
import { sha256Hex } from "../identity/crypto.ts";

export const ERROR_RETENTION_DAYS = 30;
const DAY = 24 * 60 * 60_000;

export const MAX_MESSAGE = 500;
export const MAX_LOCATION = 300;
export const MAX_STACK = 4000;

/** Replacement rules, applied in this order. Each pattern is global. */
const RULES: [RegExp, string][] = [
  // JSON Web Tokens (header.payload.signature, base64url).
  [/\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, "[jwt]"],
  // Authorization credentials.
  [/\b(bearer|basic|token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, "$1 [token]"],
  // key=value or "key": "value" pairs that name a secret.
  [
    new RegExp(
      "\\b(password|passwd|pwd|secret|token|access_token|refresh_token|id_token|api[_-]?key|otp|authorization|cookie|" +
        "mn_session|__Host-mn_session)([\"']?\\s*[:=]\\s*[\"']?)[^\\s\"'&,;)}\\]]+",
      "gi",
    ),
    "$1$2[redacted]",
  ],
  [/\b(code)=[^\s"'&,;)}\]]+/gi, "$1=[redacted]"],
  // Query strings and fragments with parameters: dropped entirely.
  [/\?[A-Za-z0-9_.%[\]-]+=[^\s"'<>`)]*/g, ""],
  [/#[A-Za-z0-9_.%-]+=[^\s"'<>`)]*/g, ""],
  // Email addresses, also URL-encoded.
  [/[A-Za-z0-9._%+-]+(@|%40)[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g, "[email]"],
  // Our session tokens (<id>.<secret>, base32).
  [/\b[a-z2-7]{20,}\.[a-z2-7]{40,}\b/g, "[token]"],
  // UUIDs (record ids).
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, "[id]"],
  // Long runs of token characters: 32+ always; 16+ when they mix letters and digits (hex, base64url, base32).
  [/[A-Za-z0-9_+=-]{32,}/g, "[token]"],
  [/\b(?=[A-Za-z0-9_-]*\d)(?=[A-Za-z0-9_-]*[A-Za-z])[A-Za-z0-9_-]{16,}\b/g, "[token]"],
  // One-time codes: 6 to 8 digits, also written "1234 5678" or "123-456".
  [/\b\d{4}[ -]\d{4}\b/g, "[code]"],
  [/\b\d{3}[ -]\d{3}\b/g, "[code]"],
  [/\b\d{9,}\b/g, "[number]"],
  [/\b\d{6,8}\b/g, "[code]"],
];

/** Removes personal data and secrets from a text. Idempotent. */
export function scrub(text: string): string {
  let out = text;
  for (const [pattern, replacement] of RULES) out = out.replace(pattern, replacement);
  return out;
}

/** A path on our site or a script URL, without query string or fragment, scrubbed. */
export function scrubLocation(value: string): string {
  let v = value.trim();
  try {
    // Full URLs keep only their path (our own origin is implied; another origin keeps its host for context).
    if (/^https?:\/\//i.test(v)) {
      const u = new URL(v);
      v = u.host && !/^(localhost|127\.0\.0\.1)(:\d+)?$/.test(u.host) ? `${u.host}${u.pathname}` : u.pathname;
    }
  } catch {
    // not a URL: keep the text
  }
  v = v.split(/[?#]/)[0] ?? "";
  return scrub(v).slice(0, MAX_LOCATION);
}

/** The message with numbers and scrubbed placeholders flattened, so one bug makes one group. */
export function normalizeMessage(message: string): string {
  return message.toLowerCase().replace(/\d+/g, "0").replace(/\s+/g, " ").trim().slice(0, 300);
}

function normalizeLocation(location: string | null): string {
  if (!location) return "";
  // /help/[id] and /help/123 are the same place; chunk hashes change with each build.
  return location
    .replace(/-[A-Z0-9]{8}\.js$/i, ".js")
    .replace(/\/\d+(?=\/|$)/g, "/0")
    .toLowerCase();
}

export function fingerprintOf({
  kind,
  message,
  location,
}: {
  kind: ErrorReportKind;
  message: string;
  location: string | null;
}): string {
  return sha256Hex(`${kind}\n${normalizeMessage(message)}\n${normalizeLocation(location)}`).slice(0, 32);
}

/** What a browser may send (POST /errors). Server errors are recorded by the server only. */
export const clientErrorSchema = z.object({
  kind: z.enum(["CLIENT_CRASH", "API_FAILURE", "LOAD_FAILURE"]),
  message: z.string().min(1).max(2000),
  location: z.string().max(2000).optional(),
  stack: z.string().max(16_000).optional(),
  status: z.number().int().min(0).max(599).optional(),
});
export type ClientErrorInput = z.infer<typeof clientErrorSchema>;

export interface ErrorInput {
  kind: ErrorReportKind;
  message: string;
  location?: string | null;
  stack?: string | null;
  status?: number | null;
}

/** Stores one report, scrubbed and capped. Nothing identifying the person can be passed in. */
export async function recordError(
  db: PrismaClient,
  input: ErrorInput,
  now = new Date(),
): Promise<{ fingerprint: string }> {
  const message = scrub(input.message).slice(0, MAX_MESSAGE) || "(no message)";
  const location = input.location ? scrubLocation(input.location) || null : null;
  const stack = input.stack
    ? scrub(input.stack)
        .split("\n")
        .slice(0, 30)
        .map((line) => line.slice(0, 300))
        .join("\n")
        .slice(0, MAX_STACK)
    : null;
  const fingerprint = fingerprintOf({ kind: input.kind, message, location });
  await db.errorReport.create({
    data: { kind: input.kind, fingerprint, message, location, stack, status: input.status ?? null, createdAt: now },
    select: { id: true },
  });
  return { fingerprint };
}

/** Server errors: records without ever throwing (error reporting must not cause a second failure). */
export async function recordServerError(
  db: PrismaClient,
  error: unknown,
  location: string | null,
  onFail?: (e: unknown) => void,
): Promise<void> {
  try {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const stack = error instanceof Error ? (error.stack ?? null) : null;
    await recordError(db, { kind: "SERVER_ERROR", message, stack, location, status: 500 });
  } catch (e) {
    onFail?.(e);
  }
}

export const errorGroupsSchema = z.object({
  kind: z.enum(["CLIENT_CRASH", "API_FAILURE", "LOAD_FAILURE", "SERVER_ERROR", "CSP_VIOLATION"]).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});

export interface ErrorGroup {
  fingerprint: string;
  kind: ErrorReportKind;
  count: number;
  firstSeen: Date;
  lastSeen: Date;
  message: string;
  location: string | null;
  status: number | null;
  stack: string | null;
}

/** Groups of the last 30 days, most recently seen first, each with its newest sample. Two queries. */
export async function listErrorGroups(
  db: PrismaClient,
  q: z.input<typeof errorGroupsSchema> = {},
): Promise<ErrorGroup[]> {
  const { kind, limit } = errorGroupsSchema.parse(q);
  const groups = await db.errorReport.groupBy({
    by: ["fingerprint", "kind"],
    where: kind ? { kind } : {},
    _count: { _all: true },
    _min: { createdAt: true },
    _max: { createdAt: true },
    orderBy: { _max: { createdAt: "desc" } },
    take: limit,
  });
  if (groups.length === 0) return [];
  const samples = await db.errorReport.findMany({
    where: { fingerprint: { in: groups.map((g) => g.fingerprint) } },
    distinct: ["fingerprint"],
    orderBy: [{ fingerprint: "asc" }, { createdAt: "desc" }],
    select: { fingerprint: true, message: true, location: true, status: true, stack: true },
  });
  const byFp = new Map(samples.map((s) => [s.fingerprint, s]));
  return groups.map((g) => {
    const s = byFp.get(g.fingerprint);
    return {
      fingerprint: g.fingerprint,
      kind: g.kind,
      count: g._count._all,
      firstSeen: g._min.createdAt!,
      lastSeen: g._max.createdAt!,
      message: s?.message ?? "",
      location: s?.location ?? null,
      status: s?.status ?? null,
      stack: s?.stack ?? null,
    };
  });
}

/** Deletes reports older than 30 days. Returns how many were deleted. */
export async function purgeErrorReports(db: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await db.errorReport.deleteMany({
    where: { createdAt: { lt: new Date(now.getTime() - ERROR_RETENTION_DAYS * DAY) } },
  });
  return count;
}
