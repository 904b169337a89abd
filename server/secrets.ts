// The server secret: SESSION_SECRET in production (required by core/platform/env). In development, a random secret is
// generated once and kept in DATA_DIR/server-secret (mode 0600), so codes stay valid across restarts.
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../core/platform/env/index.ts";

export function serverSecret(config: Config): string {
  if (config.SESSION_SECRET) return config.SESSION_SECRET;
  const file = path.join(config.dataDir, "server-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(config.dataDir, { recursive: true });
    const secret = crypto.randomBytes(32).toString("base64url");
    fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
    return secret;
  }
}

/** A purpose-bound key derived from the server secret (HKDF-SHA-256). */
export function deriveKey(secret: string, purpose: string): Uint8Array {
  return new Uint8Array(crypto.hkdfSync("sha256", secret, "mindnamo", purpose, 32));
}
