// Configuration, validated with zod once at boot. A bad or missing value stops the start with a message that
// names the variable. Nothing else in the code reads process.env directly.
import path from "node:path";
import { z } from "zod";

const optionalString = z
  .string()
  .trim()
  .transform((v) => (v === "" ? undefined : v))
  .optional();

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
    PORT: z.coerce.number().int().min(1).max(65535).default(3000),
    HOST: z.string().min(1).default("0.0.0.0"),
    APP_URL: z.url({ protocol: /^https?$/ }).optional(),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, "must be a postgres:// or postgresql:// URL")
        .optional(),
    ),
    DATA_DIR: z.string().min(1).default(".data"),
    MAIL_OUTBOX_DIR: optionalString,
    MAIL_TRANSPORT: z.enum(["resend", "outbox", "smtp"]).optional(),
    /** SMTP through nodemailer (MAIL_TRANSPORT=smtp): TLS always, implicit (SMTP_SECURE=true, port 465) or STARTTLS. */
    SMTP_HOST: optionalString,
    SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    SMTP_SECURE: z.enum(["true", "false"]).optional(),
    SMTP_USER: optionalString,
    SMTP_PASSWORD: optionalString,
    RESEND_API_KEY: optionalString,
    RESEND_BASE_URL: optionalString.pipe(z.url().optional()),
    MAIL_FROM: z.string().min(3).default("Mind Namo <no-reply@mindnamo.local>"),
    SESSION_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
    LIVEKIT_URL: optionalString.pipe(z.url().optional()),
    LIVEKIT_API_KEY: optionalString,
    LIVEKIT_API_SECRET: optionalString,
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
    SEED_DEMO_DATA: z.enum(["auto", "never"]).default("auto"),
    TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production") {
      if (!env.APP_URL) {
        ctx.addIssue({ code: "custom", path: ["APP_URL"], message: "is required in production" });
      }
      if (!env.SESSION_SECRET) {
        ctx.addIssue({ code: "custom", path: ["SESSION_SECRET"], message: "is required in production" });
      }
      // Production never drops mail silently: either a provider, or the outbox chosen explicitly.
      if (!env.RESEND_API_KEY && env.MAIL_TRANSPORT !== "outbox" && env.MAIL_TRANSPORT !== "smtp") {
        ctx.addIssue({
          code: "custom",
          path: ["RESEND_API_KEY"],
          message: "is required in production (or set MAIL_TRANSPORT=outbox to keep mail in local files on purpose)",
        });
      }
    }
    if (env.NODE_ENV === "production" && env.DATABASE_URL) {
      const problem = databaseTlsProblem(env.DATABASE_URL);
      if (problem) ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: problem });
    }
    if (env.MAIL_TRANSPORT === "smtp") {
      if (!env.SMTP_HOST) {
        ctx.addIssue({ code: "custom", path: ["SMTP_HOST"], message: "is required when MAIL_TRANSPORT=smtp" });
      }
      if (!env.SMTP_PORT) {
        ctx.addIssue({ code: "custom", path: ["SMTP_PORT"], message: "is required when MAIL_TRANSPORT=smtp" });
      }
      if (Boolean(env.SMTP_USER) !== Boolean(env.SMTP_PASSWORD)) {
        ctx.addIssue({
          code: "custom",
          path: ["SMTP_USER"],
          message: "SMTP_USER and SMTP_PASSWORD must be set together",
        });
      }
    }
    if (env.MAIL_TRANSPORT === "resend" && !env.RESEND_API_KEY) {
      ctx.addIssue({ code: "custom", path: ["RESEND_API_KEY"], message: "is required when MAIL_TRANSPORT=resend" });
    }
    const lk = [env.LIVEKIT_URL, env.LIVEKIT_API_KEY, env.LIVEKIT_API_SECRET].filter(Boolean).length;
    if (lk !== 0 && lk !== 3) {
      ctx.addIssue({
        code: "custom",
        path: ["LIVEKIT_URL"],
        message: "LIVEKIT_URL, LIVEKIT_API_KEY and LIVEKIT_API_SECRET must be set together",
      });
    }
  });

const TLS_SSLMODES = new Set(["require", "verify-ca", "verify-full"]);

function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  return h === "localhost" || h === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * In production, personal data travels to the database only over TLS ("SSL/TLS for all transmitted data", P18):
 * the URL must ask for it (sslmode=require, verify-ca or verify-full), unless the database is on this machine (a
 * loopback address or a Unix socket, where nothing crosses a network). Returns the problem, or null.
 *
 * It judges the URL the way node-postgres (pg-connection-string) reads it: a `host` query parameter replaces the
 * URL's host, and when a parameter is repeated the last one wins. A repeated parameter that decides where or how we
 * connect is refused outright, so no reading of the URL can differ from the one checked here.
 */
export function databaseTlsProblem(url: string): string | null {
  const query = new URLSearchParams(url.includes("?") ? url.slice(url.indexOf("?") + 1) : "");
  for (const key of ["sslmode", "host", "ssl", "port"]) {
    if (query.getAll(key).length > 1) return `repeats ${key}: give each connection parameter once`;
  }
  const hostParam = query.get("host");
  // A Unix socket (…?host=/var/run/postgresql), whatever the rest of the URL looks like.
  if (hostParam !== null && /^(\/|%2F)/i.test(hostParam)) return null;
  let host: string;
  if (hostParam !== null) host = hostParam;
  else {
    try {
      host = new URL(url).hostname;
    } catch {
      return "is not a valid URL";
    }
    if (host.startsWith("%2F")) return null;
  }
  if (!host || isLoopback(host)) return null;
  const sslmode = query.get("sslmode")?.toLowerCase();
  if (sslmode && TLS_SSLMODES.has(sslmode)) return null;
  return "must use TLS in production: add ?sslmode=verify-full (or require) unless the database is on loopback or a Unix socket";
}

export type RawEnv = z.infer<typeof envSchema>;

export interface Config extends RawEnv {
  isProduction: boolean;
  dataDir: string;
  mailOutboxDir: string;
  mailTransport: "resend" | "outbox" | "smtp";
  database: { kind: "server"; url: string } | { kind: "embedded"; dir: string };
  appUrl: string;
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function parseConfig(source: Record<string, string | undefined>): Config {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join(".") || "(env)"}: ${issue.message}`));
  }
  const env = result.data;
  const dataDir = path.resolve(env.DATA_DIR);
  const mailTransport = env.MAIL_TRANSPORT ?? (env.RESEND_API_KEY ? "resend" : "outbox");
  return {
    ...env,
    isProduction: env.NODE_ENV === "production",
    dataDir,
    mailOutboxDir: path.resolve(env.MAIL_OUTBOX_DIR ?? path.join(dataDir, "outbox")),
    mailTransport,
    database: env.DATABASE_URL
      ? { kind: "server", url: env.DATABASE_URL }
      : { kind: "embedded", dir: path.join(dataDir, "pglite") },
    appUrl: env.APP_URL ?? `http://localhost:${env.PORT}`,
  };
}

let cached: Config | undefined;

/** The process's configuration, parsed on first use. */
export function config(): Config {
  cached ??= parseConfig(process.env);
  return cached;
}

/** Tests only: replace the configuration. */
export function setConfigForTests(next: Config | undefined): void {
  cached = next;
}
