import os from "node:os";
import path from "node:path";

export const E2E_PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_URL = `http://localhost:${E2E_PORT}`;
/** Shared by the server the suite starts and the fixtures that read or write its outbox. */
export const E2E_OUTBOX_DIR = process.env.E2E_OUTBOX_DIR ?? path.join(os.tmpdir(), `mindnamo-e2e-outbox-${E2E_PORT}`);
