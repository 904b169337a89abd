// The server the Playwright suite runs against: a fresh database each run (a new database on the PostgreSQL
// server when TEST_DATABASE_URL is set, else a new embedded directory), demo data, and a known outbox folder.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createServerDatabase } from "../core/platform/testing/db.ts";
import { E2E_OUTBOX_DIR, E2E_URL } from "./env.ts";

fs.rmSync(E2E_OUTBOX_DIR, { recursive: true, force: true });
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mindnamo-e2e-"));
process.env.DATA_DIR = dataDir;
process.env.MAIL_OUTBOX_DIR = E2E_OUTBOX_DIR;
process.env.APP_URL = E2E_URL;
process.env.NODE_ENV = "development";
process.env.SEED_DEMO_DATA = "auto";
// Each spec plays people on their own networks (X-Forwarded-For, see e2e/helpers.ts `network`), so the per-IP
// mail and sign-in limits count per spec as they would per person, not for the whole run.
process.env.TRUST_PROXY = "1";
// LiveKit settings pointing at a port where nothing listens: no LiveKit server can be installed on this machine
// (it is neither an npm nor a Debian package), so the room journey proves everything up to the media connection —
// tokens, the key agreement, livekit-client and its E2EE worker switched on in the browser — and then sees the
// connection fail with a clear message. "Not configured" (no settings at all) is proven over HTTP.
process.env.LIVEKIT_URL ??= "ws://127.0.0.1:7880";
process.env.LIVEKIT_API_KEY ??= "APIe2eonly";
process.env.LIVEKIT_API_SECRET ??= "an-e2e-only-secret-that-is-long-enough-for-hs256";

const base = process.env.TEST_DATABASE_URL?.trim();
let drop: (() => Promise<void>) | undefined;
if (base) {
  const db = await createServerDatabase(base);
  process.env.DATABASE_URL = db.url;
  drop = () => db.drop();
} else {
  delete process.env.DATABASE_URL;
}
process.on("exit", () => fs.rmSync(dataDir, { recursive: true, force: true }));
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.prependOnceListener(signal, () => {
    // server.ts closes the app and exits; the throw-away database goes with it.
    void drop?.().catch(() => {});
  });
}
const { startServer } = await import("../server/main.ts");
const { seedEmptyDatabase } = await import("../prisma/seed.ts");
const { seedE2eWorld } = await import("./fixtures/world.ts");
const { seedNewsletterWorld } = await import("./fixtures/newsletter-world.ts");
const { seedFeedbackWorld } = await import("./fixtures/feedback-world.ts");
const { seedPrivacyWorld } = await import("./fixtures/privacy-world.ts");
const { seedConsoleWorld } = await import("./fixtures/console-world.ts");
// The journeys' own people and bookings (e2e/fixtures/world.ts, newsletter-world.ts), in place before the first request.
await startServer({
  seed: seedEmptyDatabase,
  beforeListen: async (services) => {
    await seedE2eWorld(services.db.prisma);
    await seedNewsletterWorld(services.db.prisma);
    await seedFeedbackWorld(services.db.prisma);
    await seedPrivacyWorld(services.db.prisma);
    await seedConsoleWorld(services.db.prisma);
  },
});
